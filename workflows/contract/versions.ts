/**
 * The changes of the contract workflow's commands, each behind a patch (docs/versioning.md), and
 * one marker that stands for all of them in the histories that begin after session 28 (issue 14).
 *
 * The SDK's core upserts the `TemporalChangeVersion` search attribute the first time a history uses
 * each patch: one more event and one more visibility write per patch, each listing every patch so
 * far. A new contract used six patches before its order, so six upserts (and six markers) that
 * told the operator nothing. A history that begins with CONTRACT_PATH_PATCH has every change of
 * COVERED and records none of their markers; the older histories (without it) ask for each patch
 * as they always did and replay as recorded.
 *
 * A later change gets its own patch, asked for with `has()`; when the next one like this is made, it
 * gets a new marker covering that patch too, and this one stays for the histories that have it.
 */
import { patched } from '@temporalio/workflow';

/** Histories with this marker have every change of COVERED, from their first workflow task. */
export const CONTRACT_PATH_PATCH = 'contract-path-2026-12';

/** The changes the marker stands for, by their own patch IDs (each constant is where its change is). */
const COVERED: ReadonlySet<string> = new Set([
  'order-case-number', // court-lane.ts ORDER_CASE_NUMBER_PATCH
  'effect-lanes', // effects.ts EFFECT_LANES_PATCH
  'contract-prepared-at-approval', // run.ts PREPARE_CONTRACT_PATCH
  'contract-small-result', // workflow.ts SMALL_RESULT_PATCH
  'notices-with-read-model', // run.ts NOTICES_WITH_READ_MODEL_PATCH
  'payment-written-with-order', // run.ts PAYMENT_WITH_ORDER_PATCH
  'contacts-claimed-locally', // activities.ts CONTACTS_CLAIMED_LOCALLY_PATCH
  'contract-prepared-with-read-model', // run.ts PREPARE_WITH_READ_MODEL_PATCH
  'contract-created-with-first-save', // run.ts CREATED_WITH_FIRST_SAVE_PATCH
]);

export class Versions {
  private readonly current: boolean;

  /** Asks for the marker at the start of the run, the same in every replay of it. */
  constructor() {
    this.current = patched(CONTRACT_PATH_PATCH);
  }

  /** Whether this history has the change `patchId` (as `patched()` says, with no marker of its own when covered). */
  has(patchId: string): boolean {
    return (this.current && COVERED.has(patchId)) || patched(patchId);
  }
}

/** The IDs COVERED holds (the unit test checks them against the patch constants). */
export const coveredPatches = (): string[] => [...COVERED];
