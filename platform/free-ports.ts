import net from 'node:net';

/** A loopback port nobody listens on right now (the tests and the benchmark start many servers). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Settings that put the web server and every local simulator on free ports, so an in-process system
 * (a test file, the benchmark) never collides with `npm start` or with another one.
 */
export async function freePortSettings(): Promise<Record<string, string>> {
  const names = [
    'PORT',
    'EVK_SIM_MOBILE_SIGNATURE_PORT',
    'EVK_SIM_POPULATION_REGISTRY_PORT',
    'EVK_SIM_TAX_SERVICE_PORT',
    'EVK_SIM_PAYMENT_AGENT_PORT',
    'EVK_SIM_SMS_PORT',
    'EVK_SMTP_SINK_PORT',
    'EVK_SIM_MAIL_CATCHER_PORT',
    'EVK_SIM_ECOURT_PORT',
    // The worker's own ops server and the Temporal SDK's metrics (issue 10 item 8), and the codec server.
    'EVK_WORKER_HEALTH_PORT',
    'EVK_TEMPORAL_METRICS_PORT',
    'EVK_CODEC_SERVER_PORT',
  ];
  const ports = await Promise.all(names.map(() => freePort()));
  const settings = Object.fromEntries(names.map((name, i) => [name, String(ports[i])]));
  return { ...settings, EVK_PUBLIC_URL: `http://127.0.0.1:${settings.PORT}` };
}
