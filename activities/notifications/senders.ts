/**
 * The real senders from configuration: SMTP (config.smtp*) and the SMS gateway
 * (config.smsGatewayUrl / smsApiKey). Both default to the local mail sink and SMS simulator.
 */
import { HttpSmsGateway } from '../../integrations/sms/adapter';
import type { Config } from '../../platform/config';
import { SmtpEmailSender } from './email-sender';
import type { EmailSender, SmsSender } from './types';

export interface NotificationSenders {
  email: EmailSender;
  sms: SmsSender;
  /** Closes the pooled SMTP connections. */
  close(): void;
}

export function createNotificationSenders(config: Config): NotificationSenders {
  const email = SmtpEmailSender.fromConfig(config);
  const sms = new HttpSmsGateway({ baseUrl: config.smsGatewayUrl, apiKey: config.smsApiKey });
  return { email, sms, close: () => email.close() };
}
