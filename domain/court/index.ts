export * from './case-number';
export * from './codes';
export * from './filing';
