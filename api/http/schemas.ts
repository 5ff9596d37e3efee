/**
 * The JSON shapes of the API, as zod schemas: they check types and sizes at the door and describe
 * the OpenAPI document. Business rules (required fields, FIN, VÖEN, remainder, …) are checked by the
 * rules module in domain/contract.ts, once, for API and workflow alike.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CASE_TYPES, CITIZENSHIP_KINDS, CONTRACT_STAGES, type FieldError } from '../../domain/contract';
import { badRequest } from './errors';

extendZodWithOpenApi(z);

const text = (max: number) => z.string().max(max);

export const naturalPersonSchema = z
  .object({
    citizenship: z.enum(CITIZENSHIP_KINDS),
    fin: text(7).optional(),
    documentNumber: text(40).optional(),
    country: text(2).optional().describe('Foreign citizens: the state, ISO 3166-1 alpha-2 (issue 13).'),
    firstName: text(100),
    lastName: text(100),
    patronymic: text(100).optional(),
    birthDate: text(10).optional(),
    address: text(300).optional(),
    phone: text(30).optional(),
    email: text(200).optional(),
  })
  .partial()
  .openapi('NaturalPerson');

export const legalEntitySchema = z
  .object({ resident: z.boolean(), voen: text(10).optional(), name: text(300), address: text(300).optional(), email: text(200).optional() })
  .partial()
  .openapi('LegalEntity');

export const contractDraftSchema = z
  .object({
    protectedPartyKind: z.enum(['natural', 'legal']),
    applicantIsProtectedParty: z.boolean(),
    caseType: z.enum(CASE_TYPES),
    protectedPerson: naturalPersonSchema,
    protectedEntity: legalEntitySchema,
    applicant: naturalPersonSchema,
    evidence: z.object({ none: z.boolean(), holders: z.array(text(300)).max(50) }).partial(),
    assignment: text(5000),
    institution: z.object({ id: text(50).optional(), name: text(300) }).partial(),
    price: z
      .object({
        totalQepik: z.number().int().describe('Price in qəpik (1 AZN = 100).'),
        plan: z.enum(['single', 'two_instalments']),
        firstInstalmentQepik: z.number().int().optional(),
        secondInstalmentDueOn: text(10).optional().describe('Two instalments: the day the second is due, YYYY-MM-DD (issue 12).'),
      })
      .partial(),
  })
  .partial()
  .strict()
  .openapi('ContractDraft', { description: 'What the new-contract wizard collects (R4.1.1–R4.1.6); every part optional while a draft.' });

export const reasonSchema = z.object({ reason: text(2000) }).openapi('Reason');
export const amendmentSchema = z.object({ changes: contractDraftSchema, note: text(2000).optional() }).openapi('Amendment');
export const consentSchema = z.object({ consent: z.boolean() }).openapi('Consent');
export const createContractSchema = z.object({ draft: contractDraftSchema.optional() }).openapi('CreateContract');

export const lawyerLoginStartSchema = z.object({ phone: text(30), userId: text(20) }).openapi('LawyerLoginStart');
export const lawyerLoginCompleteSchema = z.object({ transactionId: text(100) }).openapi('LawyerLoginComplete');
export const passwordLoginSchema = z.object({ login: text(200), password: text(200) }).openapi('PasswordLogin');
// A new password longer than 128 characters is refused by the policy (auth.password_too_long), next to its field.
export const passwordChangeSchema = z.object({ currentPassword: text(1000), newPassword: text(1000) }).openapi('PasswordChange');
export const oneTimeLinkSchema = z.object({ token: text(200), password: text(1000) }).openapi('OneTimeLink');
export const resetRequestSchema = z.object({ login: text(200) }).openapi('ResetRequest');
export const endSessionsSchema = z.object({ kind: z.enum(['lawyer', 'applicant', 'admin', 'operator']), id: text(200) }).openapi('EndSessions');
/** R4.1.2, R4.1.3: whom to look up, in the body (never in the URL, issue 9 item 5). */
export const personLookupSchema = z.object({ fin: text(20) }).openapi('PersonLookup');
export const companyLookupSchema = z.object({ voen: text(20) }).openapi('CompanyLookup');
export const startPaymentSchema = z.object({ language: z.enum(['az', 'en']).optional() }).openapi('StartPayment');

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('The kind: invalid_input, not_logged_in, forbidden, not_found, not_allowed_now, unavailable, …'),
      reason: z.string().describe('The stable code of the decision, a key of the locale files (e.g. dossier.wrong_type).'),
      params: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .optional()
        .describe('The parameters of the reason’s text.'),
      message: z.string().describe('The reason’s text in the caller’s language (Accept-Language: az or en; English by default).'),
      fields: z
        .array(
          z.object({
            field: z.string(),
            code: z.string(),
            reason: z.string().optional(),
            params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
            message: z.string(),
          }),
        )
        .optional(),
    }),
  })
  .openapi('Error');

/** Parses a body against a schema, or answers 400 naming each field that is wrong. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fields: FieldError[] = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    code: issue.code,
    reason: 'common.field_problem',
    params: { problem: issue.message },
  }));
  const first = fields[0];
  throw badRequest(
    first ? 'common.invalid_field' : 'common.invalid_input',
    fields,
    first ? { field: first.field, problem: first.params?.problem ?? first.code } : undefined,
  );
}

/** R4.6 "İşi göndər": the number of an existing court case. */
export const courtFilingSchema = z.object({ caseNumber: text(60) }).openapi('CourtFiling');

/** R6 "Layihələr": the lawyer's stage of a case. */
export const stageSchema = z.object({ stage: z.enum(CONTRACT_STAGES) }).openapi('Stage');
