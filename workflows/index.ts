// Every workflow type the worker runs; the bundler starts here.
export { contractWorkflow } from './contract/workflow';
export { notificationDispatcherWorkflow } from './notifications/dispatcher';
export { assignmentWorkflow } from './assignment/workflow';
export { paymentReconcilerWorkflow } from './payments/reconciler';
export { seminarReminderWorkflow } from './seminars/reminder';
export { profileChangeWorkflow } from './profile/workflow';
export { instalmentReminderWorkflow } from './instalments/reminder';
export { orderSigningWorkflow } from './signing/workflow';
export { meetingRemindersWorkflow } from './calendar/meeting-reminders';
export { courtHearingSyncWorkflow } from './calendar/court-hearing-sync';
