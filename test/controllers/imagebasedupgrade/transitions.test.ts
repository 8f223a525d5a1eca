import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../../../src/apiserver/field-errors.ts';
import { applyDefaults, validateObject, type JSONSchemaProps } from '../../../src/apiserver/schema/index.ts';
import { crdOf, type Condition } from '../../../src/api/kind.ts';
import { imageBasedUpgradeKind, lca } from '../../../src/api/lca/index.ts';
import type { Stage } from '../../../src/api/lca/constants.ts';
import {
  describeSituation,
  isTransitionAllowed,
  situationOf,
  transitionRefusal,
  validNextStages,
} from '../../../src/controllers/imagebasedupgrade/transitions.ts';

const cond = (type: string, status: 'True' | 'False', reason: string, message = reason): Condition => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: '2024-05-01T10:00:00Z',
});

const notIdle = cond('Idle', 'False', 'InProgress', 'In progress');
const prepDone = [
  notIdle,
  cond('PrepInProgress', 'False', 'Completed'),
  cond('PrepCompleted', 'True', 'Completed'),
];
const upgradeRunning = [...prepDone, cond('UpgradeInProgress', 'True', 'InProgress')];
const upgradeFailedConds = [
  ...prepDone,
  cond('UpgradeCompleted', 'False', 'Failed'),
  cond('UpgradeInProgress', 'False', 'Failed'),
];
const rollbackRequested = [
  ...prepDone,
  cond('UpgradeCompleted', 'False', 'Failed', 'Rollback requested'),
  cond('UpgradeInProgress', 'False', 'Failed', 'Rollback requested'),
];

interface Row {
  readonly name: string;
  /** spec.stage of an object in this state. */
  readonly stage: Stage;
  readonly conditions: readonly Condition[] | undefined;
  readonly afterPivot: boolean;
  /** IBU-4 / upstream getValidNextStageList, written out independently of the table. */
  readonly allowed: readonly Stage[];
  readonly described: string;
  /** Upstream's message when a move to Idle is refused. */
  readonly idleRefusal?: string;
}

