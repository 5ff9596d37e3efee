/** Refusals of the login and the session (R2.3, R2.4, R8.5, issue 9 item 7); texts in locales/<language>/auth.json. */
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
  'auth.password_too_long',
  'auth.password_common',
  'auth.password_personal',
  'auth.too_many_attempts',
  'auth.link_invalid',
  'auth.no_such_account',
  'auth.admin_login_invalid',
  'auth.admin_login_taken',
  'auth.admin_name_required',
] as const;

export type AuthCode = (typeof AUTH_CODES)[number];
