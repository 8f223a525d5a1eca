import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { applyDefaults, type JSONSchemaProps } from '../../src/apiserver/schema/index.ts';
import { crdOf } from '../../src/api/kind.ts';
import {
  catalogSourceKind,
  clusterServiceVersionKind,
  kinds,
  operatorGroupKind,
  subscriptionKind,
  type OperatorGroup,
} from '../../src/api/operators/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

type Json = Record<string, unknown>;

const read = (name: string) => readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8');

const subscription = (spec: Json): Json => ({
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name: 'sub', namespace: 'openshift-sriov-network-operator' },
  spec,
});

test('every operators.coreos.com kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test("seed 003's SR-IOV OperatorGroup and Subscription are accepted as-is", () => {
  const [namespace, operatorGroup] = parseAllDocuments(read('seed003-08-namespace-operatorgroup.yaml')).map(
    (d) => d.toJS() as Json,
  );
  assert.equal(namespace?.kind, 'Namespace');
  assert.ok(operatorGroup);
  assert.deepEqual(objectProblems(operatorGroupKind, operatorGroup), []);
  assert.deepEqual(objectProblems(subscriptionKind, parse(read('seed003-09-subscription.yaml')) as Json), []);
});

test('an OperatorGroup defaults to the Default upgrade strategy', () => {
  const crd = crdOf(operatorGroupKind) as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
  assert.ok(schema);
  const og = applyDefaults(schema, {
    apiVersion: 'operators.coreos.com/v1',
    kind: 'OperatorGroup',
    metadata: { name: 'og' },
    spec: {},
  }) as OperatorGroup;
  assert.equal(og.spec?.upgradeStrategy, 'Default');
});

test('a Subscription names its package, catalog source and catalog namespace', () => {
  assert.deepEqual(
    objectProblems(subscriptionKind, subscription({ name: 'sriov-network-operator', channel: 'stable' })),
    ['spec.source: Required value', 'spec.sourceNamespace: Required value'],
  );
});

test('an install plan approval other than Automatic or Manual is refused', () => {
  const spec = {
    name: 'p',
    source: 'redhat-operators',
    sourceNamespace: 'openshift-marketplace',
    installPlanApproval: 'Later',
  };
  assert.deepEqual(objectProblems(subscriptionKind, subscription(spec)), [
    'spec.installPlanApproval: Unsupported value: "Later": supported values: "Automatic", "Manual"',
  ]);
});

test('a ClusterServiceVersion lists like seed 003: DISPLAY VERSION REPLACES PHASE', () => {
  assert.deepEqual(
    clusterServiceVersionKind.versions[0]?.printerColumns?.map((c) => c.name),
    ['Display', 'Version', 'Replaces', 'Phase'],
  );
  assert.deepEqual(clusterServiceVersionKind.shortNames, ['csv', 'csvs']);
  const csv = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: {
      name: 'sriov-network-operator.4.14.0-202211021237',
      namespace: 'openshift-sriov-network-operator',
    },
    spec: {
      displayName: 'SR-IOV Network Operator',
      version: '4.14.0-202211021237',
      replaces: 'sriov-network-operator.4.14.0-202210290517',
      install: { strategy: 'deployment', spec: { deployments: [] } },
    },
    status: { phase: 'Succeeded', reason: 'InstallSucceeded' },
  };
  assert.deepEqual(objectProblems(clusterServiceVersionKind, csv), []);
  assert.deepEqual(objectProblems(clusterServiceVersionKind, { ...csv, status: { phase: 'Done' } }), [
    'status.phase: Unsupported value: "Done": supported values: "", "Pending", "InstallReady", "Installing", "Succeeded", "Failed", "Unknown", "Replacing", "Deleting"',
  ]);
});

test('a CatalogSource needs a source type and reports its connection state', () => {
  const catalog = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'CatalogSource',
    metadata: { name: 'redhat-operators', namespace: 'openshift-marketplace' },
    spec: {
      sourceType: 'grpc',
      image: 'registry.redhat.io/redhat/redhat-operator-index:v4.16',
      displayName: 'Red Hat Operators',
      publisher: 'Red Hat',
    },
    status: { connectionState: { lastObservedState: 'READY', lastConnect: '2024-05-20T15:00:40Z' } },
  };
  assert.deepEqual(objectProblems(catalogSourceKind, catalog), []);
  assert.deepEqual(objectProblems(catalogSourceKind, { ...catalog, spec: { image: 'x' } }), [
    'spec.sourceType: Required value',
  ]);
});
