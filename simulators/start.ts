/** The outside systems' local simulators, each on its own port (development and tests only). */
import path from 'node:path';
import type { Config } from '../platform/config';
import { listenHost } from '../platform/listen';
import { startECourtSimulator } from './e-court/simulator';
import { startMailSink } from './mail-sink/sink';
import { startMobileSignatureSimulator } from './mobile-signature/simulator';
import { startPaymentAgentSimulator } from './payment-agent/simulator';
import { startPopulationRegistrySimulator } from './population-registry/simulator';
import { startSmsSimulator } from './sms/simulator';
import { startTaxServiceSimulator } from './tax-service/simulator';

export async function startSimulators(config: Config, options: { latency?: boolean } = {}) {
  const latency = options.latency === false ? { latencyMs: [0, 0] as [number, number] } : {};
  const s = config.simulators;
  const started = [
    await startMobileSignatureSimulator(s.mobileSignaturePort, { ...latency, dataDir: path.join(config.dataDir, 'mobile-signature-simulator') }),
    await startPopulationRegistrySimulator(s.populationRegistryPort, latency),
    await startTaxServiceSimulator(s.taxServicePort, options.latency === false ? { ...latency, failureRate: 0 } : {}),
    await startPaymentAgentSimulator(s.paymentAgentPort, {
      ...latency,
      ...(options.latency === false ? { callbackDelayMs: 0 } : {}),
      secret: config.paymentAgentSecret,
      merchantId: config.paymentAgentMerchantId,
      publicUrl: config.paymentAgentUrl,
    }),
  ];
  const eCourt = await startECourtSimulator(s.eCourtPort, latency);
  const host = listenHost() === '0.0.0.0' ? '127.0.0.1' : listenHost();
  const mailSink = await startMailSink({ smtpPort: s.smtpPort, webPort: s.mailCatcherPort, smsSimulatorUrl: `http://${host}:${s.smsPort}` });
  const smsSimulator = await startSmsSimulator(s.smsPort, {
    ...latency,
    ...(options.latency === false ? { failureRate: 0 } : {}),
    apiKey: config.smsApiKey,
    mailCatcherUrl: mailSink.url,
    // Issue 10 item 3: the idempotency keys seen survive a restart of the simulator.
    stateFile: path.join(config.dataDir, 'sms-simulator', 'idempotency-keys.jsonl'),
  });
  return {
    urls: {
      mobileSignature: started[0].url,
      populationRegistry: started[1].url,
      taxService: started[2].url,
      paymentAgent: started[3].url,
      sms: smsSimulator.url,
      mailCatcher: mailSink.url ?? `http://127.0.0.1:${s.mailCatcherPort}`,
      eCourt: eCourt.url,
    },
    mailSink,
    smsSimulator,
    eCourt,
    close: async () => {
      await Promise.all([...started.map((sim) => sim.close()), smsSimulator.close(), mailSink.close(), eCourt.close()]);
    },
  };
}
