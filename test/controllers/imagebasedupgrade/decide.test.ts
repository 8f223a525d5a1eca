import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../../src/api/kind.ts';
import type { Stage } from '../../../src/api/lca/constants.ts';
import type { ImageBasedUpgrade, ImageBasedUpgradeSpec } from '../../../src/api/lca/image-based-upgrade.ts';
import {
  decide,
  type Action,
  type Decision,
  type HostProgress,
} from '../../../src/controllers/imagebasedupgrade/decide.ts';
import { goDuration } from '../../../src/controllers/imagebasedupgrade/auto-rollback.ts';
import {
  abortSteps,
  finalizeUpgradeSteps,
  prepSteps,
  rollbackSteps,
  upgradePostPivotSteps,
  upgradePrePivotSteps,
  type Step,
} from '../../../src/controllers/imagebasedupgrade/steps.ts';
import type { Status } from '../../../src/controllers/imagebasedupgrade/status.ts';

const original = 'rhcos_4.15.0';
const upgraded = 'rhcos_4.16.1';
const t0 = new Date('2024-05-01T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

interface Options {
  readonly status?: Status;
  readonly spec?: Partial<ImageBasedUpgradeSpec>;
  readonly annotations?: Record<string, string>;
  readonly generation?: number;
}

function ibu(stage: Stage, options: Options = {}): ImageBasedUpgrade {
  return {
    apiVersion: 'lca.openshift.io/v1',
    kind: 'ImageBasedUpgrade',
    metadata: {
      name: 'upgrade',
      generation: options.generation ?? 2,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: {
      stage,
      seedImageRef: {
        version: '4.16.1',
        image: 'quay.example/seed:4.16.1',
        pullSecretRef: { name: 'seed-pull' },
      },
      ...options.spec,
    },
    ...(options.status ? { status: options.status } : {}),
  };
}

function run(object: ImageBasedUpgrade, progress: HostProgress = {}, booted = original, now = t0): Decision {
  return decide({ ibu: object, progress, now, bootedStateroot: booted, originalStateroot: original });
}

const condition = (status: Status, type: string): Condition | undefined =>
  status.conditions?.find((c) => c.type === type);

function assertCondition(
  status: Status,
  type: string,
  expected: Pick<Condition, 'status' | 'reason' | 'message'>,
) {
  const found = condition(status, type);
  assert.ok(found, `condition ${type} missing`);
  assert.deepEqual({ status: found.status, reason: found.reason, message: found.message }, expected, type);
}

const step = (stage: Stage, s: Step): Action => ({ kind: 'run-step', stage, step: s.name });
const names = (list: readonly Step[]) => list.map((s) => s.name);

/** Feeds each decision back in, marking run steps done, until decide has nothing to run. */
function drive(
  start: ImageBasedUpgrade,
  record: keyof Pick<HostProgress, 'prep' | 'upgrade' | 'rollback' | 'idle'>,
  base: HostProgress,
  booted: string,
  now = t0,
): { ran: string[]; last: Decision; object: ImageBasedUpgrade } {
  let object = start;
  const done: string[] = [...(base[record]?.stepsDone ?? [])];
  const ran: string[] = [];
  for (let i = 0; i < 30; i++) {
    const decision = run(
      object,
      { ...base, [record]: { ...base[record], stepsDone: [...done] } },
      booted,
      now,
    );
    object = { ...object, status: decision.status };
    if (decision.action.kind !== 'run-step') return { ran, last: decision, object };
    ran.push(decision.action.step);
    done.push(decision.action.step);
  }
  assert.fail('decide never settled');
}

// ---- fixtures built by decide itself -------------------------------------------------------------------

const idleStatus = run(ibu('Idle')).status;
const prepCompleted = drive(ibu('Prep', { status: idleStatus }), 'prep', {}, original).object.status ?? {};
const pivotedAt = t0.toISOString();
const allPrePivot = names(upgradePrePivotSteps);
const upgradeDone = names([...upgradePrePivotSteps, ...upgradePostPivotSteps]);

function upgradeInProgress(booted: string, doneSteps: readonly string[]): Status {
  return run(
    ibu('Upgrade', { status: prepCompleted }),
    { upgrade: { stepsDone: doneSteps, pivotedAt } },
    booted,
  ).status;
}
const upgradeCompletedStatus = run(
  ibu('Upgrade', { status: upgradeInProgress(upgraded, allPrePivot) }),
  { upgrade: { stepsDone: upgradeDone, pivotedAt } },
  upgraded,
).status;

// ---- a new object -----------------------------------------------------------------------------------

test('a new ImageBasedUpgrade becomes Idle and offers Prep next', () => {
  const { status, action } = run(ibu('Idle', { generation: 1 }));
  assert.deepEqual(action, { kind: 'none' });
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]),
    [['Idle', 'True', 'Idle', 'Idle', 1]],
  );
  assert.deepEqual(status.validNextStages, ['Prep']);
  assert.equal(status.observedGeneration, 1);
});

