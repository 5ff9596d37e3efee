/**
 * The authorisation matrix (issue 9, "Tests that prove it"; R2.5; item 6): every operation of the
 * OpenAPI document (api/http/openapi.ts) and every page route of the pages' router (web/router.ts),
 * tried by each role against one contract, with the outcome each role must get. The routes are read
 * from the document and the router, so a new route without a rule below fails the test. Bodies that
 * reach someone outside the contract (a colleague, another bureau, another applicant, the Bar office
 * without a reason, no session) never carry the personal data of the contract's people, whatever
 * the answer.
 *
 * A rule is one line: the route's key, then what each role gets. Outcomes:
 *   ok       answered (2xx, or a redirect that is not to the login page): the role may;
 *   passes   the role got past authorisation (any answer but 401, 403, a visibility 404 or the
 *            login page): used for steps, which are tried where the state refuses them, so the
 *            matrix changes nothing;
 *   reduced  the Bar office's outline (JSON `reduced: true`, or the page with the reason form);
 *   public   anyone gets the same kind of answer, whoever they are (any status below 500);
 *   401 / 403 / 404 exactly that; login: the page sends the person to the login page.
 * The roles: the contract's lawyer, a colleague in the same bureau, the bureau head, a lawyer of
 * another bureau, the contract's applicant, another contract's applicant, the Bar office without
 * and with a reasoned access, and no session.
 */
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../api/http/openapi';
import { webRouter, type WebDeps } from '../../web/router';
import { activeContract, expectStatus, loginApplicant, loginDemoLawyers, submittedContract, webUrl } from '../support/api';
import { HttpClient, type HttpResponse } from '../support/http-client';
import { completeDraft, startTestSystem, type TestSystem } from '../support/system';
import { distinctiveDraft, loginNewAdmin, personalDataOf } from '../support/bar-office';

