/** The profile area's operations for the OpenAPI document (SPEC R8.1–R8.3, issue 11); api/http/openapi.ts spreads this list. */
import type { ContractOperation } from '../contract/openapi';
import { reasonSchema } from '../http/schemas';
import { achievementsSchema, educationSchema, profileChangeSchema, specialisationNameSchema, specialisationsSchema } from './service';

export const PROFILE_OPERATIONS: ContractOperation[] = [
  {
    method: 'get',
    path: '/api/profile',
    summary:
      "The lawyer's own profile: verified contacts, the pending change request and the last ones (with the office's reason), achievements, education, specialisations, services provided per year",
    rule: 'R8.1',
  },
  {
    method: 'post',
    path: '/api/profile/changes',
    summary:
      'Ask to change the e-mail, contact phone and/or address: pending until the Bar office verifies it (201); 409 profile.change_pending while another waits. The login phone of the mobile signature is not part of it',
    body: profileChangeSchema,
    rule: 'R8.2',
  },
  {
    method: 'post',
    path: '/api/profile/photo',
    summary:
      'Ask to change the photo: its bytes as the body (image/jpeg or image/png) or a multipart form with the file in "photo"; JPEG or PNG by content, at most 2 MB (400 at "photo")',
    rule: 'R8.2',
  },
  { method: 'get', path: '/api/profile/photo', summary: "The lawyer's verified photo (404 when none)", rule: 'R8.2' },
  { method: 'get', path: '/api/profile/changes/{id}/photo', summary: 'The photo a change request of the lawyer asks for', rule: 'R8.2' },
  { method: 'post', path: '/api/profile/changes/{id}/withdraw', summary: 'Withdraw a pending change request (its lawyer); 409 once decided', rule: 'R8.2' },
  {
    method: 'post',
    path: '/api/profile/achievements',
    summary: 'Replace the list of achievements (at most 20, 300 characters each)',
    body: achievementsSchema,
    rule: 'R8.1',
  },
  { method: 'post', path: '/api/profile/education', summary: 'Add an education entry: institution, degree, year (201)', body: educationSchema, rule: 'R8.3' },
  { method: 'delete', path: '/api/profile/education/{id}', summary: 'Remove an education entry of the lawyer (204)', rule: 'R8.3' },
  {
    method: 'post',
    path: '/api/profile/specialisations',
    summary: "Set the lawyer's specialisations: one or more IDs from the Bar office's list (a retired one only if already held)",
    body: specialisationsSchema,
    rule: 'R8.3',
  },
  {
    method: 'get',
    path: '/api/profile/specialisation-list',
    summary: "The Bar office's list of specialisations (lawyers: current entries; the office: retired too)",
    rule: 'R8.3',
  },
  {
    method: 'get',
    path: '/api/office/profile-changes',
    summary: 'Bar office: the queue of profile change requests, status=pending (oldest first, reminded ones marked) or decided',
    rule: 'R8.2',
  },
  {
    method: 'post',
    path: '/api/office/profile-changes/{id}/approve',
    summary: "Bar office: verify a change request; the values become the lawyer's and the lawyer is told by e-mail",
    rule: 'R8.2',
  },
  {
    method: 'post',
    path: '/api/office/profile-changes/{id}/reject',
    summary: 'Bar office: reject a change request with a reason (shown to the lawyer in the cabinet; the e-mail only says it was rejected)',
    body: reasonSchema,
    rule: 'R8.2',
  },
  { method: 'get', path: '/api/office/profile-changes/{id}/photo', summary: 'Bar office: the photo a change request asks for', rule: 'R8.2' },
  { method: 'get', path: '/api/office/profiles/{id}', summary: "Bar office: a lawyer's profile", rule: 'R8.1' },
  { method: 'get', path: '/api/office/profiles/{id}/photo', summary: "Bar office: a lawyer's verified photo", rule: 'R8.2' },
  {
    method: 'post',
    path: '/api/office/specialisations',
    summary: 'Bar office: add an entry to the list of specialisations',
    body: specialisationNameSchema,
    rule: 'R8.3',
  },
  {
    method: 'patch',
    path: '/api/office/specialisations/{id}',
    summary: 'Bar office: rename an entry of the list',
    body: specialisationNameSchema,
    rule: 'R8.3',
  },
  {
    method: 'post',
    path: '/api/office/specialisations/{id}/retire',
    summary: 'Bar office: retire an entry (no longer offered; lawyers who have it keep it)',
    rule: 'R8.3',
  },
];
