/**
 * A failed hand-over of a message to the mail server or SMS gateway. `permanent` means sending the
 * same message again cannot succeed (the server refused the recipient or the content): the
 * dispatcher gives up on it at once instead of retrying with backoff.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly code: string | undefined;

  constructor(message: string, options: { permanent: boolean; code?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
    this.code = options.code;
  }
}

/** True for errors that say "do not retry": a DeliveryError or any error carrying `permanent: true`. */
export function isPermanentDeliveryFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}