const ROLES = ['lawyer', 'colleague', 'head', 'otherBureau', 'applicant', 'otherApplicant', 'admin', 'adminWithReason', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Outcome = 'ok' | 'passes' | 'reduced' | 'login' | 'public' | 401 | 403 | 404;
type Expected = Record<Role, Outcome>;

/** Roles that may not see the contract's people: everything they receive is checked for them. */
const OUTSIDERS: Role[] = ['colleague', 'otherBureau', 'otherApplicant', 'admin', 'anonymous'];

const rule = (
  lawyer: Outcome,
  colleague: Outcome,
  head: Outcome,
  otherBureau: Outcome,
  applicant: Outcome,
  otherApplicant: Outcome,
  admin: Outcome,
  adminWithReason: Outcome,
  anonymous: Outcome,
): Expected => ({ lawyer, colleague, head, otherBureau, applicant, otherApplicant, admin, adminWithReason, anonymous });
const everyone = (o: Outcome) => rule(o, o, o, o, o, o, o, o, o);

// ---------------------------------------------------------------- the common rules
/** Anyone, logged in or not, gets the same kind of answer (logins, the public order check, the payment agent's signed callback). */
const PUBLIC = everyone('public');
/** Read a contract: its people; the Bar office its outline, or all of it with a reason. */
const CONTRACT_READ = rule('ok', 404, 'ok', 404, 'ok', 404, 'reduced', 'ok', 401);
/** Files and money of a contract (PDFs, dossier, payments with terminal codes): the Bar office only with a reason. */
const CONTRACT_FILE = rule('ok', 404, 'ok', 404, 'ok', 404, 403, 'ok', 401);
/** A lawyer's step on the contract (its lawyer or the head; R2.5: others learn nothing). */
const LAWYER_STEP = rule('passes', 404, 'passes', 404, 403, 403, 403, 403, 401);
/** The applicant's step on the contract. */
const APPLICANT_STEP = rule(403, 403, 403, 403, 'passes', 404, 403, 403, 401);
/** "Ödə": the applicant (the contract) or the head (the Bar fee). */
const PAY_STEP = rule('passes', 404, 'passes', 404, 'passes', 404, 403, 403, 401);
/** Any lawyer (a new draft). */
const ANY_LAWYER = rule('ok', 'ok', 'ok', 'ok', 403, 403, 403, 403, 401);
/** Any lawyer's look-up in an outside register (its answer depends on the register). */
const LOOKUP = rule('passes', 'passes', 'passes', 'passes', 403, 403, 403, 403, 401);
/** The Bar office's own work. */
const BAR_OFFICE = rule(403, 403, 403, 403, 403, 403, 'passes', 'passes', 401);
/** What only the Bar office reads (issue 11: the register, the dashboard). */
const BAR_OFFICE_READ = rule(403, 403, 403, 403, 403, 403, 'ok', 'ok', 401);
/** Anyone logged in. */
const LOGGED_IN = rule('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 401);
/** An assignment of the contract's lawyer (R5): the lawyer, the head, the Bar office. */
const ASSIGNMENT_READ = rule('ok', 404, 'ok', 404, 403, 403, 'ok', 'ok', 401);
const ASSIGNMENT_STEP = rule('passes', 404, 'passes', 404, 403, 403, 403, 403, 401);
/** A published event (R3.1): any lawyer and the Bar office read it; a lawyer's own registration is the lawyer's step. */
const SEMINAR_READ = rule('ok', 'ok', 'ok', 'ok', 403, 403, 'ok', 'ok', 401);
const SEMINAR_STEP = rule('passes', 'passes', 'passes', 'passes', 403, 403, 403, 403, 401);
/** "Profil" (R8, issue 11): every lawyer has their own, and only their own; the Bar office verifies. */
const OWN_PROFILE = rule('ok', 'ok', 'ok', 'ok', 403, 403, 403, 403, 401);
const OWN_PROFILE_STEP = rule('passes', 'passes', 'passes', 'passes', 403, 403, 403, 403, 401);
const OWN_PROFILE_PAGE_STEP = rule('passes', 'passes', 'passes', 'passes', 404, 404, 404, 404, 'login');
/** A page about a change request or lawyer that does not exist: "not found" for everyone. */
const NO_SUCH_PAGE = rule(404, 404, 404, 404, 404, 404, 404, 404, 'login');

// Pages: a person of another kind gets the "not found" page; nobody logged in goes to the login page.
const PUBLIC_PAGE = everyone('public');
const LAWYER_PAGE = rule('ok', 'ok', 'ok', 'ok', 404, 404, 404, 404, 'login');
const LAWYER_CONTRACT_PAGE = rule('ok', 404, 'ok', 404, 404, 404, 404, 404, 'login');
const LAWYER_CONTRACT_STEP = rule('passes', 404, 'passes', 404, 404, 404, 404, 404, 'login');
const APPLICANT_PAGE = rule(404, 404, 404, 404, 'ok', 'ok', 404, 404, 'login');
const APPLICANT_CONTRACT_PAGE = rule(404, 404, 404, 404, 'ok', 404, 404, 404, 'login');
const APPLICANT_CONTRACT_STEP = rule(404, 404, 404, 404, 'passes', 404, 404, 404, 'login');
const ADMIN_PAGE = rule(404, 404, 404, 404, 404, 404, 'ok', 'ok', 'login');
/** A page of a role this matrix has none of (the operator's). */
const NOBODY_PAGE = rule(404, 404, 404, 404, 404, 404, 404, 404, 'login');
const ADMIN_STEP = rule(404, 404, 404, 404, 404, 404, 'passes', 'passes', 'login');
const ADMIN_CONTRACT_PAGE = rule(404, 404, 404, 404, 404, 404, 'reduced', 'ok', 'login');
/** The wizard is the draft's own lawyer's (R4.1.7): the head too gets "not found". */
const WIZARD_PAGE = rule('passes', 404, 404, 404, 404, 404, 404, 404, 'login');
const ASSIGNED_STEP_PAGE = rule('passes', 404, 'passes', 404, 404, 404, 404, 404, 'login');
// Messages (R7, issue 11): lawyers and the Bar office; the subject thread is the contract's lawyer's private one with the office,
// which no colleague, not even the head, may see.
const MESSAGES_PEOPLE = rule('ok', 'ok', 'ok', 'ok', 403, 403, 'ok', 'ok', 401);
const MESSAGES_WRITE = rule('passes', 'passes', 'passes', 'passes', 403, 403, 'passes', 'passes', 401);
const PRIVATE_THREAD = rule('ok', 404, 404, 404, 403, 403, 'ok', 'ok', 401);
const PRIVATE_THREAD_STEP = rule('passes', 404, 404, 404, 403, 403, 'passes', 'passes', 401);
const LAWYER_STEP_PAGE = rule('passes', 'passes', 'passes', 'passes', 404, 404, 404, 404, 'login');
const PRIVATE_THREAD_PAGE = rule('ok', 404, 404, 404, 404, 404, 404, 404, 'login');
const PRIVATE_THREAD_PAGE_STEP = rule('passes', 404, 404, 404, 404, 404, 404, 404, 'login');
const thread = { params: { id: 'threadId' as const } };
/** R3.2: the statistics, the Bar office and lawyers (each their own scope); applicants and operators have none. */
const STATISTICS = rule('ok', 'ok', 'ok', 'ok', 403, 403, 'ok', 'ok', 401);
const STATISTICS_PAGE = rule('ok', 'ok', 'ok', 'ok', 404, 404, 'ok', 'ok', 'login');
/** "Təqvim" (R8.4, issue 12): every lawyer has their own calendar; a meeting nobody has is 404 for every lawyer. */
const CALENDAR_STEP = rule('passes', 'passes', 'passes', 'passes', 403, 403, 403, 403, 401);
const NO_SUCH_MEETING = rule(404, 404, 404, 404, 403, 403, 403, 403, 401);
const noMeeting = { params: { id: 'missingFileId' as const } };

interface Rule {
  expect: Expected;
  /** The body sent (JSON for the API, form fields for pages), chosen so that an allowed role changes nothing. */
  body?: Record<string, unknown>;
  /** Path parameters other than the subject's. */
  params?: Partial<Record<string, keyof Fixture>>;
  /** Tried on the spare contract (steps that would end the subject). */
  spare?: true;
  /** Ends the session: tried last. */
  last?: true;
}
const r = (expect: Expected, more: Omit<Rule, 'expect'> = {}): Rule => ({ expect, ...more });

/** One line per route: `METHOD /api/path/{param}` from the OpenAPI document, `PAGE METHOD /path/:param` from the router. */
const RULES: Record<string, Rule> = {
  'POST /api/auth/lawyer/start': r(PUBLIC),
  'POST /api/auth/lawyer/complete': r(PUBLIC),
  'POST /api/auth/applicant/login': r(PUBLIC),
  'POST /api/auth/applicant/password': r(rule(403, 403, 403, 403, 'passes', 'passes', 403, 403, 401)),
  'POST /api/auth/admin/login': r(PUBLIC),
  'POST /api/auth/logout': r(PUBLIC, { last: true }),
  'GET /api/auth/me': r(PUBLIC),
  'POST /api/auth/password': r(rule(403, 403, 403, 403, 'passes', 'passes', 'passes', 'passes', 401), {
    body: { currentPassword: 'not-the-password', newPassword: 'x' },
  }),
  'POST /api/auth/activate': r(PUBLIC, { body: { token: 'not-a-link', password: 'x' } }),
  'POST /api/auth/applicant/reset': r(PUBLIC, { body: { login: 'nobody@example.invalid' } }),
  'POST /api/auth/sessions/end': r(BAR_OFFICE, { body: { kind: 'lawyer', id: 'no-such-lawyer' } }),
  // Issue 9 item 5: whom to look up travels in the body, never in the URL.
  'POST /api/lookups/people': r(LOOKUP, { body: { fin: '1AAAAAA' } }),
  'POST /api/lookups/companies': r(LOOKUP, { body: { voen: '1234567891' } }),
  'GET /api/lookups/institutions': r(PUBLIC),
  'GET /api/lookups/case-types': r(PUBLIC),
  'POST /api/contracts': r(ANY_LAWYER, { body: { draft: {} } }),
  'GET /api/contracts': r(LOGGED_IN),
  'GET /api/contracts/{id}': r(CONTRACT_READ),
  'GET /api/contracts/{id}/draft/check': r(rule('ok', 404, 'ok', 404, 403, 403, 403, 403, 401)),
  'PATCH /api/contracts/{id}/draft': r(LAWYER_STEP, { body: { assignment: 'Müdafiə' } }),
  'DELETE /api/contracts/{id}': r(LAWYER_STEP),
  'POST /api/contracts/{id}/submit': r(LAWYER_STEP),
  'POST /api/contracts/{id}/approve': r(LAWYER_STEP),
  'POST /api/contracts/{id}/approve-as-already-paid': r(LAWYER_STEP),
  'POST /api/contracts/{id}/reject': r(LAWYER_STEP, { body: { reason: 'Səbəb' } }),
  'POST /api/contracts/{id}/payments': r(PAY_STEP, { body: { language: 'az' } }),
  'GET /api/contracts/{id}/payments': r(CONTRACT_FILE),
  'POST /api/contracts/{id}/amendments': r(LAWYER_STEP, { body: { changes: { applicant: { phone: '12' } } } }),
  'POST /api/contracts/{id}/amendment/consent': r(APPLICANT_STEP, { body: { consent: true } }),
  'POST /api/contracts/{id}/amendment/approve': r(LAWYER_STEP),
  'POST /api/contracts/{id}/amendment/reject': r(LAWYER_STEP, { body: { reason: 'Səbəb' } }),
  'POST /api/contracts/{id}/finish': r(LAWYER_STEP, { spare: true }),
  'POST /api/contracts/{id}/terminate': r(LAWYER_STEP, { spare: true, body: { reason: 'Səbəb' } }),
  'POST /api/contracts/{id}/restart': r(LAWYER_STEP),
  'GET /api/contracts/{id}/versions/{version}/contract.pdf': r(CONTRACT_FILE),
  'GET /api/contracts/{id}/versions/{version}/order.pdf': r(CONTRACT_FILE),
  'POST /api/contracts/{id}/court-filings': r(LAWYER_STEP, { body: { caseNumber: '?' } }),
  'GET /api/contracts/{id}/dossier': r(CONTRACT_FILE),
  'POST /api/contracts/{id}/dossier': r(LAWYER_STEP, { body: {} }),
  'GET /api/contracts/{id}/dossier/{fileId}': r(CONTRACT_FILE),
  'DELETE /api/contracts/{id}/dossier/{fileId}': r(LAWYER_STEP, { params: { fileId: 'missingFileId' } }),
  'POST /api/payment-agent/callback': r(PUBLIC),
  'POST /api/assignments': r(BAR_OFFICE, { body: {} }),
  'GET /api/assignments': r(rule('ok', 'ok', 'ok', 'ok', 403, 403, 'ok', 'ok', 401)),
  'GET /api/assignments/{id}': r(ASSIGNMENT_READ, { params: { id: 'assignmentId' } }),
  'POST /api/assignments/{id}/approve': r(ASSIGNMENT_STEP, { params: { id: 'assignmentId' } }),
  'POST /api/assignments/{id}/decline': r(ASSIGNMENT_STEP, { params: { id: 'assignmentId' }, body: { reason: '' } }),
  'POST /api/assignments/{id}/complete': r(ASSIGNMENT_STEP, { params: { id: 'assignmentId' } }),
  'GET /verify/{orderNumber}': r(PUBLIC, { params: { orderNumber: 'orderNumber' } }),
  // Issue 13: the order's electronic signature: the contract's lawyer signs (the head gets past authorisation
  // and is refused as not the lawyer), the head confirms the bureau's copy, whoever reads the contract's files reads both.
  'GET /api/signing/contracts/{id}/versions/{version}': r(CONTRACT_FILE),
  'POST /api/signing/contracts/{id}/versions/{version}/signature': r(LAWYER_STEP, { spare: true }),
  'POST /api/signing/contracts/{id}/versions/{version}/bureau-copy-confirmation': r(LAWYER_STEP, { spare: true }),
  'GET /api/signing/contracts/{id}/versions/{version}/order.pdf': r(rule('passes', 404, 'passes', 404, 'passes', 404, 403, 'passes', 401)),
  'POST /api/contracts/{id}/stage': r(LAWYER_STEP, { body: { stage: 'pre_trial' } }),
  'POST /api/contracts/{id}/bar-office-access': r(BAR_OFFICE, { body: { reason: 'qısa' } }),
  'GET /api/security-events': r(rule(403, 403, 403, 403, 403, 403, 'ok', 'ok', 401)),
  // Issue 11: every signed-in person sets their own account's language (the body keeps it as it is).
  'PATCH /api/account/language': r(LOGGED_IN, { body: { language: 'az' } }),
  'GET /api/messages/unread': r(MESSAGES_PEOPLE),
  'GET /api/messages/threads': r(MESSAGES_PEOPLE),
  'POST /api/messages/threads': r(MESSAGES_WRITE, { body: {} }),
  'GET /api/messages/threads/{id}': r(PRIVATE_THREAD, thread),
  'POST /api/messages/threads/{id}/messages': r(PRIVATE_THREAD_STEP, { ...thread, body: { body: '' } }),
  'GET /api/messages/threads/{id}/attachments/{attachmentId}': r(PRIVATE_THREAD, { params: { id: 'threadId', attachmentId: 'attachmentId' } }),
  // Seminars (R3.1): lawyers read and register themselves; the Bar office publishes, edits, cancels, marks attendance.
  'GET /api/seminars': r(rule('ok', 'ok', 'ok', 'ok', 403, 403, 'ok', 'ok', 401)),
  'POST /api/seminars': r(BAR_OFFICE, { body: {} }),
  'GET /api/seminars/my-hours': r(ANY_LAWYER),
  'GET /api/seminars/{id}': r(SEMINAR_READ, { params: { id: 'seminarId' } }),
  'PATCH /api/seminars/{id}': r(BAR_OFFICE, { params: { id: 'seminarId' }, body: { title: '' } }),
  'POST /api/seminars/{id}/cancel': r(BAR_OFFICE, { params: { id: 'missingFileId' } }),
  'POST /api/seminars/{id}/attendance': r(BAR_OFFICE, { params: { id: 'seminarId' }, body: { attended: [] } }),
  'POST /api/seminars/{id}/registration': r(SEMINAR_STEP, { params: { id: 'seminarId' } }),
  'DELETE /api/seminars/{id}/registration': r(SEMINAR_STEP, { params: { id: 'seminarId' } }),
  'GET /api/profile': r(OWN_PROFILE),
  'POST /api/profile/changes': r(OWN_PROFILE_STEP, { body: {} }),
  'POST /api/profile/photo': r(OWN_PROFILE_STEP, { body: {} }),
  'GET /api/profile/photo': r(OWN_PROFILE_STEP),
  'GET /api/profile/changes/{id}/photo': r(OWN_PROFILE_STEP),
  'POST /api/profile/changes/{id}/withdraw': r(OWN_PROFILE_STEP),
  'POST /api/profile/achievements': r(OWN_PROFILE_STEP, { body: {} }),
  'POST /api/profile/education': r(OWN_PROFILE_STEP, { body: {} }),
  'DELETE /api/profile/education/{id}': r(OWN_PROFILE_STEP),
  'POST /api/profile/specialisations': r(OWN_PROFILE_STEP, { body: {} }),
  'GET /api/profile/specialisation-list': r(rule('ok', 'ok', 'ok', 'ok', 403, 403, 'ok', 'ok', 401)),
  'GET /api/office/profile-changes': r(rule(403, 403, 403, 403, 403, 403, 'ok', 'ok', 401)),
  'POST /api/office/profile-changes/{id}/approve': r(BAR_OFFICE),
  'POST /api/office/profile-changes/{id}/reject': r(BAR_OFFICE, { body: { reason: '' } }),
  'GET /api/office/profile-changes/{id}/photo': r(BAR_OFFICE),
  'GET /api/office/profiles/{id}': r(BAR_OFFICE),
  'GET /api/office/profiles/{id}/photo': r(BAR_OFFICE),
  'POST /api/office/specialisations': r(BAR_OFFICE, { body: {} }),
  'PATCH /api/office/specialisations/{id}': r(BAR_OFFICE, { body: {} }),
  'POST /api/office/specialisations/{id}/retire': r(BAR_OFFICE),
  // Issue 11: the Bar office's register and dashboard; nobody else (R2.5).
  'GET /api/office/lawyers': r(BAR_OFFICE_READ),
  'POST /api/office/lawyers': r(BAR_OFFICE, { body: {} }),
  'GET /api/office/lawyers/{id}': r(BAR_OFFICE_READ, { params: { id: 'lawyerId' } }),
  'PATCH /api/office/lawyers/{id}': r(BAR_OFFICE, { params: { id: 'lawyerId' }, body: {} }),
  'POST /api/office/lawyers/{id}/deactivate': r(BAR_OFFICE),
  'POST /api/office/lawyers/{id}/reactivate': r(BAR_OFFICE, { params: { id: 'lawyerId' } }),
  'POST /api/office/lawyers/import': r(BAR_OFFICE, { body: {} }),
  'POST /api/office/lawyers/import/{token}/commit': r(BAR_OFFICE, { params: { token: 'missingFileId' } }),
  'GET /api/office/bureaus': r(BAR_OFFICE_READ),
  'POST /api/office/bureaus': r(BAR_OFFICE, { body: {} }),
  'GET /api/office/bureaus/{id}': r(BAR_OFFICE_READ, { params: { id: 'bureauId' } }),
  'PATCH /api/office/bureaus/{id}': r(BAR_OFFICE, { params: { id: 'bureauId' }, body: {} }),
  'GET /api/office/dashboard': r(BAR_OFFICE_READ),
  // R3.2: statistics for the Bar office and every lawyer, each in their own scope (the service decides it, never the query).
  'GET /api/statistics': r(STATISTICS),
  'GET /api/statistics/export.csv': r(STATISTICS),
  'GET /api/statistics/export.xlsx': r(STATISTICS),

  'PAGE GET /': r(PUBLIC_PAGE),
  'PAGE GET /login': r(PUBLIC_PAGE),
  // Issue 13: /verify is a page too (the JSON answer is the operation above); the signing pages are the contract's lawyer's and head's.
  'PAGE GET /verify/:orderNumber': r(PUBLIC_PAGE, { params: { orderNumber: 'orderNumber' } }),
  'PAGE GET /contracts/:id/versions/:version/sign': r(LAWYER_CONTRACT_PAGE),
  'PAGE POST /contracts/:id/versions/:version/sign': r(rule('passes', 404, 'passes', 404, 404, 404, 404, 404, 'login'), { spare: true }),
  'PAGE POST /contracts/:id/versions/:version/bureau-copy': r(rule('passes', 404, 'passes', 404, 404, 404, 404, 404, 'login'), { spare: true }),
  'PAGE GET /login/lawyer': r(PUBLIC_PAGE),
  'PAGE POST /login/lawyer': r(PUBLIC_PAGE),
  'PAGE GET /login/lawyer/confirm': r(PUBLIC_PAGE),
  'PAGE GET /login/lawyer/status': r(PUBLIC_PAGE),
  'PAGE POST /login/lawyer/confirm': r(PUBLIC_PAGE),
  'PAGE GET /login/applicant': r(PUBLIC_PAGE),
  'PAGE POST /login/applicant': r(PUBLIC_PAGE),
  'PAGE GET /login/admin': r(PUBLIC_PAGE),
  'PAGE POST /login/admin': r(PUBLIC_PAGE),
  'PAGE GET /applicant/password': r(APPLICANT_PAGE),
  'PAGE POST /applicant/password': r(rule(404, 404, 404, 404, 'passes', 'passes', 404, 404, 'login')),
  'PAGE POST /logout': r(PUBLIC_PAGE, { last: true }),
  'PAGE GET /contracts': r(LAWYER_PAGE),
  'PAGE GET /projects': r(LAWYER_PAGE),
  'PAGE POST /projects/:id/stage': r(LAWYER_CONTRACT_STEP, { body: { stage: 'pre_trial' } }),
  'PAGE POST /contracts/new': r(rule('passes', 'passes', 'passes', 'passes', 404, 404, 404, 404, 'login')),
  'PAGE GET /contracts/:id/wizard': r(WIZARD_PAGE),
  'PAGE GET /contracts/:id/wizard/delete': r(WIZARD_PAGE),
  'PAGE POST /contracts/:id/wizard/delete': r(WIZARD_PAGE),
  'PAGE GET /contracts/:id/wizard/:step': r(WIZARD_PAGE, { params: { step: 'wizardStep' } }),
  'PAGE POST /contracts/:id/wizard/:step': r(WIZARD_PAGE, { params: { step: 'wizardStep' } }),
  'PAGE GET /contracts/:id': r(LAWYER_CONTRACT_PAGE),
  'PAGE POST /contracts/:id/approve': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/bar-fee': r(LAWYER_CONTRACT_STEP),
  'PAGE GET /contracts/:id/payment/:payment': r(rule(404, 404, 404, 404, 404, 404, 404, 404, 'login'), { params: { payment: 'agentPaymentId' } }),
  'PAGE POST /contracts/:id/reject': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/amendment/approve': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/amendment/reject': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/finish': r(LAWYER_CONTRACT_STEP, { spare: true }),
  'PAGE POST /contracts/:id/terminate': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/restart': r(LAWYER_CONTRACT_STEP),
  'PAGE GET /contracts/:id/amend': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/amend': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/court-filings': r(LAWYER_CONTRACT_STEP, { body: { caseNumber: '?' } }),
  'PAGE POST /contracts/:id/dossier': r(LAWYER_CONTRACT_STEP),
  'PAGE POST /contracts/:id/dossier/:fileId/remove': r(LAWYER_CONTRACT_STEP, { params: { fileId: 'missingFileId' } }),
  'PAGE GET /applicant': r(APPLICANT_PAGE),
  'PAGE GET /applicant/contracts/:id': r(APPLICANT_CONTRACT_PAGE),
  'PAGE POST /applicant/contracts/:id/pay': r(APPLICANT_CONTRACT_STEP),
  'PAGE GET /applicant/contracts/:id/payment/:payment': r(APPLICANT_CONTRACT_PAGE, { params: { payment: 'agentPaymentId' } }),
  'PAGE POST /applicant/contracts/:id/price-change': r(APPLICANT_CONTRACT_STEP, { body: { consent: 'yes' } }),
  'PAGE GET /assigned': r(LAWYER_PAGE),
  'PAGE POST /assigned/:id/approve': r(ASSIGNED_STEP_PAGE, { params: { id: 'assignmentId' } }),
  'PAGE POST /assigned/:id/decline': r(ASSIGNED_STEP_PAGE, { params: { id: 'assignmentId' } }),
  'PAGE POST /assigned/:id/complete': r(ASSIGNED_STEP_PAGE, { params: { id: 'assignmentId' } }),
  'PAGE GET /admin': r(ADMIN_PAGE),
  'PAGE POST /admin/assignments': r(ADMIN_STEP),
  'PAGE GET /admin/contracts': r(ADMIN_PAGE),
  'PAGE GET /admin/contracts/:id': r(ADMIN_CONTRACT_PAGE),
  'PAGE POST /admin/contracts/:id/access': r(rule(404, 404, 404, 404, 404, 404, 'passes', 'passes', 'login'), { body: { reason: 'qısa' } }),
  'PAGE GET /admin/security': r(ADMIN_PAGE),
  'PAGE GET /statistics': r(STATISTICS_PAGE),
  'PAGE GET /statistics/export.csv': r(STATISTICS_PAGE),
  'PAGE GET /statistics/export.xlsx': r(STATISTICS_PAGE),
  'PAGE GET /admin/password': r(ADMIN_PAGE),
  'PAGE GET /admin/dashboard': r(ADMIN_PAGE),
  'PAGE GET /admin/lawyers': r(ADMIN_PAGE),
  'PAGE GET /admin/lawyers/new': r(ADMIN_PAGE),
  'PAGE POST /admin/lawyers': r(ADMIN_STEP),
  'PAGE GET /admin/lawyers/import': r(ADMIN_PAGE),
  'PAGE POST /admin/lawyers/import': r(ADMIN_STEP),
  'PAGE GET /admin/lawyers/import/template.csv': r(ADMIN_PAGE),
  'PAGE GET /admin/lawyers/import/:token': r(ADMIN_PAGE, { params: { token: 'missingFileId' } }),
  'PAGE POST /admin/lawyers/import/:token': r(ADMIN_STEP, { params: { token: 'missingFileId' } }),
  'PAGE GET /admin/lawyers/:id': r(ADMIN_PAGE, { params: { id: 'lawyerId' } }),
  'PAGE GET /admin/lawyers/:id/edit': r(ADMIN_PAGE, { params: { id: 'lawyerId' } }),
  'PAGE POST /admin/lawyers/:id': r(ADMIN_STEP, { params: { id: 'lawyerId' } }),
  'PAGE POST /admin/lawyers/:id/deactivate': r(ADMIN_STEP),
  'PAGE POST /admin/lawyers/:id/reactivate': r(ADMIN_STEP, { params: { id: 'lawyerId' } }),
  'PAGE GET /admin/bureaus': r(ADMIN_PAGE),
  'PAGE GET /admin/bureaus/new': r(ADMIN_PAGE),
  'PAGE POST /admin/bureaus': r(ADMIN_STEP),
  'PAGE GET /admin/bureaus/:id': r(ADMIN_PAGE, { params: { id: 'bureauId' } }),
  'PAGE GET /admin/bureaus/:id/edit': r(ADMIN_PAGE, { params: { id: 'bureauId' } }),
  'PAGE POST /admin/bureaus/:id': r(ADMIN_STEP, { params: { id: 'bureauId' } }),
  'PAGE POST /admin/password': r(ADMIN_STEP, { body: { currentPassword: 'not-the-password', newPassword: 'x' } }),
  // The operator's pages (no role of this matrix is an operator: test/platform/codec-server.test.ts has them).
  'PAGE GET /operator': r(NOBODY_PAGE),
  'PAGE GET /operator/password': r(NOBODY_PAGE),
  'PAGE POST /operator/password': r(NOBODY_PAGE),
  'PAGE GET /activate': r(PUBLIC_PAGE),
  'PAGE POST /activate': r(PUBLIC_PAGE, { body: { token: 'not-a-link', password: 'x' } }),
  'PAGE GET /login/applicant/reset': r(PUBLIC_PAGE),
  'PAGE POST /login/applicant/reset': r(PUBLIC_PAGE, { body: { login: 'nobody@example.invalid' } }),
  'GET /api/calendar': r(ANY_LAWYER),
  'POST /api/calendar/meetings': r(CALENDAR_STEP, { body: {} }),
  'GET /api/calendar/meetings/{id}': r(NO_SUCH_MEETING, noMeeting),
  'PATCH /api/calendar/meetings/{id}': r(NO_SUCH_MEETING, { ...noMeeting, body: {} }),
  'POST /api/calendar/meetings/{id}/cancel': r(NO_SUCH_MEETING, noMeeting),
  'POST /api/calendar/feed': r(rule('ok', 'ok', 'ok', 'ok', 403, 403, 403, 403, 401)),
  'GET /api/calendar/feed/{token}': r(PUBLIC, { params: { token: 'missingFileId' } }),
  'PAGE GET /calendar': r(LAWYER_PAGE),
  'PAGE GET /calendar/new': r(LAWYER_PAGE),
  'PAGE POST /calendar/meetings': r(LAWYER_STEP_PAGE),
  'PAGE GET /calendar/meetings/:id': r(NO_SUCH_PAGE, noMeeting),
  'PAGE POST /calendar/meetings/:id': r(NO_SUCH_PAGE, noMeeting),
  'PAGE POST /calendar/meetings/:id/cancel': r(NO_SUCH_PAGE, noMeeting),
  'PAGE POST /calendar/feed': r(LAWYER_STEP_PAGE),
  'PAGE GET /info': r(LAWYER_PAGE),
  'PAGE GET /info/seminars/:id': r(LAWYER_PAGE, { params: { id: 'seminarId' } }),
  'PAGE POST /info/seminars/:id/register': r(rule('passes', 'passes', 'passes', 'passes', 404, 404, 404, 404, 'login'), { params: { id: 'seminarId' } }),
  'PAGE POST /info/seminars/:id/cancel': r(rule('passes', 'passes', 'passes', 'passes', 404, 404, 404, 404, 'login'), { params: { id: 'seminarId' } }),
  'PAGE GET /admin/seminars': r(ADMIN_PAGE),
  'PAGE GET /admin/seminars/new': r(ADMIN_PAGE),
  'PAGE POST /admin/seminars': r(ADMIN_STEP, { body: { title: '' } }),
  'PAGE GET /admin/seminars/:id': r(ADMIN_PAGE, { params: { id: 'seminarId' } }),
  'PAGE GET /admin/seminars/:id/edit': r(ADMIN_PAGE, { params: { id: 'seminarId' } }),
  'PAGE POST /admin/seminars/:id/edit': r(ADMIN_STEP, { params: { id: 'seminarId' }, body: { title: '' } }),
  'PAGE POST /admin/seminars/:id/cancel': r(ADMIN_STEP, { params: { id: 'seminarId' } }),
  'PAGE POST /admin/seminars/:id/attendance': r(ADMIN_STEP, { params: { id: 'seminarId' } }),
  'PAGE GET /messages': r(LAWYER_PAGE),
  'PAGE GET /messages/new': r(LAWYER_PAGE),
  'PAGE GET /messages/:id': r(PRIVATE_THREAD_PAGE, thread),
  'PAGE POST /messages': r(LAWYER_STEP_PAGE),
  'PAGE POST /messages/:id/reply': r(PRIVATE_THREAD_PAGE_STEP, thread),
  'PAGE GET /admin/messages': r(ADMIN_PAGE),
  'PAGE GET /admin/messages/new': r(ADMIN_PAGE),
  'PAGE GET /admin/messages/:id': r(ADMIN_PAGE, thread),
  'PAGE POST /admin/messages': r(ADMIN_STEP),
  'PAGE POST /admin/messages/:id/reply': r(ADMIN_STEP, thread),
  'PAGE GET /profile': r(LAWYER_PAGE),
  // Issue 11: the language switch; signed in it sets the person's own account, anonymous only the cookie.
  'PAGE POST /account/language': r(PUBLIC_PAGE, { body: { language: 'az', back: '/' } }),
  'PAGE POST /profile/changes': r(OWN_PROFILE_PAGE_STEP),
  'PAGE GET /profile/photo': r(LAWYER_PAGE),
  'PAGE GET /profile/changes/:id/photo': r(NO_SUCH_PAGE),
  'PAGE POST /profile/changes/:id/withdraw': r(OWN_PROFILE_PAGE_STEP),
  'PAGE POST /profile/achievements': r(OWN_PROFILE_PAGE_STEP, { body: { achievements: 'x'.repeat(400) } }),
  'PAGE POST /profile/education': r(OWN_PROFILE_PAGE_STEP),
  'PAGE POST /profile/education/:id/remove': r(OWN_PROFILE_PAGE_STEP),
  'PAGE POST /profile/specialisations': r(OWN_PROFILE_PAGE_STEP),
  'PAGE GET /admin/profile-changes': r(ADMIN_PAGE),
  'PAGE GET /admin/profile-changes/:id/photo': r(NO_SUCH_PAGE),
  'PAGE POST /admin/profile-changes/:id/approve': r(ADMIN_STEP),
  'PAGE POST /admin/profile-changes/:id/reject': r(ADMIN_STEP),
  'PAGE GET /admin/profiles/:id': r(NO_SUCH_PAGE),
  'PAGE GET /admin/profiles/:id/photo': r(NO_SUCH_PAGE),
  'PAGE GET /admin/specialisations': r(ADMIN_PAGE),
  'PAGE POST /admin/specialisations': r(ADMIN_STEP),
  'PAGE POST /admin/specialisations/:id/rename': r(ADMIN_STEP),
  'PAGE POST /admin/specialisations/:id/retire': r(ADMIN_STEP),
};

// ---------------------------------------------------------------- the routes, read from the code

/** Every operation of the OpenAPI document, as `METHOD /path/{param}`. */
function apiOperations(): string[] {
  const doc = buildOpenApiDocument('http://localhost') as { paths?: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths ?? {}).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
}

interface StackLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

/** Every route of the pages' router (its sub-routers are mounted at the root), as `PAGE METHOD /path/:param`. */
function pageRoutes(): string[] {
  const noLimit = ((_req: unknown, _res: unknown, next: () => void) => next()) as Parameters<typeof webRouter>[1];
  const router = webRouter({} as WebDeps, noLimit) as Router & { stack: StackLayer[] };
  const found: string[] = [];
  const walk = (stack: StackLayer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) for (const method of Object.keys(layer.route.methods)) found.push(`PAGE ${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(router.stack);
  return [...new Set(found)];
}

describe('every route has an authorisation rule (issue 9)', () => {
  it('each operation of the OpenAPI document and each page route has a rule, and each rule a route', () => {
    const routes = [...apiOperations(), ...pageRoutes()];
    const missing = routes.filter((key) => !(key in RULES)).map((key) => `route ${key} has no authorization rule`);
    expect(missing).toEqual([]);
    const stale = Object.keys(RULES).filter((key) => !routes.includes(key));
    expect(stale, 'rules for routes that no longer exist').toEqual([]);
  });
});

// ---------------------------------------------------------------- the people and the contract

interface Fixture {
  contractId: string;
  spareId: string;
  version: string;
  fileId: string;
  missingFileId: string;
  assignmentId: string;
  orderNumber: string;
  agentPaymentId: string;
  strangerFin: string;
  voen: string;
  wizardStep: string;
  threadId: string;
  attachmentId: string;
  seminarId: string;
  /** A lawyer and a bureau of the register (issue 11), read only. */
  lawyerId: string;
  bureauId: string;
}

let system: TestSystem;
let clients: Record<Role, HttpClient>;
let fixture: Fixture;
let secrets: string[];
const tokens = new Map<Role, string>();

/** A small but real PNG (the dossier checks the content). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' + '3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  system = await startTestSystem({ web: true });
  const { lawyer, colleague, head, individual } = await loginDemoLawyers(system);
  const { id: contractId, applicant, details } = await activeContract(system, { lawyer, head }, distinctiveDraft());
  secrets = personalDataOf(details);
  const spare = await activeContract(system, { lawyer, head });
  const otherId = await submittedContract(colleague, completeDraft());
  const otherApplicant = (await loginApplicant(system, colleague, otherId)).browser;
  const { browser: admin } = await loginNewAdmin(system);
  const { browser: adminWithReason } = await loginNewAdmin(system);
  for (const id of [contractId, spare.id])
    expectStatus(await adminWithReason.post(`/api/contracts/${id}/bar-office-access`, { reason: 'Authorisation matrix: a reasoned access' }), 201, 'access');
  clients = { lawyer, colleague, head, otherBureau: individual, applicant, otherApplicant, admin, adminWithReason, anonymous: new HttpClient(webUrl(system)) };

  const uploaded = await fetch(`${webUrl(system)}/api/contracts/${contractId}/dossier`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'scan.png', cookie: `evk.sid=${lawyer.cookie('evk.sid')}` },
    body: new Uint8Array(PNG),
  });
  expect(uploaded.status, await uploaded.clone().text()).toBe(201);
  const fileId = ((await uploaded.json()) as { file: { id: string } }).file.id;
  // R7: the contract's lawyer writes to the Bar office with an attachment (a private thread).
  const form = new FormData();
  form.set('subject', 'Matris: aparata sual');
  form.set('body', 'Matris yoxlaması üçün mesaj.');
  form.set('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'scan.png');
  const messagesPage = await lawyer.get('/messages', { accept: 'text/html' });
  const formToken = /name="_csrf" value="([^"]+)"/.exec(messagesPage.text)?.[1] ?? '';
  const sent = await fetch(`${webUrl(system)}/api/messages/threads`, {
    method: 'POST',
    headers: { cookie: lawyer.cookieHeader(), 'x-csrf-token': formToken },
    body: form,
  });
  expect(sent.status, await sent.clone().text()).toBe(201);
  const sentThread = ((await sent.json()) as { thread: { id: string; messages: { attachments: { id: string }[] }[] } }).thread;
  const assignment = expectStatus(
    await admin.post('/api/assignments', {
      lawyerId: 'lawyer-mammadov',
      court: 'Bakı Ağır Cinayətlər Məhkəməsi',
      caseNumber: `1(101)-${Date.now() % 100000}/2026`,
      defendedPerson: { name: 'Təyin Olunan Şəxs' },
      assignedAt: '2026-11-20',
    }),
    201,
    'assignment',
  ).body.assignment as { id: string };
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const seminar = expectStatus(
    await admin.post('/api/seminars', {
      title: 'Matris seminarı',
      description: 'Səlahiyyət yoxlaması',
      startsAt: inAWeek,
      endsAt: new Date(Date.parse(inAWeek) + 7_200_000).toISOString(),
      place: 'Bakı',
      capacity: 10,
      hours: 2,
    }),
    201,
    'seminar',
  ).body.seminar as { id: string };
  const payment = (await system.db('payment_requests').where({ contract_id: contractId }).first()) as { agent_payment_id: string };
  fixture = {
    contractId,
    spareId: spare.id,
    version: '1',
    fileId,
    missingFileId: '00000000-0000-4000-8000-000000000000',
    assignmentId: assignment.id,
    orderNumber: details.documents[0].orderNumber,
    agentPaymentId: payment.agent_payment_id,
    strangerFin: '1ABCD2E',
    voen: '1234567891',
    wizardStep: '1',
    threadId: sentThread.id,
    attachmentId: sentThread.messages[0].attachments[0].id,
    seminarId: seminar.id,
    lawyerId: 'lawyer-mammadov',
    bureauId: 'baki-1',
  };
}, 240_000);
afterAll(async () => {
  await system?.close();
});

/** The session's form token, for the page forms (the pages' CSRF check comes before any rule). */
async function tokenOf(role: Role): Promise<string> {
  const known = tokens.get(role);
  if (known) return known;
  const page = await clients[role].get('/login', { accept: 'text/html' });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  tokens.set(role, token);
  return token;
}

function pathOf(key: string, rule: Rule): { method: string; path: string; page: boolean } {
  const page = key.startsWith('PAGE ');
  const [method, template] = key.replace(/^PAGE /, '').split(' ');
  const path = template.replace(/\{(\w+)\}|:(\w+)/g, (_m, a?: string, b?: string) => {
    const name = (a ?? b)!;
    const from = rule.params?.[name] ?? (name === 'id' ? (rule.spare ? 'spareId' : 'contractId') : (name as keyof Fixture));
    const value = fixture[from];
    if (value === undefined) throw new Error(`${key}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return { method, path, page };
}

async function attempt(key: string, rule: Rule, role: Role): Promise<HttpResponse> {
  const { method, path, page } = pathOf(key, rule);
  const client = clients[role];
  if (!page) return client.request(method, path, method === 'GET' ? {} : { json: rule.body ?? {} });
  if (method === 'GET') return client.get(path, { accept: 'text/html' });
  const form = new URLSearchParams({ _csrf: await tokenOf(role) });
  for (const [k, v] of Object.entries(rule.body ?? {})) form.set(k, String(v));
  return client.request(method, path, { raw: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
}

const VISIBILITY_REASONS = new Set(['contract.not_found', 'assignment.not_found', 'auth.not_logged_in', 'auth.not_for_your_role', 'access.reason_required']);
const toLogin = (res: HttpResponse) => res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login');

/** Why the answer does not match the outcome, or undefined. */
function mismatch(outcome: Outcome, res: HttpResponse, method: string): string | undefined {
  const got = `${res.status} ${res.headers.get('location') ?? ''}${res.body?.error?.reason ?? ''}`;
  switch (outcome) {
    case 'ok':
      return res.status < 400 && !toLogin(res) ? undefined : got;
    case 'passes': {
      const refused =
        res.status === 401 || res.status === 403 || toLogin(res) || (res.status === 404 && (VISIBILITY_REASONS.has(res.body?.error?.reason) || !res.body));
      // 503: an outside register is down, which says nothing about who may ask.
      return refused || res.status === 500 ? got : undefined;
    }
    case 'public':
      return res.status < 500 ? undefined : got;
    case 'reduced':
      return res.status === 200 && (res.body?.reduced === true || res.text.includes('data-access-form')) ? undefined : got;
    case 'login':
      // A form sent without a session has no valid form token: refused (403) before the page's guard.
      return toLogin(res) || (method === 'POST' && res.status === 403) ? undefined : got;
    default:
      return res.status === outcome ? undefined : got;
  }
}

const entries = () => Object.entries(RULES);
/** Refusals first (they change nothing by definition), then the steps, and the logouts at the very end. */
const phase = (rule: Rule, role: Role) => (rule.last ? 2 : rule.expect[role] === 'passes' ? 1 : 0);

describe('each role gets what its rule says, and nothing personal when refused (issue 9 items 6, 10; R2.5)', () => {
  it('the whole matrix', async () => {
    const failures: string[] = [];
    const check = async (key: string, rule: Rule, role: Role) => {
      const outcome = rule.expect[role];
      const res = await attempt(key, rule, role);
      const wrong = mismatch(outcome, res, pathOf(key, rule).method);
      if (wrong) failures.push(`${key} as ${role}: expected ${outcome}, got ${wrong}`);
      // The contract's own people may see its data (the applicant's name is in every page's header).
      if (OUTSIDERS.includes(role)) {
        const leaked = secrets.filter((s) => res.text.includes(s));
        if (leaked.length > 0) failures.push(`${key} as ${role}: the answer carries personal data (${leaked.length} values)`);
      }
    };
    // Phase 0 (refusals and reads, which change nothing the others look at): the roles side by side,
    // each role's requests in the same order as before, on its own session. The steps and the
    // logouts stay one request at a time, in the order of the rules.
    await Promise.all(
      ROLES.map(async (role) => {
        for (const [key, rule] of entries()) if (phase(rule, role) === 0) await check(key, rule, role);
      }),
    );
    for (const current of [1, 2]) {
      for (const [key, rule] of entries()) {
        for (const role of ROLES) if (phase(rule, role) === current) await check(key, rule, role);
      }
    }
    failures.sort();
    expect(failures).toEqual([]);
  }, 300_000);
});
