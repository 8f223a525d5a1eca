import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  kinds,
  managedClusterActionKind,
  managedClusterKind,
  managedClusterViewKind,
} from '../../src/api/cluster/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

const condition = (type: string, status: string) => ({
  type,
  status,
  reason: 'ManagedClusterAvailable',
  message: 'Managed cluster is available',
  lastTransitionTime: '2024-05-20T15:00:40Z',
});

const managedCluster = {
  apiVersion: 'cluster.open-cluster-management.io/v1',
  kind: 'ManagedCluster',
  metadata: { name: 'spoke1', labels: { openshiftVersion: '4.14.13' } },
  spec: {
    hubAcceptsClient: true,
    managedClusterClientConfigs: [
      { url: 'https://api.spoke1.example.com:6443', caBundle: 'LS0tLS1CRUdJTg==' },
    ],
    leaseDurationSeconds: 60,
  },
  status: {
    conditions: [
      condition('HubAcceptedManagedCluster', 'True'),
      condition('ManagedClusterJoined', 'True'),
      condition('ManagedClusterConditionAvailable', 'True'),
    ],
    version: { kubernetes: 'v1.27.10+28ed2d7' },
    clusterClaims: [{ name: 'version.openshift.io', value: '4.14.13' }],
    capacity: { cpu: '16', memory: '64Gi' },
    allocatable: { cpu: '15500m', memory: '60Gi' },
  },
};

test('every cluster, view and action kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('a ManagedCluster is cluster-scoped and lists HUB ACCEPTED, MANAGED CLUSTER URLS, JOINED, AVAILABLE, AGE', () => {
  assert.equal(managedClusterKind.scope, 'Cluster');
  assert.deepEqual(
    managedClusterKind.versions[0]?.printerColumns?.map((c) => c.name),
    ['Hub Accepted', 'Managed Cluster URLs', 'Joined', 'Available', 'Age'],
  );
  assert.deepEqual(objectProblems(managedClusterKind, managedCluster), []);
});

test('a ManagedCluster taint needs a known effect', () => {
  const tainted = {
    ...managedCluster,
    spec: {
      ...managedCluster.spec,
      taints: [{ key: 'cluster.open-cluster-management.io/unreachable', effect: 'NoExecute' }],
    },
  };
  assert.deepEqual(objectProblems(managedClusterKind, tainted), [
    'spec.taints[0].effect: Unsupported value: "NoExecute": supported values: "NoSelect", "PreferNoSelect", "NoSelectIfNew"',
  ]);
});

test('a ManagedClusterView scopes one resource and returns it as-is in status.result', () => {
  const view = {
    apiVersion: 'view.open-cluster-management.io/v1beta1',
    kind: 'ManagedClusterView',
    metadata: { name: 'cgu-backup', namespace: 'spoke1' },
    spec: {
      scope: {
        apiGroup: 'batch',
        version: 'v1',
        kind: 'Job',
        name: 'backup-agent',
        namespace: 'openshift-talo-backup',
      },
    },
    status: {
      conditions: [
        {
          type: 'Processing',
          status: 'True',
          reason: 'GetResourceProcessing',
          message: 'Watching resources successfully',
          lastTransitionTime: '2024-05-20T15:00:40Z',
        },
      ],
      result: { apiVersion: 'batch/v1', kind: 'Job', status: { succeeded: 1 } },
    },
  };
  assert.deepEqual(objectProblems(managedClusterViewKind, view), []);
});

test('a ManagedClusterAction creates, updates or deletes, nothing else', () => {
  const action = (actionType: string) => ({
    apiVersion: 'action.open-cluster-management.io/v1beta1',
    kind: 'ManagedClusterAction',
    metadata: { name: 'cgu-backup', namespace: 'spoke1' },
    spec: {
      actionType,
      kube: {
        resource: 'job',
        namespace: 'openshift-talo-backup',
        template: { apiVersion: 'batch/v1', kind: 'Job' },
      },
    },
  });
  assert.deepEqual(objectProblems(managedClusterActionKind, action('Create')), []);
  assert.deepEqual(objectProblems(managedClusterActionKind, action('Patch')), [
    'spec.actionType: Unsupported value: "Patch": supported values: "Create", "Delete", "Update"',
  ]);
});
