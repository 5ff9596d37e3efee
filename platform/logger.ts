import pino, { type Logger } from 'pino';
import { currentConfig } from './config';

export type { Logger };

export interface Closable {
  close(): Promise<void>;
}

/** Structured logs (pino) at LOG_LEVEL (platform/config.ts); personal data is never logged. */
export function createLogger(name: string, level: string = currentConfig().logLevel): Logger {
  return pino({ name, level });
}
