import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  backupKind,
  backupStorageLocationKind,
  kinds,
  restoreKind,
  velero,
} from '../../src/api/velero/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

const fixture = (name: string) =>
  parse(readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const object = (kind: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => ({
  apiVersion: velero.apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'openshift-adp' },
  spec,
  ...(status ? { status } : {}),
});

test('every velero kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test("seed 000's apply-label Backup is accepted as-is", () => {
  assert.deepEqual(objectProblems(backupKind, fixture('seed000-03-backup.yaml')), []);
});

test('a Backup with the IBU fields, hooks and a completed status is accepted', () => {
  const backup = object(
    'Backup',
    {
      includedNamespaces: ['app'],
      excludedResources: [
        'pods',
        'endpoints',
        'controllerrevision',
        'podmetrics',
        'packagemanifest',
        'replicaset',
      ],
      includedClusterScopedResources: ['persistentVolumes'],
      labelSelector: { matchLabels: { 'lca.openshift.io/backup': 'x' } },
      orLabelSelectors: [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] }],
      ttl: '720h0m0s',
      storageLocation: 'default',
      hooks: {
        resources: [
          { name: 'quiesce', pre: [{ exec: { command: ['/bin/sync'], onError: 'Fail', timeout: '30s' } }] },
        ],
      },
    },
    {
      phase: 'Completed',
      startTimestamp: '2024-06-01T00:00:00Z',
      completionTimestamp: '2024-06-01T00:01:00Z',
      expiration: null,
      progress: { totalItems: 12, itemsBackedUp: 12 },
    },
  );
  assert.deepEqual(objectProblems(backupKind, backup), []);
});

test('velero lists may be sent as null', () => {
  assert.deepEqual(
    objectProblems(backupKind, object('Backup', { includedNamespaces: null, labelSelector: null })),
    [],
  );
});

test('an unknown Backup phase is refused with the supported phases', () => {
  const problems = objectProblems(backupKind, object('Backup', {}, { phase: 'Done' }));
  assert.equal(problems.length, 1);
  assert.match(
    problems[0] ?? '',
    /^status\.phase: Unsupported value: "Done": supported values: "New", "Queued", /,
  );
});

test('a hook without a command is refused', () => {
  const backup = object('Backup', {
    hooks: { resources: [{ name: 'h', pre: [{ exec: { command: [] } }] }] },
  });
  assert.deepEqual(objectProblems(backupKind, backup), [
    'spec.hooks.resources[0].pre[0].exec.command: Invalid value: 0: spec.hooks.resources[0].pre[0].exec.command in body should have at least 1 items',
  ]);
});

test('a Restore of a named backup with its status is accepted', () => {
  const restore = object(
    'Restore',
    { backupName: 'acm-klusterlet', restorePVs: true, existingResourcePolicy: 'update' },
    { phase: 'PartiallyFailed', errors: 1, warnings: 2, failureReason: '' },
  );
  assert.deepEqual(objectProblems(restoreKind, restore), []);
});

test('an unknown Restore phase is refused', () => {
  const problems = objectProblems(restoreKind, object('Restore', { backupName: 'b' }, { phase: 'Running' }));
  assert.match(problems[0] ?? '', /^status\.phase: Unsupported value: "Running": supported values: "New", /);
});

test('a BackupStorageLocation needs a provider and a bucket', () => {
  assert.deepEqual(
    objectProblems(backupStorageLocationKind, object('BackupStorageLocation', { objectStorage: {} })),
    ['spec.objectStorage.bucket: Required value', 'spec.provider: Required value'],
  );
});

test('an available default BackupStorageLocation is accepted', () => {
  const bsl = object(
    'BackupStorageLocation',
    {
      provider: 'aws',
      default: true,
      config: { region: 'minio', s3Url: 'http://minio:9000', s3ForcePathStyle: 'true' },
      credential: { name: 'cloud-credentials', key: 'cloud' },
      objectStorage: { bucket: 'ibu', prefix: 'sno1' },
    },
    { phase: 'Available', lastValidationTime: '2024-06-01T00:00:00Z' },
  );
  assert.deepEqual(objectProblems(backupStorageLocationKind, bsl), []);
});