test('nothing is decided while ibu.json from the other stateroot waits to be restored', () => {
  const decision = run(ibu('Upgrade', { status: prepCompleted }), { ibuJsonPendingRestore: true });
  assert.equal(decision.action.kind, 'wait');
  assert.deepEqual(decision.status.conditions, prepCompleted.conditions);
});

// ---- Prep ------------------------------------------------------------------------------------------

test('Prep runs its steps in order and completes', () => {
  const first = run(ibu('Prep', { status: idleStatus }));
  assert.deepEqual(first.action, step('Prep', prepSteps[0]));
  assertCondition(first.status, 'Idle', { status: 'False', reason: 'InProgress', message: 'In progress' });
  assertCondition(first.status, 'PrepInProgress', {
    status: 'True',
    reason: 'InProgress',
    message: prepSteps[0].description,
  });
  assert.deepEqual(first.status.validNextStages, ['Idle']);
  assert.equal(first.status.history?.[0]?.stage, 'Prep');
  assert.equal(first.status.history?.[0]?.startTime, '2024-05-01T10:00:00Z');

  const { ran, last } = drive(ibu('Prep', { status: idleStatus }), 'prep', {}, original);
  assert.deepEqual(ran, names(prepSteps));
  assert.deepEqual(last.action, { kind: 'none' });
  assertCondition(last.status, 'PrepInProgress', {
    status: 'False',
    reason: 'Completed',
    message: 'Prep completed',
  });
  assertCondition(last.status, 'PrepCompleted', {
    status: 'True',
    reason: 'Completed',
    message: 'Prep stage completed successfully',
  });
  assert.deepEqual(last.status.validNextStages, ['Idle', 'Upgrade']);
  const history = last.status.history?.[0];
  assert.ok(history?.completionTime);
  assert.deepEqual(
    history.phases?.map((p) => [p.phase, p.completionTime !== undefined]),
    names(prepSteps).map((n) => [n, true]),
  );
});

test('Prep resumes after a crash at the first step not done, re-running a half-done one', () => {
  const running = run(ibu('Prep', { status: idleStatus })).status;
  for (let k = 0; k < prepSteps.length; k++) {
    const done = names(prepSteps).slice(0, k);
    const { action, status } = run(ibu('Prep', { status: running }), { prep: { stepsDone: done } });
    assert.deepEqual(
      action,
      { kind: 'run-step', stage: 'Prep', step: prepSteps[k]?.name },
      `after ${k} steps`,
    );
    assertCondition(status, 'PrepInProgress', {
      status: 'True',
      reason: 'InProgress',
      message: prepSteps[k]?.description ?? '',
    });
  }
});

