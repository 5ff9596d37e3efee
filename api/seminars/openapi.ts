/** The seminars area's operations for the OpenAPI document (R3.1); api/http/openapi.ts spreads this list. */
import type { ContractOperation as Operation } from '../contract/openapi';
import { attendanceSchema, seminarInputSchema } from './service';

export const SEMINAR_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/seminars',
    summary:
      '"Seminarlar və konfranslar": upcoming events (not yet ended) and past ones, with places taken, the waiting list\'s length and, for a lawyer, their own registration (status, place in the queue); lawyers and the Bar office',
    rule: 'R3.1',
  },
  {
    method: 'post',
    path: '/api/seminars',
    summary:
      'Bar office: publish an event (title, description, startsAt and endsAt as ISO 8601 or local Baku time, place and/or onlineUrl, capacity, hours of professional development); plans its day-before reminder',
    body: seminarInputSchema,
    rule: 'R3.1',
  },
  {
    method: 'get',
    path: '/api/seminars/my-hours',
    summary: "The lawyer's own professional-development hours per year, from the events attended",
    rule: 'R3.1, R8.1',
  },
  { method: 'get', path: '/api/seminars/{id}', summary: 'One event; the Bar office also gets the registrants and the waiting list in order', rule: 'R3.1' },
  {
    method: 'patch',
    path: '/api/seminars/{id}',
    summary:
      'Bar office: edit an event (all fields, as when publishing); a new start re-plans the reminder and tells registrants; more places move waiting lawyers in',
    body: seminarInputSchema,
    rule: 'R3.1',
  },
  {
    method: 'post',
    path: '/api/seminars/{id}/cancel',
    summary: 'Bar office: cancel an event that has not begun; registrants and waiting lawyers are told by e-mail',
    rule: 'R3.1',
  },
  {
    method: 'post',
    path: '/api/seminars/{id}/attendance',
    summary: 'Bar office, from the start on: the registered lawyers who attended (every other registered lawyer did not); their hours count per year',
    body: attendanceSchema,
    rule: 'R3.1',
  },
  {
    method: 'post',
    path: '/api/seminars/{id}/registration',
    summary: 'A lawyer registers themselves: a place while there is one, else the waiting list (409 when already registered, cancelled or begun)',
    rule: 'R3.1',
  },
  {
    method: 'delete',
    path: '/api/seminars/{id}/registration',
    summary: 'A lawyer withdraws their own registration; a freed place goes at once to the first waiting lawyer, who is told by e-mail',
    rule: 'R3.1',
  },
];
