export * from './bureau';
export * from './codes';
export * from './import';
export * from './lawyer';
