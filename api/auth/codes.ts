/** Refusals of the login and the session (R2.3, R2.4, R8.5); texts in locales/<language>/auth.json. */
export const AUTH_CODES = [
  'auth.not_logged_in',
  'auth.not_for_your_role',
  'auth.phone_invalid',
  'auth.user_id_invalid',
  'auth.unknown_signature_holder',
  'auth.signature_unavailable',
  'auth.no_login_in_progress',
  'auth.login_refused',
  'auth.login_expired',
  'auth.wrong_credentials',
  'auth.current_password_wrong',
  'auth.password_too_short',
  'auth.too_many_attempts',
] as const;

export type AuthCode = (typeof AUTH_CODES)[number];
