export * from './bar-office';
export * from './codes';
export * from './lawyer-access';
export * from './password-policy';