test('a failed Prep step fails Prep with its message and allows only cancel', () => {
  const running = run(ibu('Prep', { status: idleStatus })).status;
  const message = 'pull quay.example/seed:4.16.1: 401 Unauthorized from registry';
  const { action, status } = run(ibu('Prep', { status: running }), {
    prep: { stepsDone: ['validate-spec'] },
    failure: { stage: 'Prep', step: 'pull-seed-image', message },
  });
  assert.deepEqual(action, { kind: 'none' });
  assertCondition(status, 'PrepCompleted', { status: 'False', reason: 'Failed', message: 'Prep failed' });
  assertCondition(status, 'PrepInProgress', { status: 'False', reason: 'Failed', message });
  assert.deepEqual(status.validNextStages, ['Idle']);
  // The failure sticks: asking again changes nothing.
  assert.deepEqual(run(ibu('Prep', { status })).action, { kind: 'none' });
});

test('Prep → Upgrade is refused while Prep is still running, and Prep carries on', () => {
  const running = run(ibu('Prep', { status: idleStatus })).status;
  const { action, status } = run(ibu('Upgrade', { status: running }), {
    prep: { stepsDone: ['validate-spec'] },
  });
  assert.deepEqual(action, step('Prep', prepSteps[1]));
  assertCondition(status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'InvalidTransition',
    message:
      'Previous stage not succeeded: cannot move to Upgrade while Prep is in progress; valid next stages: Idle',
  });
});

// ---- Upgrade ---------------------------------------------------------------------------------------

test('Upgrade runs the pre-pivot steps, waits for the reboot, then the post-pivot steps, and completes', () => {
  const pre = drive(ibu('Upgrade', { status: prepCompleted }), 'upgrade', {}, original);
  assert.deepEqual(pre.ran, allPrePivot);
  assert.equal(pre.last.action.kind, 'wait');
  assertCondition(pre.last.status, 'UpgradeInProgress', {
    status: 'True',
    reason: 'InProgress',
    message: 'Rebooting into the new stateroot',
  });
  assert.deepEqual(pre.last.status.validNextStages, ['Idle']);

  const post = drive(
    pre.object,
    'upgrade',
    { upgrade: { stepsDone: allPrePivot, pivotedAt } },
    upgraded,
    at(60),
  );
  assert.deepEqual(post.ran, names(upgradePostPivotSteps));
  assert.deepEqual(post.last.action, { kind: 'none' });
  assertCondition(post.last.status, 'UpgradeCompleted', {
    status: 'True',
    reason: 'Completed',
    message: 'Upgrade completed',
  });
  assertCondition(post.last.status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'Completed',
    message: 'Upgrade completed',
  });
  assert.deepEqual(post.last.status.validNextStages, ['Idle', 'Rollback']);
  const history = post.last.status.history?.find((h) => h.stage === 'Upgrade');
  assert.ok(history?.startTime && history.completionTime);
});

test('while post-pivot steps run, Idle is refused and Rollback is the way back', () => {
  const { status } = run(
    ibu('Upgrade', { status: upgradeInProgress(original, []) }),
    { upgrade: { stepsDone: allPrePivot, pivotedAt } },
    upgraded,
  );
  assert.deepEqual(status.validNextStages, ['Rollback']);
});

test('Upgrade resumes after a crash at every step, on either side of the pivot', () => {
  const all = [...upgradePrePivotSteps, ...upgradePostPivotSteps];
  for (let k = 0; k < all.length; k++) {
    const next = all[k];
    assert.ok(next);
    const booted = next.side === 'post-pivot' ? upgraded : original;
    const done = names(all).slice(0, k);
    const { action } = run(
      ibu('Upgrade', { status: upgradeInProgress(original, []) }),
      { upgrade: { stepsDone: done, pivotedAt } },
      booted,
      at(10),
    );
    assert.deepEqual(action, step('Upgrade', next), `after ${k} steps`);
  }
});

