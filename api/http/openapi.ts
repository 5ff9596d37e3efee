/** The OpenAPI document of the JSON API, built from the same zod schemas that check requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import {
  amendmentSchema,
  companyLookupSchema,
  consentSchema,
  contractDraftSchema,
  courtFilingSchema,
  createContractSchema,
  errorSchema,
  lawyerLoginCompleteSchema,
  lawyerLoginStartSchema,
  endSessionsSchema,
  oneTimeLinkSchema,
  passwordChangeSchema,
  passwordLoginSchema,
  personLookupSchema,
  resetRequestSchema,
  reasonSchema,
  startPaymentSchema,
} from './schemas';
// After ./schemas, which extends zod with .openapi() that these modules' schemas call when loaded.
import { createAssignmentSchema } from '../assignment/service';
import { CONTRACT_OPERATIONS } from '../contract/openapi';
import { ACCOUNT_OPERATIONS } from '../account/openapi';
import { MESSAGES_OPERATIONS } from '../messages/openapi';
import { SEMINAR_OPERATIONS } from '../seminars/openapi';
import { PROFILE_OPERATIONS } from '../profile/openapi';
import { OFFICE_OPERATIONS } from '../office/openapi';
import { STATISTICS_OPERATIONS } from '../statistics/openapi';
import { SIGNING_OPERATIONS } from '../signing/openapi';
import { CALENDAR_OPERATIONS } from '../calendar/openapi';

type Method = 'get' | 'post' | 'patch' | 'delete';

interface Operation {
  method: Method;
  path: string;
  summary: string;
  body?: ZodType;
  rule?: string;
}

const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/auth/lawyer/start',
    summary: 'Start a lawyer login with the mobile signature: phone and user ID → verification code',
    body: lawyerLoginStartSchema,
    rule: 'R2.3',
  },
  {
    method: 'post',
    path: '/api/auth/lawyer/complete',
    summary: 'Finish the login once confirmed on the phone (202 while pending; 403 names the failing R2.1 condition)',
    body: lawyerLoginCompleteSchema,
    rule: 'R2.1, R2.3',
  },
  {
    method: 'post',
    path: '/api/auth/applicant/login',
    summary: 'Applicant login with the login and password sent to them',
    body: passwordLoginSchema,
    rule: 'R2.4',
  },
  { method: 'post', path: '/api/auth/applicant/password', summary: "Change the applicant's password", body: passwordChangeSchema, rule: 'R2.4' },
  {
    method: 'post',
    path: '/api/auth/password',
    summary: "Change one's own password (applicant or Bar office); other sessions end",
    body: passwordChangeSchema,
    rule: 'R2.4',
  },
  { method: 'post', path: '/api/auth/admin/login', summary: 'Bar office login', body: passwordLoginSchema, rule: 'R2.4' },
  {
    method: 'post',
    path: '/api/auth/activate',
    summary: 'Use a one-time activation or reset link: set the password, log in',
    body: oneTimeLinkSchema,
    rule: 'R4.3.1',
  },
  {
    method: 'post',
    path: '/api/auth/applicant/reset',
    summary: 'Send a reset link to the contact of the cabinet (same answer for any login)',
    body: resetRequestSchema,
    rule: 'R2.4',
  },
  { method: 'post', path: '/api/auth/sessions/end', summary: 'The Bar office ends every session of a person', body: endSessionsSchema, rule: 'R2.4' },
  { method: 'post', path: '/api/auth/logout', summary: 'Log out', rule: 'R8.5' },
  { method: 'get', path: '/api/auth/me', summary: 'Who is logged in' },
  {
    method: 'post',
    path: '/api/lookups/people',
    summary: 'A citizen from the population registry by FIN (in the body, never in the URL)',
    body: personLookupSchema,
    rule: 'R4.1.2',
  },
  {
    method: 'post',
    path: '/api/lookups/companies',
    summary: 'A legal entity from the tax service by VÖEN, in the body (503 when the service fails: type it by hand)',
    body: companyLookupSchema,
    rule: 'R4.1.3',
  },
  { method: 'get', path: '/api/lookups/institutions', summary: 'The institution list', rule: 'R4.1.5' },
  { method: 'get', path: '/api/lookups/case-types', summary: 'The case types', rule: 'R4.1.1' },
  {
    method: 'post',
    path: '/api/contracts',
    summary: 'Create a contract draft (starts its workflow). An Idempotency-Key header (8–128 of A-Z a-z 0-9 . _ : -) makes a repeat give the same contract',
    body: createContractSchema,
    rule: 'R4.1',
  },
  {
    method: 'get',
    path: '/api/contracts',
    summary:
      'List contracts, newest first: scope=mine|bureau|awaiting_approval, archive, status, caseType, institutionId, name, from, to, pageSize, and cursor (nextCursor / previousCursor of an answer; page=N for the first pages). total is exact up to 1000 (totalExact: false above)',
    rule: 'R4.2, R4.7, R4.8',
  },
  {
    method: 'get',
    path: '/api/contracts/{id}',
    summary:
      'A contract: state, history, what the caller may do now, documents; the lawyer and the head also see barOfficeAccesses [{at, reason, by}]. The Bar office gets the outline (reduced: true: number, status, lawyer, bureau, stage, dates, no person, price or assignment) until it opens a reasoned access',
  },
  { method: 'get', path: '/api/contracts/{id}/draft/check', summary: 'What the draft still lacks before it can be sent', rule: 'R4.1.7' },
  { method: 'patch', path: '/api/contracts/{id}/draft', summary: 'Save a wizard step into the draft', body: contractDraftSchema, rule: 'R4.1.7' },
  { method: 'delete', path: '/api/contracts/{id}', summary: 'Delete a draft', rule: 'R4.1.7' },
  { method: 'post', path: '/api/contracts/{id}/submit', summary: '"Təsdiq üçün göndər": send for approval', rule: 'R4.1.6, R4.2' },
  { method: 'post', path: '/api/contracts/{id}/approve', summary: '"Təsdiqlə": approve (bureau head)', rule: 'R4.2.1' },
  { method: 'post', path: '/api/contracts/{id}/approve-as-already-paid', summary: '"Ödəniş edilib" + approve: the head then pays the Bar fee', rule: 'R4.2.2' },
  { method: 'post', path: '/api/contracts/{id}/reject', summary: 'Reject with a reason (bureau head)', body: reasonSchema, rule: 'R4.2.3' },
  {
    method: 'post',
    path: '/api/contracts/{id}/payments',
    summary: '"Ödə": start a payment on the payment agent (applicant: the contract; head: the Bar fee)',
    body: startPaymentSchema,
    rule: 'R4.2.2, R4.3',
  },
  { method: 'post', path: '/api/contracts/{id}/amendments', summary: '"Müqaviləyə düzəliş et": propose an amendment', body: amendmentSchema, rule: 'R4.4.1' },
  { method: 'post', path: '/api/contracts/{id}/amendment/consent', summary: "The applicant's answer to a price change", body: consentSchema, rule: 'R4.4.2' },
  { method: 'post', path: '/api/contracts/{id}/amendment/approve', summary: "The head's approval of an amendment", rule: 'R4.4.3' },
  { method: 'post', path: '/api/contracts/{id}/amendment/reject', summary: "The head's rejection of an amendment", body: reasonSchema, rule: 'R4.4.3' },
  { method: 'post', path: '/api/contracts/{id}/finish', summary: '"Bitir": finish and archive', rule: 'R4.7' },
  { method: 'post', path: '/api/contracts/{id}/terminate', summary: '"Xitam ver": terminate with a reason', body: reasonSchema, rule: 'R4.7' },
  { method: 'post', path: '/api/contracts/{id}/restart', summary: '"İşi yenidən başlat": restart a terminated contract', rule: 'R4.7' },
  { method: 'get', path: '/api/contracts/{id}/versions/{version}/contract.pdf', summary: 'The contract of a version (PDF)', rule: 'R4.4.3' },
  { method: 'get', path: '/api/contracts/{id}/versions/{version}/order.pdf', summary: "The lawyer's order of a version (PDF)", rule: 'R4.2.1' },
  {
    method: 'post',
    path: '/api/contracts/{id}/court-filings',
    summary:
      '"İşi göndər" → "Göndər": join the lawyer to an existing court case in e-court and attach the current order (active contract; lawyer or head). The filing is pending until e-court answers; the contract\'s courtFilings say joined, or failed with the reason (unknown case number, the protected party is not a party to it); an amended order is attached again',
    body: courtFilingSchema,
    rule: 'R4.6',
  },
  {
    method: 'get',
    path: '/api/contracts/{id}/dossier',
    summary: '"Sənədlər": the files added to the contract (name, size, who, when) and the generated contract and order versions',
    rule: 'R4.5',
  },
  {
    method: 'post',
    path: '/api/contracts/{id}/dossier',
    summary:
      'Add a scanned file: a multipart form with the file in the field "file", or the bytes as the body with the name URI-encoded in X-File-Name; PDF, JPEG or PNG by content, at most 10 MB (400 otherwise); lawyer or head',
    rule: 'R4.5',
  },
  {
    method: 'get',
    path: '/api/contracts/{id}/dossier/{fileId}',
    summary: 'Download a dossier file (its own content type, the original name in Content-Disposition)',
    rule: 'R4.5',
  },
  { method: 'delete', path: '/api/contracts/{id}/dossier/{fileId}', summary: 'Remove a dossier file (the audit record stays); lawyer or head', rule: 'R4.5' },
  { method: 'post', path: '/api/payment-agent/callback', summary: "The payment agent's signed server-to-server notification", rule: 'R4.3.3' },
  {
    method: 'post',
    path: '/api/assignments',
    summary: 'Bar office: assign a lawyer of the register to a proceeding (court, case number, person defended, date); starts its workflow',
    body: createAssignmentSchema,
    rule: 'R5',
  },
  {
    method: 'get',
    path: '/api/assignments',
    summary: 'List assignments: section=court|awaiting_approval|current|archive|overview (lawyer: own; head: bureau; Bar office: all), with counts by status',
    rule: 'R5',
  },
  { method: 'get', path: '/api/assignments/{id}', summary: 'An assignment: details, status, history, what the caller may do now', rule: 'R5' },
  {
    method: 'post',
    path: '/api/assignments/{id}/approve',
    summary: 'Approve an assignment (bureau head or individual lawyer): it becomes current',
    rule: 'R5',
  },
  {
    method: 'post',
    path: '/api/assignments/{id}/decline',
    summary: 'Decline an assignment with a reason (bureau head or individual lawyer)',
    body: reasonSchema,
    rule: 'R5',
  },
  { method: 'post', path: '/api/assignments/{id}/complete', summary: 'Mark a current assignment done (its lawyer or the head): archived', rule: 'R5' },
  { method: 'get', path: '/verify/{orderNumber}', summary: 'Public check that an order is genuine and current (no personal data)' },
  ...CONTRACT_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
  ...MESSAGES_OPERATIONS,
  ...SEMINAR_OPERATIONS,
  ...PROFILE_OPERATIONS,
  ...OFFICE_OPERATIONS,
  ...STATISTICS_OPERATIONS,
  ...SIGNING_OPERATIONS,
  ...CALENDAR_OPERATIONS,
];

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.register('Error', errorSchema);
  registry.register('ContractDraft', contractDraftSchema);
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      description: op.rule ? `SPEC ${op.rule}` : undefined,
      parameters: params.map((name) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' as const } })),
      request: op.body ? { body: { content: { 'application/json': { schema: op.body } } } } : undefined,
      responses: {
        200: { description: 'Done' },
        400: { description: 'Bad input: the fields and the reasons', content: { 'application/json': { schema: errorSchema } } },
        401: { description: 'Not logged in', content: { 'application/json': { schema: errorSchema } } },
        404: { description: 'Unknown, or not yours', content: { 'application/json': { schema: errorSchema } } },
        409: { description: 'Not allowed in the current state, with the reason', content: { 'application/json': { schema: errorSchema } } },
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Electronic Lawyer Cabinet API',
      version: '0.1.0',
      description: 'Elektron Vəkil Kabineti: contracts, approvals, payments and orders. Amounts are integer qəpik.',
    },
    servers: [{ url: serverUrl }],
  });
}
