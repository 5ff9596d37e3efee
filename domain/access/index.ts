export * from './codes';
export * from './lawyer-access';