const rows: readonly Row[] = [
  {
    name: 'just created',
    stage: 'Idle',
    conditions: undefined,
    afterPivot: false,
    allowed: ['Idle'],
    described: 'the ImageBasedUpgrade has no status yet',
  },
  {
    name: 'Idle',
    stage: 'Idle',
    conditions: [cond('Idle', 'True', 'Idle')],
    afterPivot: false,
    allowed: ['Prep'],
    described: 'Idle',
    idleRefusal: 'Abort or finalize not allowed',
  },
  {
    name: 'Prep in progress',
    stage: 'Prep',
    conditions: [notIdle, cond('PrepInProgress', 'True', 'InProgress')],
    afterPivot: false,
    allowed: ['Idle'],
    described: 'Prep is in progress',
  },
  {
    name: 'Prep failed',
    stage: 'Prep',
    conditions: [
      notIdle,
      cond('PrepCompleted', 'False', 'Failed'),
      cond('PrepInProgress', 'False', 'Failed'),
    ],
    afterPivot: false,
    allowed: ['Idle'],
    described: 'Prep failed',
  },
  {
    name: 'Prep completed',
    stage: 'Prep',
    conditions: prepDone,
    afterPivot: false,
    allowed: ['Idle', 'Upgrade'],
    described: 'Prep completed',
  },
  {
    name: 'Upgrade in progress before the pivot',
    stage: 'Upgrade',
    conditions: upgradeRunning,
    afterPivot: false,
    allowed: ['Idle'],
    described: 'Upgrade is in progress (before the pivot)',
  },
  {
    name: 'Upgrade in progress after the pivot',
    stage: 'Upgrade',
    conditions: upgradeRunning,
    afterPivot: true,
    allowed: ['Rollback'],
    described: 'Upgrade is in progress (after the pivot)',
    idleRefusal: 'Transition to Idle not allowed - Rollback first',
  },
  {
    name: 'Upgrade failed before the pivot',
    stage: 'Upgrade',
    conditions: upgradeFailedConds,
    afterPivot: false,
    allowed: ['Idle'],
    described: 'Upgrade failed (before the pivot)',
  },
  {
    name: 'Upgrade failed after the pivot',
    stage: 'Upgrade',
    conditions: upgradeFailedConds,
    afterPivot: true,
    allowed: ['Rollback'],
    described: 'Upgrade failed (after the pivot)',
    idleRefusal: 'Transition to Idle not allowed - Rollback first',
  },
  {
    name: 'Upgrade completed',
    stage: 'Upgrade',
    conditions: [
      ...prepDone,
      cond('UpgradeInProgress', 'False', 'Completed'),
      cond('UpgradeCompleted', 'True', 'Completed'),
    ],
    afterPivot: true,
    allowed: ['Idle', 'Rollback'],
    described: 'Upgrade completed',
  },
  {
    name: 'Rollback in progress',
    stage: 'Rollback',
    conditions: [...rollbackRequested, cond('RollbackInProgress', 'True', 'InProgress')],
    afterPivot: true,
    allowed: [],
    described: 'Rollback is in progress',
    idleRefusal: 'Transition to Idle not allowed - Rollback is in progress',
  },
  {
    name: 'Rollback in progress after booting back',
    stage: 'Rollback',
    conditions: [...rollbackRequested, cond('RollbackInProgress', 'True', 'InProgress')],
    afterPivot: false,
    allowed: [],
    described: 'Rollback is in progress',
    idleRefusal: 'Abort or finalize not allowed',
  },
  {
    name: 'Rollback failed',
    stage: 'Rollback',
    conditions: [
      ...rollbackRequested,
      cond('RollbackCompleted', 'False', 'Failed'),
      cond('RollbackInProgress', 'False', 'Failed'),
    ],
    afterPivot: true,
    allowed: [],
    described: 'Rollback failed',
    idleRefusal: 'Transition to Idle not allowed - Rollback failed',
  },
  {
    name: 'Rollback completed',
    stage: 'Rollback',
    conditions: [
      ...rollbackRequested,
      cond('RollbackInProgress', 'False', 'Completed'),
      cond('RollbackCompleted', 'True', 'Completed'),
    ],
    afterPivot: false,
    allowed: ['Idle'],
    described: 'Rollback completed',
  },
  {
    name: 'Finalizing',
    stage: 'Idle',
    conditions: [cond('UpgradeCompleted', 'True', 'Completed'), cond('Idle', 'False', 'Finalizing')],
    afterPivot: true,
    allowed: [],
    described: 'becoming Idle (Finalizing)',
    idleRefusal: 'Transition to Idle not allowed - Rollback first',
  },
  {
    name: 'Finalize failed',
    stage: 'Idle',
    conditions: [cond('UpgradeCompleted', 'True', 'Completed'), cond('Idle', 'False', 'FinalizeFailed')],
    afterPivot: true,
    allowed: [],
    described: 'becoming Idle (FinalizeFailed)',
    idleRefusal: 'Transition to Idle not allowed - Rollback first',
  },
  {
    name: 'Aborting',
    stage: 'Idle',
    conditions: [...prepDone.slice(1), cond('Idle', 'False', 'Aborting')],
    afterPivot: false,
    allowed: [],
    described: 'becoming Idle (Aborting)',
    idleRefusal: 'Abort or finalize not allowed',
  },
  {
    name: 'Abort failed',
    stage: 'Idle',
    conditions: [cond('Idle', 'False', 'AbortFailed')],
    afterPivot: false,
    allowed: [],
    described: 'becoming Idle (AbortFailed)',
    idleRefusal: 'Abort or finalize not allowed',
  },
];

const shortRefusal = (row: Row, to: Stage): string => {
  if (to === 'Prep' || to === 'Upgrade') return 'Previous stage not succeeded';
  if (to === 'Rollback') return 'Upgrade not started or already finalized';
  assert.ok(row.idleRefusal, `${row.name}: Idle is refused, the row must say with which message`);
  return row.idleRefusal;
};

const stages: readonly Stage[] = ['Idle', 'Prep', 'Upgrade', 'Rollback'];

