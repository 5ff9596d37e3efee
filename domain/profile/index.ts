export * from './codes';
export * from './rules';
