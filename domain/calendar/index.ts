/** The calendar's rules (R8.4, issue 12): plain functions over plain data. */
export * from './codes';
export * from './grid';
export * from './meeting';
export * from './reminders';
export type { Actor } from '../shared/actor';
export type { FieldError } from '../shared/field-error';
