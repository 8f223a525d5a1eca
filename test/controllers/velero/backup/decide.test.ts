import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideBackup,
  finishBackup,
  type BackupObservation,
} from '../../../../src/controllers/velero/backup/decide.ts';
import type { BackupObject, LocationObject } from '../../../../src/controllers/velero/kinds.ts';

const now = new Date('2026-03-01T10:00:00.500Z');

function backup(spec: BackupObject['spec'] = {}, status?: BackupObject['status']): BackupObject {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { name: 'b', namespace: 'openshift-adp', uid: 'uid-1', resourceVersion: '5' },
    spec,
    ...(status !== undefined ? { status } : {}),
  };
}

function location(
  name: string,
  extra: Partial<LocationObject> = {},
  phase: 'Available' | 'Unavailable' = 'Available',
): LocationObject {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { name, namespace: 'openshift-adp' },
    spec: { provider: 'aws', objectStorage: { bucket: 'bucket', prefix: 'velero' } },
    status: { phase },
    ...extra,
  };
}

const observe = (o: Partial<BackupObservation>): BackupObservation => ({
  backup: backup(),
  locations: [location('default')],
  now,
  ...o,
});

describe('a New Backup', () => {
  it('starts InProgress with the defaulted location and ttl, its expiration and format version', () => {
    const decision = decideBackup(observe({}));
    assert.equal(decision.action, 'start');
    if (decision.action !== 'start') return;
    assert.equal(decision.spec.storageLocation, 'default');
    assert.equal(decision.spec.ttl, '720h0m0s');
    assert.equal(decision.labels['velero.io/storage-location'], 'default');
    assert.deepEqual(decision.status, {
      version: 1,
      formatVersion: '1.1.0',
      expiration: '2026-03-31T10:00:00Z',
      phase: 'InProgress',
      startTimestamp: '2026-03-01T10:00:00Z',
      progress: {},
    });
  });

  it('uses the location marked default when it names none', () => {
    const decision = decideBackup(
      observe({
        locations: [
          location('other'),
          location('main', { spec: { provider: 'aws', default: true, objectStorage: { bucket: 'x' } } }),
        ],
      }),
    );
    assert.equal(decision.action === 'start' && decision.spec.storageLocation, 'main');
  });

  it('fails validation naming a missing location', () => {
    const decision = decideBackup(observe({ backup: backup({ storageLocation: 'nowhere' }) }));
    assert.equal(decision.action, 'fail-validation');
    if (decision.action !== 'fail-validation') return;
    assert.equal(decision.status.phase, 'FailedValidation');
    assert.deepEqual(decision.status.validationErrors, [
      'an existing backup storage location was not specified at backup creation time and the default nowhere was not found. Please address this issue (see `velero backup-location -h` for options) and create a new backup. Error: backupstoragelocations.velero.io "nowhere" not found',
    ]);
  });

  it('fails validation for an Unavailable or read-only location and a bad ttl', () => {
    const decision = decideBackup(
      observe({
        backup: backup({ ttl: '3days' }),
        locations: [
          location(
            'default',
            { spec: { provider: 'aws', accessMode: 'ReadOnly', objectStorage: { bucket: 'b' } } },
            'Unavailable',
          ),
        ],
      }),
    );
    assert.equal(
      decision.action === 'fail-validation' && decision.status.validationErrors?.join('\n'),
      [
        "backup can't be created because backup storage location default is currently in read-only mode",
        "backup can't be created because BackupStorageLocation default is in Unavailable status.",
        'invalid ttl "3days": time: unknown unit "days" in duration "3days"',
      ].join('\n'),
    );
  });
});

describe('an InProgress Backup after a restart', () => {
  const inProgress = backup({ storageLocation: 'default', ttl: '1h' }, { phase: 'InProgress' });

  it('runs again when the store has no tarball', () => {
    const decision = decideBackup(
      observe({ backup: inProgress, stored: { metadata: undefined, hasContents: false } }),
    );
    assert.deepEqual(decision, {
      action: 'run',
      location: { bucket: 'bucket', prefix: 'velero' },
      locationName: 'default',
    });
  });

  it('runs again when velero-backup.json is missing, even with a tarball', () => {
    const decision = decideBackup(
      observe({ backup: inProgress, stored: { metadata: undefined, hasContents: true } }),
    );
    assert.equal(decision.action, 'run');
  });

  it('adopts the stored status when the store holds this backup complete', () => {
    const storedStatus = { phase: 'Completed' as const, completionTimestamp: '2026-03-01T09:59:00Z' };
    const decision = decideBackup(
      observe({ backup: inProgress, stored: { metadata: backup({}, storedStatus), hasContents: true } }),
    );
    assert.deepEqual(decision, { action: 'adopt', status: storedStatus });
  });

  it('does not adopt a stored backup of the same name but another object', () => {
    const other = { ...backup({}, { phase: 'Completed' }), metadata: { name: 'b', uid: 'uid-0' } };
    const decision = decideBackup(
      observe({ backup: inProgress, stored: { metadata: other, hasContents: true } }),
    );
    assert.equal(decision.action, 'run');
  });

  it('fails when its location is gone', () => {
    const decision = decideBackup(observe({ backup: inProgress, locations: [] }));
    assert.equal(
      decision.action === 'fail' && decision.status.failureReason,
      'backup storage location default no longer exists',
    );
  });

  it('leaves finished backups alone', () => {
    for (const phase of ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'] as const)
      assert.equal(decideBackup(observe({ backup: backup({}, { phase }) })).action, 'ignore');
  });
});

describe('finishing a Backup', () => {
  it('is Completed without item errors and PartiallyFailed with them', () => {
    const clean = finishBackup(
      { phase: 'InProgress' },
      { totalItems: 3, itemsBackedUp: 3, errors: 0, warnings: 0 },
      now,
    );
    assert.deepEqual(clean, {
      phase: 'Completed',
      completionTimestamp: '2026-03-01T10:00:00Z',
      progress: { totalItems: 3, itemsBackedUp: 3 },
    });
    const partial = finishBackup({}, { totalItems: 3, itemsBackedUp: 3, errors: 2, warnings: 1 }, now);
    assert.equal(partial.phase, 'PartiallyFailed');
    assert.equal(partial.errors, 2);
    assert.equal(partial.warnings, 1);
  });
});
