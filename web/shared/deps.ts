import type { ApiDeps } from '../../api/http/app';

/** What the pages are built with: the API's services and gateways (never a database of their own). */
export type WebDeps = ApiDeps;
