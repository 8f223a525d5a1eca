import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRestore, finishRestore } from '../../../../src/controllers/velero/restore/decide.ts';
import type {
  BackupObject,
  LocationObject,
  RestoreObject,
} from '../../../../src/controllers/velero/kinds.ts';

const now = new Date('2026-03-01T10:00:00Z');
const ns = 'openshift-adp';

const restore = (spec: RestoreObject['spec'], status?: RestoreObject['status']): RestoreObject => ({
  apiVersion: 'velero.io/v1',
  kind: 'Restore',
  metadata: { name: 'r', namespace: ns },
  spec,
  ...(status !== undefined ? { status } : {}),
});
const backup: BackupObject = {
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { name: 'b', namespace: ns },
  spec: { storageLocation: 'default' },
  status: { phase: 'Completed' },
};
const location = (phase: 'Available' | 'Unavailable'): LocationObject => ({
  apiVersion: 'velero.io/v1',
  kind: 'BackupStorageLocation',
  metadata: { name: 'default', namespace: ns },
  spec: { provider: 'aws', objectStorage: { bucket: 'bucket', prefix: 'p' } },
  status: { phase },
});

describe('a New Restore', () => {
  it('starts InProgress with the non-restorable kinds added to its exclusions', () => {
    const decision = decideRestore({
      restore: restore({ backupName: 'b' }),
      backups: [backup],
      locations: [location('Available')],
      now,
    });
    assert.equal(decision.action, 'start');
    if (decision.action !== 'start') return;
    assert.ok(decision.spec.excludedResources?.includes('events'));
    assert.ok(decision.spec.excludedResources?.includes('backups.velero.io'));
    assert.deepEqual(decision.status, {
      phase: 'InProgress',
      startTimestamp: '2026-03-01T10:00:00Z',
      progress: {},
    });
  });

  it("fails validation with Velero's messages", () => {
    const errors = (spec: RestoreObject['spec'], phase: 'Available' | 'Unavailable' = 'Available') => {
      const decision = decideRestore({
        restore: restore(spec),
        backups: [backup],
        locations: [location(phase)],
        now,
      });
      return decision.action === 'fail-validation' ? decision.status.validationErrors : undefined;
    };
    assert.deepEqual(errors({}), [
      'Either a backup or schedule must be specified as a source for the restore, but not both',
    ]);
    assert.deepEqual(errors({ backupName: 'b' }, 'Unavailable'), [
      'The BSL default is unavailable, cannot retrieve the backup',
    ]);
    assert.deepEqual(errors({ backupName: 'b', existingResourcePolicy: 'replace' }), [
      'Invalid ExistingResourcePolicy: replace',
    ]);
    assert.deepEqual(errors({ backupName: 'b', includedResources: ['nodes'] }), [
      'nodes are non-restorable resources',
      'Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: nodes',
    ]);
  });

  it("takes a schedule's latest completed backup", () => {
    const scheduled = (name: string, start: string, phase: 'Completed' | 'Failed'): BackupObject => ({
      ...backup,
      metadata: { name, namespace: ns, labels: { 'velero.io/schedule-name': 'nightly' } },
      status: { phase, startTimestamp: start },
    });
    const decision = decideRestore({
      restore: restore({ scheduleName: 'nightly' }),
      backups: [
        scheduled('old', '2026-02-01T00:00:00Z', 'Completed'),
        scheduled('new', '2026-02-02T00:00:00Z', 'Completed'),
        scheduled('broken', '2026-02-03T00:00:00Z', 'Failed'),
      ],
      locations: [location('Available')],
      now,
    });
    assert.equal(decision.action === 'start' && decision.spec.backupName, 'new');
  });
});

describe('an InProgress Restore', () => {
  it("runs from its backup's location", () => {
    const decision = decideRestore({
      restore: restore({ backupName: 'b' }, { phase: 'InProgress' }),
      backups: [backup],
      locations: [location('Available')],
      now,
    });
    assert.deepEqual(decision.action === 'run' && decision.location, { bucket: 'bucket', prefix: 'p' });
  });

  it('finishes PartiallyFailed when an item failed, counting warnings and errors', () => {
    const status = finishRestore(
      { phase: 'InProgress' },
      {
        totalItems: 4,
        itemsRestored: 4,
        warnings: { namespaces: { app: ['w1', 'w2'] } },
        errors: { cluster: ['e1'] },
      },
      now,
    );
    assert.deepEqual(status, {
      phase: 'PartiallyFailed',
      completionTimestamp: '2026-03-01T10:00:00Z',
      progress: { totalItems: 4, itemsRestored: 4 },
      errors: 1,
      warnings: 2,
    });
  });
});