test('Upgrade can be cancelled before the pivot: Idle aborts and removes the new stateroot', () => {
  const running = upgradeInProgress(original, ['backup-application-data']);
  const { action, status } = run(ibu('Idle', { status: running }), {
    upgrade: { stepsDone: ['backup-application-data'] },
  });
  assert.deepEqual(action, step('Idle', abortSteps[0]));
  assertCondition(status, 'Idle', {
    status: 'False',
    reason: 'Aborting',
    message: abortSteps[0].description,
  });
  assert.equal(status.validNextStages, undefined, 'nothing may move while aborting');
});

test('Upgrade cannot be cancelled after the pivot: Idle is refused and the upgrade carries on', () => {
  const running = upgradeInProgress(upgraded, allPrePivot);
  const { action, status } = run(
    ibu('Idle', { status: running }),
    { upgrade: { stepsDone: allPrePivot, pivotedAt } },
    upgraded,
    at(10),
  );
  assert.deepEqual(action, step('Upgrade', upgradePostPivotSteps[0]));
  assertCondition(status, 'Idle', {
    status: 'False',
    reason: 'InvalidTransition',
    message:
      'Transition to Idle not allowed - Rollback first: cannot move to Idle while Upgrade is in progress (after the pivot); valid next stages: Rollback',
  });
});

test('a failed pre-pivot step fails the Upgrade without rolling back, even with autoRollbackOnFailure', () => {
  const { action, status } = run(
    ibu('Upgrade', { status: upgradeInProgress(original, []), spec: { autoRollbackOnFailure: {} } }),
    {
      upgrade: { stepsDone: [] },
      failure: {
        stage: 'Upgrade',
        step: 'backup-application-data',
        message: 'Failed backup CRs: acm-klusterlet',
      },
    },
  );
  assert.deepEqual(action, { kind: 'none' });
  assertCondition(status, 'UpgradeCompleted', {
    status: 'False',
    reason: 'Failed',
    message: 'Upgrade failed',
  });
  assertCondition(status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'Failed',
    message: 'Failed backup CRs: acm-klusterlet',
  });
  assert.deepEqual(status.validNextStages, ['Idle']);
});

const restoreFailure: HostProgress = {
  upgrade: { stepsDone: [...allPrePivot, 'reapply-cluster-artifacts'], pivotedAt },
  failure: { stage: 'Upgrade', step: 'restore-application-data', message: 'Failed restore CRs: app' },
};

test('a failed post-pivot step rolls back when autoRollbackOnFailure is set (IBU-8)', () => {
  const running = upgradeInProgress(upgraded, allPrePivot);
  const { action, status } = run(
    ibu('Upgrade', { status: running, spec: { autoRollbackOnFailure: {} } }),
    restoreFailure,
    upgraded,
    at(60),
  );
  assert.deepEqual(action, { kind: 'rollback', reason: 'failure' });
  assertCondition(status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'Failed',
    message: 'Rollback due to restore-application-data failure: Failed restore CRs: app',
  });

  // A crash before the reboot: the rollback is decided again.
  const again = run(ibu('Upgrade', { status, spec: { autoRollbackOnFailure: {} } }), {}, upgraded, at(61));
  assert.deepEqual(again.action, { kind: 'rollback', reason: 'failure' });
});

test('a failed post-pivot step without autoRollbackOnFailure waits for the user or the init monitor', () => {
  const running = upgradeInProgress(upgraded, allPrePivot);
  const { action, status } = run(ibu('Upgrade', { status: running }), restoreFailure, upgraded, at(60));
  assert.deepEqual(action, { kind: 'wait', requeueAfterMs: (1800 - 60) * 1000 });
  assertCondition(status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'Failed',
    message: 'Failed restore CRs: app',
  });
  assert.deepEqual(status.validNextStages, ['Rollback']);

  const expired = run(ibu('Upgrade', { status }), restoreFailure, upgraded, at(1801));
  assert.deepEqual(expired.action, { kind: 'rollback', reason: 'timeout' });
});

