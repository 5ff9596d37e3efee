import { currentConfig } from './config';

/**
 * Where servers listen: loopback unless EVK_LISTEN_HOST says otherwise (containers need 0.0.0.0 to
 * be reachable from each other; see docker-compose.yml). From the process's configuration.
 */
export function listenHost(): string {
  return currentConfig().listenHost;
}
