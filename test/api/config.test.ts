import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../src/apiserver/field-errors.ts';
import { applyDefaults, validateObject, type JSONSchemaProps } from '../../src/apiserver/schema/index.ts';
import { crdOf, type KindDefinition } from '../../src/api/kind.ts';
import {
  clusterOperatorKind,
  clusterVersionKind,
  config,
  featureGateKind,
  kinds,
} from '../../src/api/config/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

function updateProblems(definition: KindDefinition, old: unknown, next: unknown): string[] {
  const crd = crdOf(definition) as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
  assert.ok(schema);
  return validateObject(schema, applyDefaults(schema, next), applyDefaults(schema, old)).map(
    formatFieldError,
  );
}

const at = '2024-06-01T00:00:00Z';
const release = (v: string) => ({
  version: v,
  image: `quay.io/openshift-release-dev/ocp-release@sha256:${v}`,
  channels: ['stable-4.14'],
});

const clusterVersion = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({
  apiVersion: config.apiVersion,
  kind: 'ClusterVersion',
  metadata: { name: config.clusterVersionName },
  spec: { clusterID: '0b5b4a51-0d1c-4f7a-9d5d-1f2d3e4f5a6b', ...spec },
  ...(status ? { status } : {}),
});

test('every config kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('ClusterVersion prints VERSION AVAILABLE PROGRESSING SINCE STATUS, as seed 002 shows', () => {
  const columns = clusterVersionKind.versions[0]?.printerColumns?.map((c) => c.name.toUpperCase());
  assert.deepEqual(columns, ['VERSION', 'AVAILABLE', 'PROGRESSING', 'SINCE', 'STATUS']);
});

test('ClusterOperator prints VERSION AVAILABLE PROGRESSING DEGRADED SINCE MESSAGE, as seed 002 shows', () => {
  const columns = clusterOperatorKind.versions[0]?.printerColumns?.map((c) => c.name.toUpperCase());
  assert.deepEqual(columns, ['VERSION', 'AVAILABLE', 'PROGRESSING', 'DEGRADED', 'SINCE', 'MESSAGE']);
});

test('a ClusterVersion with history, recommended and conditional updates is accepted', () => {
  const object = clusterVersion(
    {
      channel: 'stable-4.14',
      desiredUpdate: { version: '4.14.1', image: '', force: false },
      upstream: 'https://api.openshift.com/api/upgrades_info/v1/graph',
    },
    {
      desired: release('4.13.20'),
      history: [
        {
          state: 'Completed',
          startedTime: at,
          completionTime: at,
          version: '4.13.20',
          image: 'quay.io/x@sha256:1',
          verified: true,
        },
        {
          state: 'Partial',
          startedTime: at,
          completionTime: null,
          version: '4.13.19',
          image: 'quay.io/x@sha256:0',
          verified: false,
        },
      ],
      observedGeneration: 2,
      versionHash: 'abc',
      conditions: [
        {
          type: config.conditionTypes.available,
          status: 'True',
          lastTransitionTime: at,
          message: 'Done applying 4.13.20',
        },
        {
          type: config.conditionTypes.upgradeable,
          status: 'False',
          lastTransitionTime: at,
          reason: 'AdminAckRequired',
        },
      ],
      availableUpdates: [release('4.13.21')],
      conditionalUpdates: [
        {
          release: release('4.14.1'),
          risks: [
            {
              name: 'AROBrokenDNSMasq',
              url: 'https://issues.redhat.com/browse/OCPBUGS-1',
              message: 'Clusters on Azure Red Hat OpenShift may fail to resolve names.',
              matchingRules: [
                { type: 'PromQL', promql: { promql: 'group(cluster_operator_conditions{name="aro"})' } },
              ],
            },
          ],
          conditions: [
            {
              type: config.conditionTypes.recommended,
              status: 'False',
              reason: 'AROBrokenDNSMasq',
              message: 'x',
              lastTransitionTime: at,
            },
          ],
        },
      ],
    },
  );
  assert.deepEqual(objectProblems(clusterVersionKind, object), []);
});

test('availableUpdates may be null, as the CVO writes it when the update service is unreachable', () => {
  const status = {
    desired: release('4.14.1'),
    observedGeneration: 1,
    versionHash: 'x',
    availableUpdates: null,
  };
  assert.deepEqual(objectProblems(clusterVersionKind, clusterVersion({}, status)), []);
});

