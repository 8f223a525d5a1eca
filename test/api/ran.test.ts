import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { applyDefaults, type JSONSchemaProps } from '../../src/apiserver/schema/index.ts';
import { crdOf } from '../../src/api/kind.ts';
import {
  clusterGroupUpgradeKind,
  kinds,
  preCachingConfigKind,
  ran,
  siteConfigKind,
} from '../../src/api/ran/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

const fixture = (name: string) =>
  parse(readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const cgu = (spec: Record<string, unknown>) => ({
  apiVersion: ran.apiVersion,
  kind: 'ClusterGroupUpgrade',
  metadata: { name: 'cgu', namespace: 'ztp-group-du-sno' },
  spec,
});

test('every ran kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test("seed 002's backup ClusterGroupUpgrade is accepted as-is", () => {
  assert.deepEqual(
    objectProblems(clusterGroupUpgradeKind, fixture('seed002-02-clustergroupupgrade.yaml')),
    [],
  );
});

test("seed 002's backup status is a valid ClusterGroupUpgrade status", () => {
  const object = {
    ...fixture('seed002-02-clustergroupupgrade.yaml'),
    status: fixture('seed002-03-clustergroupupgrade-status.yaml'),
  };
  assert.deepEqual(objectProblems(clusterGroupUpgradeKind, object), []);
});

test('a ClusterGroupUpgrade without a remediation strategy is refused', () => {
  assert.deepEqual(objectProblems(clusterGroupUpgradeKind, cgu({ clusters: ['sno1'] })), [
    'spec.remediationStrategy: Required value',
  ]);
});

test('a remediation strategy without maxConcurrency is refused', () => {
  assert.deepEqual(objectProblems(clusterGroupUpgradeKind, cgu({ remediationStrategy: { timeout: 60 } })), [
    'spec.remediationStrategy.maxConcurrency: Required value',
  ]);
});

test('unset spec fields take upstream defaults: enabled, no backup, no pre-caching, 240 minutes', () => {
  const crd = crdOf(clusterGroupUpgradeKind) as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
  assert.ok(schema);
  const defaulted = applyDefaults(
    schema,
    cgu({ remediationStrategy: { maxConcurrency: 1 }, actions: { afterCompletion: {} } }),
  ) as {
    spec: Record<string, unknown> & {
      remediationStrategy: { timeout: number };
      actions: { afterCompletion: { deleteObjects: boolean } };
    };
  };
  assert.equal(defaulted.spec.enable, true);
  assert.equal(defaulted.spec.backup, false);
  assert.equal(defaulted.spec.preCaching, false);
  assert.equal(defaulted.spec.remediationStrategy.timeout, ran.defaultTimeoutMinutes);
  assert.equal(defaulted.spec.actions.afterCompletion.deleteObjects, true);
});

test('an unknown batch timeout action is refused', () => {
  assert.deepEqual(
    objectProblems(
      clusterGroupUpgradeKind,
      cgu({ remediationStrategy: { maxConcurrency: 1 }, batchTimeoutAction: 'Retry' }),
    ),
    ['spec.batchTimeoutAction: Unsupported value: "Retry": supported values: "Continue", "Abort"'],
  );
});

test('a ClusterGroupUpgrade in progress with label selectors, actions and batch progress is accepted', () => {
  const object = {
    ...cgu({
      clusterLabelSelectors: [{ matchLabels: { 'du-profile': 'v4.16' } }],
      managedPolicies: ['du-upgrade-platform-upgrade'],
      remediationStrategy: { maxConcurrency: 2, timeout: 240, canaries: ['cnfdb1'] },
      preCachingConfigRef: { name: 'pcc', namespace: 'ztp-group-du-sno' },
      actions: {
        beforeEnable: { addClusterLabels: { upgrade: 'true' } },
        afterCompletion: { removeClusterLabels: ['upgrade'] },
      },
      blockingCRs: [{ name: 'other', namespace: 'ztp-group-du-sno' }],
    }),
    status: {
      conditions: [
        {
          type: ran.conditionTypes.progressing,
          status: 'True',
          reason: ran.conditionReasons.inProgress,
          message: ran.conditionMessages.remediating,
          lastTransitionTime: '2024-06-01T00:00:00Z',
        },
      ],
      remediationPlan: [['cnfdb1'], ['cnfdb2']],
      managedPoliciesForUpgrade: [{ name: 'du-upgrade-platform-upgrade', namespace: 'ztp-group-du-sno' }],
      managedPoliciesNs: { 'du-upgrade-platform-upgrade': 'ztp-group-du-sno' },
      clusters: [{ name: 'cnfdb0', state: 'complete' }],
      status: {
        startedAt: '2024-06-01T00:00:00Z',
        currentBatch: 1,
        currentBatchStartedAt: '2024-06-01T00:00:00Z',
        currentBatchRemediationProgress: { cnfdb1: { state: 'InProgress', policyIndex: 0 } },
      },
      precaching: { spec: { platformImage: 'quay.io/release:4.16.1' }, status: { cnfdb1: 'Succeeded' } },
      backup: { status: { cnfdb1: ran.backupStates.succeeded } },
      computedMaxConcurrency: 2,
    },
  };
  assert.deepEqual(objectProblems(clusterGroupUpgradeKind, object), []);
});

test('a PreCachingConfig with overrides is accepted', () => {
  const config = {
    apiVersion: ran.apiVersion,
    kind: 'PreCachingConfig',
    metadata: { name: 'pcc', namespace: 'ztp-group-du-sno' },
    spec: {
      overrides: { operatorsPackagesAndChannels: ['local-storage-operator:stable'] },
      spaceRequired: '30 GiB',
      excludePrecachePatterns: ['aws'],
      additionalImages: ['quay.io/app:1'],
    },
  };
  assert.deepEqual(objectProblems(preCachingConfigKind, config), []);
});

test("seed 002's SiteConfig fragment validates as the nodes of a SiteConfig cluster", () => {
  const { nodes } = fixture('seed002-01-siteconfig.yaml') as { nodes: unknown[] };
  const siteConfig = {
    apiVersion: 'ran.openshift.io/v1',
    kind: 'SiteConfig',
    metadata: { name: 'site', namespace: 'ztp' },
    spec: { clusters: [{ clusterName: 'sno-worker-0', nodes }] },
  };
  assert.deepEqual(objectProblems(siteConfigKind, siteConfig), []);
});

test("seed 002's SiteConfig fragment puts a 50 GB recovery partition at /var/recovery", () => {
  const { nodes } = fixture('seed002-01-siteconfig.yaml') as {
    nodes: { role: string; diskPartition: { partitions: { mount_point: string; size: number }[] }[] }[];
  };
  assert.equal(nodes[0]?.role, 'master');
  assert.deepEqual(nodes[0]?.diskPartition[0]?.partitions[0], {
    mount_point: ran.recovery.partitionMountPoint,
    size: 51200,
    start: 800000,
  });
});
