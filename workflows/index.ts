// Every workflow type the worker runs; the bundler starts here.
export { contractWorkflow } from './contract';
export { notificationDispatcherWorkflow } from './notification-dispatcher';
export { assignmentWorkflow } from './assignment';
