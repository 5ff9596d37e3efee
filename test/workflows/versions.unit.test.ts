/**
 * Issue 14: the marker that stands for the contract workflow's earlier changes names each of them by
 * the patch ID its code asks for; a misspelt one would silently turn a change off in new histories.
 */
import { describe, expect, it } from 'vitest';
import * as activities from '../../workflows/contract/activities';
import * as courtLane from '../../workflows/contract/court-lane';
import * as effects from '../../workflows/contract/effects';
import * as run from '../../workflows/contract/run';
import { CONTRACT_PATH_PATCH, coveredPatches } from '../../workflows/contract/versions';
import * as workflow from '../../workflows/contract/workflow';

const patchConstants = Object.entries({ ...activities, ...courtLane, ...effects, ...run, ...workflow })
  .filter(([name, value]) => name.endsWith('_PATCH') && typeof value === 'string')
  .map(([, value]) => value as string);

describe('the contract workflow’s versions (docs/versioning.md)', () => {
  it('every change the marker covers is a patch the workflow’s code asks for', () => {
    expect(patchConstants.length).toBeGreaterThanOrEqual(9);
    expect(coveredPatches().filter((id) => !patchConstants.includes(id))).toEqual([]);
  });

  it('the marker is a patch ID of its own, not one of the changes it covers', () => {
    expect(patchConstants).not.toContain(CONTRACT_PATH_PATCH);
    expect(coveredPatches()).not.toContain(CONTRACT_PATH_PATCH);
  });
});