test('autoRollbackOnFailure with the upgrade-completion annotation Disabled does not roll back on failure', () => {
  const running = upgradeInProgress(upgraded, allPrePivot);
  const { action } = run(
    ibu('Upgrade', {
      status: running,
      spec: { autoRollbackOnFailure: {} },
      annotations: { 'auto-rollback-on-failure.lca.openshift.io/upgrade-completion': 'Disabled' },
    }),
    restoreFailure,
    upgraded,
    at(60),
  );
  assert.equal(action.kind, 'wait');
});

// ---- init monitor timeout -------------------------------------------------------------------------------

function postPivotAt(
  seconds: number,
  spec: Partial<ImageBasedUpgradeSpec> = {},
  annotations?: Record<string, string>,
) {
  const running = upgradeInProgress(upgraded, allPrePivot);
  return run(
    ibu('Upgrade', { status: running, spec, ...(annotations ? { annotations } : {}) }),
    { upgrade: { stepsDone: allPrePivot, pivotedAt } },
    upgraded,
    new Date(t0.getTime() + seconds * 1000),
  );
}

test('the upgrade rolls back when not completed within the default 1800 s of the pivot', () => {
  assert.equal(postPivotAt(1800 - 0.001).action.kind, 'run-step');
  const late = postPivotAt(1800 + 0.001);
  assert.deepEqual(late.action, { kind: 'rollback', reason: 'timeout' });
  assertCondition(late.status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'Failed',
    message: 'Rollback due to LCA Init Monitor timeout, after 30m0s',
  });
  assertCondition(late.status, 'UpgradeCompleted', {
    status: 'False',
    reason: 'Failed',
    message: 'Upgrade failed',
  });
});

test('initMonitorTimeoutSeconds 0 means 1800 s', () => {
  const spec = { autoRollbackOnFailure: { initMonitorTimeoutSeconds: 0 } };
  assert.equal(postPivotAt(1799.999, spec).action.kind, 'run-step');
  assert.deepEqual(postPivotAt(1800.001, spec).action, { kind: 'rollback', reason: 'timeout' });
});

test('initMonitorTimeoutSeconds sets the limit', () => {
  const spec = { autoRollbackOnFailure: { initMonitorTimeoutSeconds: 600 } };
  assert.equal(postPivotAt(599.999, spec).action.kind, 'run-step');
  const late = postPivotAt(600.001, spec);
  assert.deepEqual(late.action, { kind: 'rollback', reason: 'timeout' });
  assert.equal(
    condition(late.status, 'UpgradeInProgress')?.message,
    'Rollback due to LCA Init Monitor timeout, after 10m0s',
  );
});

test('the init-monitor annotation Disabled turns the timeout off', () => {
  const late = postPivotAt(
    7200,
    {},
    { 'auto-rollback-on-failure.lca.openshift.io/init-monitor': 'Disabled' },
  );
  assert.equal(late.action.kind, 'run-step');
});

test('an upgrade whose steps are all done completes even past the timeout', () => {
  const running = upgradeInProgress(upgraded, allPrePivot);
  const { action, status } = run(
    ibu('Upgrade', { status: running }),
    { upgrade: { stepsDone: upgradeDone, pivotedAt } },
    upgraded,
    at(5000),
  );
  assert.deepEqual(action, { kind: 'none' });
  assert.equal(condition(status, 'UpgradeCompleted')?.status, 'True');
});

test('Go durations print as upstream prints the timeout', () => {
  assert.deepEqual(
    [goDuration(1800), goDuration(3600), goDuration(45), goDuration(3725)],
    ['30m0s', '1h0m0s', '45s', '1h2m5s'],
  );
});

// ---- Rollback --------------------------------------------------------------------------------------

