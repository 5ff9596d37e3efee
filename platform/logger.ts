import pino, { type Logger } from 'pino';

export type { Logger };

export interface Closable {
  close(): Promise<void>;
}

/** Structured logs (pino) at LOG_LEVEL; personal data is never logged. */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' });
}

