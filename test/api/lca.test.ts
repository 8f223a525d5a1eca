import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { formatFieldError } from '../../src/apiserver/field-errors.ts';
import { applyDefaults, validateObject, type JSONSchemaProps } from '../../src/apiserver/schema/index.ts';
import { crdOf, type KindDefinition } from '../../src/api/kind.ts';
import { imageBasedUpgradeKind, kinds, lca, seedGeneratorKind } from '../../src/api/lca/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

const fixture = (name: string) =>
  parse(readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

function schemaOf(definition: KindDefinition): JSONSchemaProps {
  const crd = crdOf(definition) as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
  assert.ok(schema);
  return schema;
}

/** Problems the server would report when `next` replaces `old` (CEL transition rules included). */
function updateProblems(definition: KindDefinition, old: unknown, next: unknown): string[] {
  const schema = schemaOf(definition);
  return validateObject(schema, applyDefaults(schema, next), applyDefaults(schema, old)).map(
    formatFieldError,
  );
}

const ibu = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({
  apiVersion: lca.apiVersion,
  kind: 'ImageBasedUpgrade',
  metadata: { name: 'upgrade' },
  spec,
  ...(status ? { status } : {}),
});

const condition = (type: string, status: string) => ({
  type,
  status,
  reason: status === 'True' ? 'Idle' : 'InProgress',
  message: 'x',
  lastTransitionTime: '2024-06-01T00:00:00Z',
});

test('every lca kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test("seed 000's SeedGenerator and ImageBasedUpgrade examples are accepted as-is", () => {
  assert.deepEqual(objectProblems(seedGeneratorKind, fixture('seed000-01-seedgenerator.yaml')), []);
  assert.deepEqual(objectProblems(imageBasedUpgradeKind, fixture('seed000-02-imagebasedupgrade.yaml')), []);
  assert.deepEqual(objectProblems(imageBasedUpgradeKind, fixture('seed000-04-imagebasedupgrade.yaml')), []);
});

test('an ImageBasedUpgrade without a stage is Idle', () => {
  const schema = schemaOf(imageBasedUpgradeKind);
  const defaulted = applyDefaults(schema, ibu({})) as { spec: { stage: string } };
  assert.equal(defaulted.spec.stage, 'Idle');
});

test('an unknown stage is refused with the supported stages', () => {
  assert.deepEqual(objectProblems(imageBasedUpgradeKind, ibu({ stage: 'Bogus' })), [
    'spec.stage: Unsupported value: "Bogus": supported values: "Idle", "Prep", "Upgrade", "Rollback"',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});

test('an oadpContent reference without a namespace is refused', () => {
  assert.deepEqual(objectProblems(imageBasedUpgradeKind, ibu({ oadpContent: [{ name: 'cm' }] })), [
    'spec.oadpContent[0].namespace: Required value',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});

test('a negative init monitor timeout is refused', () => {
  assert.deepEqual(
    objectProblems(imageBasedUpgradeKind, ibu({ autoRollbackOnFailure: { initMonitorTimeoutSeconds: -1 } })),
    [
      'spec.autoRollbackOnFailure.initMonitorTimeoutSeconds: Invalid value: -1: spec.autoRollbackOnFailure.initMonitorTimeoutSeconds in body should be greater than or equal to 0',
    ],
  );
});

test('the ImageBasedUpgrade is a singleton named upgrade', () => {
  const other = { ...ibu({ stage: 'Idle' }), metadata: { name: 'other' } };
  assert.deepEqual(objectProblems(imageBasedUpgradeKind, other), [
    `<nil>: Invalid value: "object": ${lca.validationMessages.ibuSingleton}`,
  ]);
});

test('the SeedGenerator is a singleton named seedimage', () => {
  const seedgen = { ...fixture('seed000-01-seedgenerator.yaml'), metadata: { name: 'seed' } };
  assert.deepEqual(objectProblems(seedGeneratorKind, seedgen), [
    `<nil>: Invalid value: "object": ${lca.validationMessages.seedGenSingleton}`,
  ]);
});

test('Idle → Prep is allowed when status lists Prep as a valid next stage', () => {
  const status = { conditions: [condition('Idle', 'True')], validNextStages: ['Prep'] };
  assert.deepEqual(
    updateProblems(imageBasedUpgradeKind, ibu({ stage: 'Idle' }, status), ibu({ stage: 'Prep' }, status)),
    [],
  );
});

test('Prep → Upgrade is refused while status does not list Upgrade as a valid next stage', () => {
  const status = {
    conditions: [condition('Idle', 'False'), condition('PrepInProgress', 'True')],
    validNextStages: ['Idle'],
  };
  assert.deepEqual(
    updateProblems(imageBasedUpgradeKind, ibu({ stage: 'Prep' }, status), ibu({ stage: 'Upgrade' }, status)),
    [`<nil>: Invalid value: "object": ${lca.validationMessages.stageTransition}`],
  );
});

test('the seed image cannot be changed while an upgrade is in progress', () => {
  const status = { conditions: [condition('Idle', 'False')], validNextStages: ['Idle', 'Upgrade'] };
  const before = ibu(
    { stage: 'Prep', seedImageRef: { version: '4.16.1', image: 'quay.io/seed:4.16.1' } },
    status,
  );
  const after = ibu(
    { stage: 'Prep', seedImageRef: { version: '4.16.2', image: 'quay.io/seed:4.16.2' } },
    status,
  );
  assert.deepEqual(updateProblems(imageBasedUpgradeKind, before, after), [
    `<nil>: Invalid value: "object": ${lca.validationMessages.inProgress('seedImageRef')}`,
  ]);
});

test('the seed image can be changed while the upgrade is Idle', () => {
  const status = { conditions: [condition('Idle', 'True')], validNextStages: ['Prep'] };
  const before = ibu(
    { stage: 'Idle', seedImageRef: { version: '4.16.1', image: 'quay.io/seed:4.16.1' } },
    status,
  );
  const after = ibu(
    { stage: 'Idle', seedImageRef: { version: '4.16.2', image: 'quay.io/seed:4.16.2' } },
    status,
  );
  assert.deepEqual(updateProblems(imageBasedUpgradeKind, before, after), []);
});

test('a SeedGenerator spec cannot be modified', () => {
  const before = fixture('seed000-01-seedgenerator.yaml');
  const after = { ...before, spec: { seedImage: 'quay.io/other:seed' } };
  assert.deepEqual(updateProblems(seedGeneratorKind, before, after), [
    `spec: Invalid value: "object": ${lca.validationMessages.seedGenSpecImmutable}`,
  ]);
});