test('every stage move from every state is allowed or refused exactly as IBU-4 and upstream say', () => {
  for (const row of rows) {
    const status = row.conditions === undefined ? undefined : { conditions: [...row.conditions] };
    const pivot = { afterPivot: row.afterPivot };
    assert.deepEqual(validNextStages(status, pivot), row.allowed, row.name);
    assert.equal(describeSituation(status, pivot), row.described, row.name);
    for (const to of stages) {
      const allowed = row.allowed.includes(to);
      assert.equal(isTransitionAllowed(status, to, pivot), allowed, `${row.name} → ${to}`);
      const expected = allowed
        ? undefined
        : `${shortRefusal(row, to)}: cannot move to ${to} while ${row.described}; valid next stages: ${
            row.allowed.length === 0 ? 'none' : row.allowed.join(', ')
          }`;
      assert.equal(transitionRefusal(status, to, pivot), expected, `${row.name} → ${to}`);
    }
  }
});

test('Prep → Upgrade is refused while Prep is still running', () => {
  const status = { conditions: [notIdle, cond('PrepInProgress', 'True', 'InProgress')] };
  assert.equal(
    transitionRefusal(status, 'Upgrade', { afterPivot: false }),
    'Previous stage not succeeded: cannot move to Upgrade while Prep is in progress; valid next stages: Idle',
  );
});

test('Upgrade can be cancelled before the pivot but must be rolled back after it', () => {
  const status = { conditions: upgradeRunning };
  assert.equal(isTransitionAllowed(status, 'Idle', { afterPivot: false }), true);
  assert.equal(isTransitionAllowed(status, 'Rollback', { afterPivot: false }), false);
  assert.equal(isTransitionAllowed(status, 'Idle', { afterPivot: true }), false);
  assert.equal(isTransitionAllowed(status, 'Rollback', { afterPivot: true }), true);
});

test('after a rollback the state reads as rolled back, not as a failed upgrade', () => {
  const row = rows.find((r) => r.name === 'Rollback completed');
  assert.ok(row?.conditions);
  assert.equal(situationOf({ conditions: [...row.conditions] }), 'rolled-back');
});

// ---- the CRD's CEL rule agrees with validNextStages ------------------------------------------------

const crd = crdOf(imageBasedUpgradeKind) as unknown as {
  spec: { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] };
};
const schema: JSONSchemaProps | undefined = crd.spec.versions[0]?.schema.openAPIV3Schema;

function ibu(stage: Stage, status: Record<string, unknown> | undefined) {
  return {
    apiVersion: lca.apiVersion,
    kind: 'ImageBasedUpgrade',
    metadata: { name: 'upgrade' },
    spec: { stage, seedImageRef: { version: '4.16.1', image: 'quay.example/seed:4.16.1' } },
    ...(status === undefined ? {} : { status }),
  };
}

test('the CRD refuses exactly the stage changes validNextStages leaves out, with upstream’s message', () => {
  assert.ok(schema);
  for (const row of rows) {
    const next = validNextStages(
      row.conditions === undefined ? undefined : { conditions: [...row.conditions] },
      {
        afterPivot: row.afterPivot,
      },
    );
    // What the controller writes: no conditions at all before the first status, and an empty list omitted.
    const status =
      row.conditions === undefined
        ? { validNextStages: next }
        : { conditions: row.conditions, ...(next.length > 0 ? { validNextStages: next } : {}) };
    const old = ibu(row.stage, status);
    for (const to of stages) {
      if (to === row.stage) continue;
      const problems: string[] = validateObject(
        schema,
        applyDefaults(schema, ibu(to, status)),
        applyDefaults(schema, old),
      ).map(formatFieldError);
      const refused = problems.some((p) => p.includes(lca.validationMessages.stageTransition));
      assert.equal(refused, !next.includes(to), `${row.name} → ${to}: ${problems.join('; ')}`);
    }
  }
});

test('the CRD lets a brand-new object without status move anywhere', () => {
  assert.ok(schema);
  const problems = validateObject(
    schema,
    applyDefaults(schema, ibu('Prep', undefined)),
    applyDefaults(schema, ibu('Idle', undefined)),
  );
  assert.deepEqual(problems.map(formatFieldError), []);
});
