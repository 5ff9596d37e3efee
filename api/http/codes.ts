/** Codes the HTTP layer itself answers with (api/http/errors.ts); texts in locales/<language>/{common,refusals,http}.json. */
export const COMMON_CODES = [
  'common.not_found',
  'common.invalid_input',
  // A body that does not fit the API's shapes (parseBody): the field and zod's own words for the problem.
  'common.invalid_field',
  // One field of such a body: zod's words for its problem.
  'common.field_problem',
  'common.invalid_json',
  'common.body_too_large',
  'common.internal',
  'common.no_such_endpoint',
  'common.no_such_page',
  // Issue 9 item 8: a state-changing API request from another site, or not in its real content type (api/http/cross-site.ts).
  'common.cross_site_refused',
  'common.content_type_required',
  // Issue 9 item 9: a query or body value that is not valid %-encoding, or holds a NUL (api/http/input.ts).
  'common.bad_encoding',
  'common.nul_character',
  // Issue 10 item 5: an Idempotency-Key header that is not a key (POST /api/contracts).
  'common.idempotency_key_invalid',
  // A workflow that is gone or has ended (fromWorkflowError).
  'contract.not_found',
  'contract.closed',
] as const;

export type CommonCode = (typeof COMMON_CODES)[number];
