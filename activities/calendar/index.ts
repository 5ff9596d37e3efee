/** The calendar's activities (issue 12): a meeting's reminder into the outbox, and the hearing sync with e-court. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { ECourt } from '../../integrations/e-court/adapter';
import { createCourtHearingActivities } from './hearings';
import { ReminderPlanner } from './planner';
import { createMeetingReminderActivities } from './reminders';

export function createCalendarActivities(deps: { db: Knex; publicUrl: string; eCourt: ECourt; client: Client; taskQueue: string; lateAfterMs: number }) {
  const planner = new ReminderPlanner({ client: deps.client, taskQueue: deps.taskQueue, lateAfterMs: deps.lateAfterMs });
  return {
    ...createMeetingReminderActivities({ db: deps.db, publicUrl: deps.publicUrl }),
    ...createCourtHearingActivities({ db: deps.db, eCourt: deps.eCourt, planner }),
  };
}