test('a ClusterVersion without a cluster ID is refused', () => {
  const object = {
    apiVersion: config.apiVersion,
    kind: 'ClusterVersion',
    metadata: { name: 'version' },
    spec: { channel: 'stable-4.14' },
  };
  assert.deepEqual(objectProblems(clusterVersionKind, object), [
    'spec.clusterID: Required value',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});

test('a ClusterVersion without a spec is refused', () => {
  const object = { apiVersion: config.apiVersion, kind: 'ClusterVersion', metadata: { name: 'version' } };
  assert.deepEqual(objectProblems(clusterVersionKind, object), [
    'spec: Required value',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});

test('a desired update naming both an architecture and an image is refused', () => {
  const object = clusterVersion({
    desiredUpdate: { architecture: 'Multi', image: 'quay.io/x@sha256:1', version: '4.14.1' },
  });
  assert.deepEqual(objectProblems(clusterVersionKind, object), [
    'spec.desiredUpdate: Invalid value: "object": cannot set both Architecture and Image',
  ]);
});

test('a desired update with an architecture but no version is refused', () => {
  const object = clusterVersion({ desiredUpdate: { architecture: 'Multi', version: '' } });
  assert.deepEqual(objectProblems(clusterVersionKind, object), [
    'spec.desiredUpdate: Invalid value: "object": Version must be set if Architecture is set',
  ]);
});

test('a conditional update risk without matching rules is refused', () => {
  const status = {
    desired: release('4.13.20'),
    observedGeneration: 1,
    versionHash: 'x',
    availableUpdates: [],
    conditionalUpdates: [
      {
        release: release('4.14.1'),
        risks: [{ name: 'R', url: 'https://x', message: 'm', matchingRules: [] }],
      },
    ],
  };
  assert.deepEqual(objectProblems(clusterVersionKind, clusterVersion({}, status)), [
    'status.conditionalUpdates[0].risks[0].matchingRules: Invalid value: 0: status.conditionalUpdates[0].risks[0].matchingRules in body should have at least 1 items',
  ]);
});

test('a ClusterOperator reporting versions, conditions and related objects is accepted', () => {
  const object = {
    apiVersion: config.apiVersion,
    kind: 'ClusterOperator',
    metadata: { name: 'authentication' },
    spec: {},
    status: {
      conditions: [{ type: 'Upgradeable', status: 'True', lastTransitionTime: at, reason: 'AsExpected' }],
      versions: [{ name: config.operatorVersionName, version: '4.9.23' }],
      relatedObjects: [{ group: 'operator.openshift.io', resource: 'authentications', name: 'cluster' }],
      extension: null,
    },
  };
  assert.deepEqual(objectProblems(clusterOperatorKind, object), []);
});

test('a ClusterOperator condition needs a transition time', () => {
  const object = {
    apiVersion: config.apiVersion,
    kind: 'ClusterOperator',
    metadata: { name: 'etcd' },
    spec: {},
    status: { conditions: [{ type: 'Available', status: 'True' }] },
  };
  assert.deepEqual(objectProblems(clusterOperatorKind, object), [
    'status.conditions[0].lastTransitionTime: Required value',
  ]);
});

const featureGate = (featureSet: string) => ({
  apiVersion: config.apiVersion,
  kind: 'FeatureGate',
  metadata: { name: config.featureGateName },
  spec: { featureSet },
});

test('TechPreviewNoUpgrade cannot be turned off again', () => {
  assert.deepEqual(updateProblems(featureGateKind, featureGate('TechPreviewNoUpgrade'), featureGate('')), [
    'spec.featureSet: Invalid value: "string": TechPreviewNoUpgrade may not be changed',
  ]);
});

test('the default feature set can be changed to TechPreviewNoUpgrade', () => {
  assert.deepEqual(updateProblems(featureGateKind, featureGate(''), featureGate('TechPreviewNoUpgrade')), []);
});

test('an unknown feature set is refused', () => {
  assert.deepEqual(objectProblems(featureGateKind, featureGate('Preview')), [
    'spec.featureSet: Unsupported value: "Preview": supported values: "CustomNoUpgrade", "DevPreviewNoUpgrade", "TechPreviewNoUpgrade", "OKD", ""',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});