test('Rollback marks the upgrade rollback-requested, runs its steps, and completes in the original stateroot', () => {
  const start = run(ibu('Rollback', { status: upgradeCompletedStatus }), {}, upgraded);
  assert.deepEqual(start.action, step('Rollback', rollbackSteps[0]));
  assertCondition(start.status, 'UpgradeInProgress', {
    status: 'False',
    reason: 'Failed',
    message: 'Rollback requested',
  });
  assertCondition(start.status, 'UpgradeCompleted', {
    status: 'False',
    reason: 'Failed',
    message: 'Rollback requested',
  });
  assertCondition(start.status, 'RollbackInProgress', {
    status: 'True',
    reason: 'InProgress',
    message: 'Initiating rollback',
  });
  assert.equal(start.status.validNextStages, undefined, 'nothing may move while rolling back');

  const steps = drive(ibu('Rollback', { status: upgradeCompletedStatus }), 'rollback', {}, upgraded);
  assert.deepEqual(steps.ran, names(rollbackSteps));
  assert.equal(steps.last.action.kind, 'wait');

  const back = run(steps.object, { rollback: { stepsDone: names(rollbackSteps) } }, original);
  assert.deepEqual(back.action, { kind: 'none' });
  assertCondition(back.status, 'RollbackCompleted', {
    status: 'True',
    reason: 'Completed',
    message: 'Rollback completed',
  });
  assert.deepEqual(back.status.validNextStages, ['Idle']);
});

test('Rollback resumes after a crash at every step', () => {
  const started = run(ibu('Rollback', { status: upgradeCompletedStatus }), {}, upgraded).status;
  for (let k = 0; k < rollbackSteps.length; k++) {
    const { action } = run(
      ibu('Rollback', { status: started }),
      { rollback: { stepsDone: names(rollbackSteps).slice(0, k) } },
      upgraded,
    );
    assert.deepEqual(action, { kind: 'run-step', stage: 'Rollback', step: rollbackSteps[k]?.name });
  }
});

test('a failed rollback step leaves no way forward but manual recovery', () => {
  const started = run(ibu('Rollback', { status: upgradeCompletedStatus }), {}, upgraded).status;
  const { action, status } = run(
    ibu('Rollback', { status: started }),
    {
      failure: {
        stage: 'Rollback',
        step: 'set-default-deployment',
        message: 'ostree admin set-default: exit 1',
      },
    },
    upgraded,
  );
  assert.deepEqual(action, { kind: 'none' });
  assertCondition(status, 'RollbackCompleted', {
    status: 'False',
    reason: 'Failed',
    message: 'Rollback failed',
  });
  assertCondition(status, 'RollbackInProgress', {
    status: 'False',
    reason: 'Failed',
    message: 'ostree admin set-default: exit 1',
  });
  assert.equal(status.validNextStages, undefined);
});

// ---- Idle ------------------------------------------------------------------------------------------

test('Idle after a finalized upgrade removes the old stateroot, then reports Idle=True', () => {
  const first = run(ibu('Idle', { status: upgradeCompletedStatus }), {}, upgraded);
  assert.deepEqual(first.action, step('Idle', finalizeUpgradeSteps[0]));
  assertCondition(first.status, 'Idle', {
    status: 'False',
    reason: 'Finalizing',
    message: finalizeUpgradeSteps[0].description,
  });
  assert.deepEqual(first.status.history, []);

  const { ran, last } = drive(ibu('Idle', { status: upgradeCompletedStatus }), 'idle', {}, upgraded);
  assert.deepEqual(ran, names(finalizeUpgradeSteps));
  assert.deepEqual(last.action, { kind: 'none' });
  assert.deepEqual(
    last.status.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [['Idle', 'True', 'Idle', 'Idle']],
  );
  assert.deepEqual(last.status.validNextStages, ['Prep']);
});

test('Idle after a rollback removes the new stateroot and the Prep leftovers', () => {
  const started = run(ibu('Rollback', { status: upgradeCompletedStatus }), {}, upgraded).status;
  const rolledBack = run(
    ibu('Rollback', { status: started }),
    { rollback: { stepsDone: names(rollbackSteps) } },
    original,
  ).status;
  const { ran, last } = drive(ibu('Idle', { status: rolledBack }), 'idle', {}, original);
  assert.equal(condition(run(ibu('Idle', { status: rolledBack })).status, 'Idle')?.reason, 'Finalizing');
  assert.deepEqual(ran, names(abortSteps));
  assert.equal(condition(last.status, 'Idle')?.status, 'True');
});

