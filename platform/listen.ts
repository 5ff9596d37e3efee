/**
 * Where servers listen: loopback unless EVK_LISTEN_HOST says otherwise (containers need 0.0.0.0 to
 * be reachable from each other; see docker-compose.yml).
 */
export function listenHost(): string {
  return process.env.EVK_LISTEN_HOST || '127.0.0.1';
}
