import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds, policyKind } from '../../src/api/policy/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

type Json = Record<string, unknown>;

const policy = (spec: Json, status?: Json): Json => ({
  apiVersion: 'policy.open-cluster-management.io/v1',
  kind: 'Policy',
  metadata: { name: 'common-cluster-version-policy', namespace: 'ztp-common' },
  spec,
  ...(status ? { status } : {}),
});

const template = {
  objectDefinition: {
    apiVersion: 'policy.open-cluster-management.io/v1',
    kind: 'ConfigurationPolicy',
    metadata: { name: 'common-cluster-version-policy-config' },
    spec: {
      remediationAction: 'inform',
      severity: 'low',
      'object-templates': [{ complianceType: 'musthave' }],
    },
  },
};

test('every policy kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('an inform policy keeps its templates as-is and reports compliance per cluster', () => {
  const status = {
    compliant: 'NonCompliant',
    status: [{ clustername: 'spoke1', clusternamespace: 'spoke1', compliant: 'NonCompliant' }],
  };
  assert.deepEqual(
    objectProblems(
      policyKind,
      policy({ disabled: false, remediationAction: 'inform', 'policy-templates': [template] }, status),
    ),
    [],
  );
});

test('a policy without templates is refused', () => {
  assert.deepEqual(objectProblems(policyKind, policy({ remediationAction: 'enforce' })), [
    'spec.policy-templates: Required value',
  ]);
});

test('remediation actions and compliance states are closed sets', () => {
  assert.deepEqual(
    objectProblems(policyKind, policy({ remediationAction: 'audit', 'policy-templates': [template] })),
    [
      'spec.remediationAction: Unsupported value: "audit": supported values: "Inform", "inform", "Enforce", "enforce"',
    ],
  );
  assert.deepEqual(
    objectProblems(policyKind, policy({ 'policy-templates': [template] }, { compliant: 'Unknown' })),
    [
      'status.compliant: Unsupported value: "Unknown": supported values: "Compliant", "NonCompliant", "Pending"',
    ],
  );
});
