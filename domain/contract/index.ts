/**
 * The rules of a legal-aid contract (SPEC §4), plain functions over plain data with no
 * dependencies, so that the workflow, the API, the pages and the documents all decide the same way.
 * Money is integer qəpik (1 AZN = 100 qəpik) everywhere.
 */
export * from '../shared/actor';
export * from '../shared/field-error';
export * from '../shared/identifiers';
export * from '../shared/money';
export * from '../shared/names';
export * from '../shared/search';
export * from './payments';
export * from './permissions';
export * from './stage';
export * from './status';
export * from './terms';
export * from './validation';
export * from './codes';
export * from './verification';
export * from './instalment-reminder';
