import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backupsToSync,
  decideLocation,
  syncedBackup,
} from '../../../../src/controllers/velero/bsl/decide.ts';
import type { BackupObject, LocationObject } from '../../../../src/controllers/velero/kinds.ts';

const now = new Date('2026-03-01T10:00:00Z');

function location(
  status?: LocationObject['status'],
  spec: Partial<NonNullable<LocationObject['spec']>> = {},
): LocationObject {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { name: 'default', namespace: 'openshift-adp' },
    spec: { provider: 'aws', objectStorage: { bucket: 'bucket' }, ...spec },
    ...(status !== undefined ? { status } : {}),
  };
}

describe('BackupStorageLocation availability', () => {
  it('is Available while the bucket takes writes, and syncs', () => {
    const decision = decideLocation({ location: location(), storeProblem: undefined, now });
    assert.deepEqual(decision, {
      status: {
        phase: 'Available',
        message: null,
        lastValidationTime: '2026-03-01T10:00:00Z',
        lastSyncedTime: '2026-03-01T10:00:00Z',
      },
      sync: true,
      requeueAfterMs: 60_000,
    });
  });

  it("is Unavailable with Velero's message otherwise, and does not sync", () => {
    const decision = decideLocation({ location: location(), storeProblem: 'bucket b does not exist', now });
    assert.equal(decision.status?.phase, 'Unavailable');
    assert.equal(
      decision.status?.message,
      'BackupStorageLocation "default" is unavailable: bucket b does not exist',
    );
    assert.equal(decision.sync, false);
  });

  it('writes nothing until the next validation is due', () => {
    const fresh = location({
      phase: 'Available',
      lastValidationTime: '2026-03-01T09:59:30Z',
      lastSyncedTime: '2026-03-01T09:59:30Z',
    });
    const decision = decideLocation({ location: fresh, storeProblem: undefined, now });
    assert.equal(decision.status, undefined);
    assert.equal(decision.requeueAfterMs, 30_000);
    const due = decideLocation({
      location: fresh,
      storeProblem: undefined,
      now: new Date('2026-03-01T10:00:31Z'),
    });
    assert.equal(due.status?.lastValidationTime, '2026-03-01T10:00:31Z');
  });

  it('revalidates at once when the outcome changes, and honours validationFrequency', () => {
    const fresh = location(
      { phase: 'Available', lastValidationTime: '2026-03-01T09:59:59Z' },
      { validationFrequency: '10s' },
    );
    assert.equal(decideLocation({ location: fresh, storeProblem: 'gone', now }).status?.phase, 'Unavailable');
    assert.equal(decideLocation({ location: fresh, storeProblem: undefined, now }).requeueAfterMs, 9_000);
  });
});

describe('backup sync', () => {
  it('recreates stored backups the cluster lacks, pointing at the location', () => {
    const present = [{ metadata: { name: 'a' } }] as BackupObject[];
    assert.deepEqual(backupsToSync(['a', 'b'], present), ['b']);
    const stored: BackupObject = {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: 'b', namespace: 'velero', uid: 'old', resourceVersion: '9', labels: { x: 'y' } },
      spec: { storageLocation: 'elsewhere', includedNamespaces: ['app'] },
      status: { phase: 'Completed' },
    };
    assert.deepEqual(syncedBackup(stored, location()), {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        name: 'b',
        namespace: 'openshift-adp',
        labels: { x: 'y', 'velero.io/storage-location': 'default' },
      },
      spec: { storageLocation: 'default', includedNamespaces: ['app'] },
      status: { phase: 'Completed' },
    });
  });
});