test('cancelling Prep aborts and cleans up, back to Idle', () => {
  const running = run(ibu('Prep', { status: idleStatus })).status;
  const { ran, last } = drive(ibu('Idle', { status: running }), 'idle', {}, original);
  assert.deepEqual(ran, names(abortSteps));
  assert.deepEqual(last.status.validNextStages, ['Prep']);
});

test('Idle cleanup resumes at the first step not done', () => {
  const started = run(ibu('Idle', { status: upgradeCompletedStatus }), {}, upgraded).status;
  for (let k = 0; k < finalizeUpgradeSteps.length; k++) {
    const { action } = run(
      ibu('Idle', { status: started }),
      { idle: { stepsDone: names(finalizeUpgradeSteps).slice(0, k) } },
      upgraded,
    );
    assert.deepEqual(action, { kind: 'run-step', stage: 'Idle', step: finalizeUpgradeSteps[k]?.name });
  }
});

test('a failed cleanup asks for manual cleanup, and the annotation resumes it', () => {
  const started = run(ibu('Idle', { status: upgradeCompletedStatus }), {}, upgraded).status;
  const failure: HostProgress = {
    failure: { stage: 'Idle', step: 'remove-old-stateroot', message: 'ostree admin undeploy 1: busy' },
  };
  const failed = run(ibu('Idle', { status: started }), failure, upgraded);
  assert.deepEqual(failed.action, { kind: 'none' });
  assertCondition(failed.status, 'Idle', {
    status: 'False',
    reason: 'FinalizeFailed',
    message:
      "ostree admin undeploy 1: busy Perform cleanup manually then add 'lca.openshift.io/manual-cleanup-done' annotation to ibu CR to transition back to Idle",
  });
  assert.equal(failed.status.validNextStages, undefined);

  assert.deepEqual(run(ibu('Idle', { status: failed.status }), failure, upgraded).action, { kind: 'none' });
  const resumed = run(
    ibu('Idle', { status: failed.status, annotations: { 'lca.openshift.io/manual-cleanup-done': '' } }),
    failure,
    upgraded,
  );
  assert.deepEqual(resumed.action, step('Idle', finalizeUpgradeSteps[0]));
  assert.equal(condition(resumed.status, 'Idle')?.reason, 'Finalizing');
});

// ---- status bookkeeping ---------------------------------------------------------------------------------

test('the latest condition comes last, for the State and Details printer columns', () => {
  const { status } = run(ibu('Prep', { status: idleStatus }));
  assert.deepEqual(
    status.conditions?.map((c) => c.type),
    ['Idle', 'PrepInProgress'],
  );
  const completed = prepCompleted.conditions?.map((c) => c.type);
  assert.equal(completed?.[completed.length - 1], 'PrepCompleted');
});

test('lastTransitionTime moves only when a condition changes status', () => {
  const started = run(ibu('Prep', { status: idleStatus }), {}, original, t0).status;
  const later = run(
    ibu('Prep', { status: started }),
    { prep: { stepsDone: ['validate-spec'] } },
    original,
    at(90),
  ).status;
  assert.equal(condition(later, 'PrepInProgress')?.lastTransitionTime, '2024-05-01T10:00:00Z');
  assert.equal(condition(later, 'PrepInProgress')?.message, prepSteps[1].description);
});

test('observedGeneration follows the object', () => {
  const { status } = run(ibu('Prep', { status: idleStatus, generation: 7 }));
  assert.equal(status.observedGeneration, 7);
  assert.equal(condition(status, 'PrepInProgress')?.observedGeneration, 7);
});
