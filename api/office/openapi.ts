/** The register's operations (issue 11; R2.1, R2.2) for the OpenAPI document: the Bar office only. */
import type { ContractOperation } from '../contract/openapi';
import { bureauEntrySchema, importUploadSchema, lawyerEntrySchema } from './schemas';

/** An operation as the document lists it (the contract area's shape). */
export type OfficeOperation = ContractOperation;

export const OFFICE_OPERATIONS: OfficeOperation[] = [
  {
    method: 'get',
    path: '/api/office/lawyers',
    summary: 'Bar office: the register of lawyers, q (name, FIN, licence, user ID), bureauId, active=yes|no, page, pageSize',
    rule: 'R2.1',
  },
  {
    method: 'post',
    path: '/api/office/lawyers',
    summary:
      'Bar office: add a lawyer (400 with the fields: FIN 7 characters, user ID 6 digits, FIN and licence unique); bureauId "__individual__" makes a bureau of one',
    body: lawyerEntrySchema,
    rule: 'R2.1, R2.2',
  },
  { method: 'get', path: '/api/office/lawyers/{id}', summary: "Bar office: a lawyer's entry and its history (field, old → new, who, when)", rule: 'R2.1' },
  {
    method: 'patch',
    path: '/api/office/lawyers/{id}',
    summary: "Bar office: change a lawyer's entry (the whole entry; the history keeps what changed)",
    body: lawyerEntrySchema,
    rule: 'R2.1',
  },
  {
    method: 'post',
    path: '/api/office/lawyers/{id}/deactivate',
    summary: 'Bar office: take the lawyer off the active list; their open sessions end now and the next login is refused (access.not_on_active_register)',
    rule: 'R2.1',
  },
  { method: 'post', path: '/api/office/lawyers/{id}/reactivate', summary: 'Bar office: put the lawyer back on the active list', rule: 'R2.1' },
  {
    method: 'post',
    path: '/api/office/lawyers/import',
    summary:
      'Bar office: upload a CSV or XLSX list (base64): the preview of every row (add / update / unchanged / error with the fields), kept under a token for an hour',
    body: importUploadSchema,
    rule: 'R2.1',
  },
  {
    method: 'post',
    path: '/api/office/lawyers/import/{token}/commit',
    summary: '"Təsdiq et": save every row of the preview in one transaction, re-checked now; 409 and nothing saved when any row is refused',
    rule: 'R2.1',
  },
  { method: 'get', path: '/api/office/bureaus', summary: 'Bar office: the bureaus with their payment-agent contract and whether it holds today', rule: 'R2.1' },
  {
    method: 'post',
    path: '/api/office/bureaus',
    summary: 'Bar office: add a bureau (name, address, agent contract number, valid from, valid to)',
    body: bureauEntrySchema,
    rule: 'R2.1, R2.2',
  },
  { method: 'get', path: '/api/office/bureaus/{id}', summary: 'Bar office: a bureau, its head, members and history', rule: 'R2.1' },
  {
    method: 'patch',
    path: '/api/office/bureaus/{id}',
    summary:
      "Bar office: change a bureau's entry, its agent contract, or its head; lawyers of a bureau without a valid contract today are refused at login (R2.1 ii)",
    body: bureauEntrySchema,
    rule: 'R2.1',
  },
  { method: 'get', path: '/api/office/dashboard', summary: 'Bar office: what waits for the office, a count and a link per source' },
];
