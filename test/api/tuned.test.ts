import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { kinds, profileKind, tunedKind } from '../../src/api/tuned/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

type Json = Record<string, unknown>;

const fixture = (name: string) =>
  parse(readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8')) as Json;

const tuned = (spec: Json): Json => ({
  apiVersion: 'tuned.openshift.io/v1',
  kind: 'Tuned',
  metadata: { name: 'tuned-1', namespace: 'openshift-cluster-node-tuning-operator' },
  spec,
});

test('every tuned kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test("the Tuned manifest seed 003 wraps in the tuned-1 ConfigMap's `tuning` key is accepted as-is", () => {
  const configMap = fixture('seed003-06-configmap.yaml') as { data: { tuning: string } };
  assert.deepEqual(objectProblems(tunedKind, parse(configMap.data.tuning) as Json), []);
});

test('a recommend rule without a priority is refused', () => {
  assert.deepEqual(objectProblems(tunedKind, tuned({ recommend: [{ profile: 'tuned-1-profile' }] })), [
    'spec.recommend[0].priority: Required value',
  ]);
});

test('a match of an unknown type is refused, nested matches are kept as-is', () => {
  const match = [
    { label: 'tuned-1-node-label', type: 'node', match: [{ label: 'inner', anything: 'kept' }] },
  ];
  assert.deepEqual(
    objectProblems(tunedKind, tuned({ recommend: [{ profile: 'p', priority: 20, match }] })),
    [],
  );
  assert.deepEqual(
    objectProblems(
      tunedKind,
      tuned({ recommend: [{ profile: 'p', priority: 20, match: [{ label: 'l', type: 'namespace' }] }] }),
    ),
    ['spec.recommend[0].match[0].type: Unsupported value: "namespace": supported values: "node", "pod"'],
  );
});

test('a Profile lists like seed 003: NAME TUNED APPLIED DEGRADED AGE', () => {
  assert.deepEqual(
    profileKind.versions[0]?.printerColumns?.map((c) => c.name),
    ['Tuned', 'Applied', 'Degraded', 'Age'],
  );
  assert.equal(tunedKind.versions[0]?.printerColumns, undefined);
});

test('a Profile records the applied TuneD profile and its conditions', () => {
  const profile = {
    apiVersion: 'tuned.openshift.io/v1',
    kind: 'Profile',
    metadata: { name: 'nodepool-1-worker-1', namespace: 'openshift-cluster-node-tuning-operator' },
    spec: { config: { tunedProfile: 'tuned-1-profile' } },
    status: {
      tunedProfile: 'tuned-1-profile',
      conditions: [
        { type: 'Applied', status: 'True', lastTransitionTime: '2024-05-20T15:00:40Z', reason: 'AsExpected' },
        { type: 'Degraded', status: 'False', lastTransitionTime: '2024-05-20T15:00:40Z' },
      ],
    },
  };
  assert.deepEqual(objectProblems(profileKind, profile), []);
  assert.deepEqual(objectProblems(profileKind, { ...profile, spec: { config: {} } }), [
    'spec.config.tunedProfile: Required value',
  ]);
});
