/** The calendar's operations for the OpenAPI document (R8.4, issue 12); api/http/openapi.ts spreads this list. */
import type { ContractOperation as Operation } from '../contract/openapi';
import { meetingInputSchema } from './service';

export const CALENDAR_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/calendar',
    summary:
      "\"Təqvim\": the meetings overlapping [from, to) (ISO 8601, at most 100 days): the lawyer's own; a bureau head the bureau's, or one lawyer's with lawyerId. Each with title, times, place, the contract or assigned case, importance, comment, reminders, source (lawyer | court)",
    rule: 'R8.4',
  },
  {
    method: 'post',
    path: '/api/calendar/meetings',
    summary:
      "A new meeting: title, date + startTime + endTime (dd.mm.yyyy, HH:MM, Baku) or startsAt + endsAt (ISO), institutionId and/or place, link (contract:<id> | assignment:<id>, the lawyer's own), importance (high | normal | low), comment, reminders [{kind 1d | 2h | custom + amount + unit, or beforeSeconds; email, sms}]. 400 with the fields (end before start, a reminder after the start, in the past); overlaps come back as warnings",
    body: meetingInputSchema,
    rule: 'R8.4',
  },
  {
    method: 'get',
    path: '/api/calendar/meetings/{id}',
    summary: 'One meeting (its lawyer, or the head of its bureau) and the reminders already sent (late or not)',
    rule: 'R8.4',
  },
  {
    method: 'patch',
    path: '/api/calendar/meetings/{id}',
    summary: "Edit a meeting (its lawyer): every field as on creation; its reminders move. A hearing keeps e-court's time and place",
    body: meetingInputSchema,
    rule: 'R8.4',
  },
  { method: 'post', path: '/api/calendar/meetings/{id}/cancel', summary: 'Cancel a meeting (its lawyer): its reminders are cancelled', rule: 'R8.4' },
  {
    method: 'post',
    path: '/api/calendar/feed',
    summary: 'A new personal iCalendar feed URL (shown once; only a hash is kept); the previous URL answers 404 from now on',
    rule: 'R8.4',
  },
  {
    method: 'get',
    path: '/api/calendar/feed/{token}',
    summary:
      'The personal iCalendar feed (RFC 5545, text/calendar; the path ends in .ics): meetings with alarms, TZID Asia/Baku, stable UIDs. No session: the token is the key',
    rule: 'R8.4',
  },
];
