/** Statistics (R3.2): the figures, their scope (R2.5) and their period, as plain rules. */
export * from './codes';
export * from './figures';
export * from './period';
