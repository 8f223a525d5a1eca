/**
 * The pure heart of the ImageBasedUpgrade agent: from the object, what the host says has been done
 * and the time, the next status and the one action the effects layer takes before it asks again
 * (docs/ibu-agent.md). It follows upstream lifecycle-agent's Reconcile: apply a requested stage
 * change if the transition table allows it, then work on the stage in progress.
 */
import { annotations, conditionReasons, conditionTypes, type Stage } from '../../api/lca/constants.ts';
import type { ImageBasedUpgrade } from '../../api/lca/image-based-upgrade.ts';
import { getCondition } from '../../runtime/conditions.ts';
import {
  clearInvalidTransitions,
  finishStatus,
  idleCleanupFailed,
  idleProgress,
  idleReady,
  idleStarted,
  invalidTransition,
  prepCompleted,
  prepFailed,
  prepStarted,
  resetHistory,
  rollbackCompleted,
  rollbackFailed,
  rollbackStarted,
  stageInProgress,
  startPhase,
  startStageHistory,
  stopPhase,
  stopStageHistory,
  upgradeCompleted,
  upgradeFailed,
  upgradeStarted,
  type IdleReason,
  type Status,
  type StatusContext,
  type WorkingStage,
} from './status.ts';
import {
  inProgressStage,
  isStageCompleted,
  isStageCompletedOrFailed,
  isStageFailed,
  isStageInProgress,
  type Conditions,
} from './stage-conditions.ts';
import {
  abortSteps,
  finalizeUpgradeSteps,
  nextStep,
  prepSteps,
  rollbackSteps,
  upgradePostPivotSteps,
  upgradePrePivotSteps,
  upgradeSteps,
  type Step,
} from './steps.ts';
import { transitionRefusal, validNextStages, type PivotState } from './transitions.ts';
import {
  autoRollbackPrefix,
  failureRollbackMessage,
  initMonitor,
  initMonitorTimeoutPrefix,
  rollbackOnFailureEnabled,
  timeoutRollbackMessage,
} from './auto-rollback.ts';
import type { HostProgress } from './host-progress.ts';

export type { HostProgress, StepFailure, StepsRecord, UpgradeRecord } from './host-progress.ts';

export interface DecideInput {
  readonly ibu: ImageBasedUpgrade;
  readonly progress: HostProgress;
  readonly now: Date;
  readonly bootedStateroot: string;
  readonly originalStateroot?: string;
  /** Defaults to `rhcos_<spec.seedImageRef.version>`. */
  readonly newStateroot?: string;
}

export type RollbackReason = 'timeout' | 'failure' | 'requested';

export type Action =
  | { readonly kind: 'run-step'; readonly stage: Stage; readonly step: string }
  /**
   * Roll back outside the Rollback stage (IBU-8): save the object with this status into the
   * original stateroot's ibu.json, make the original deployment default, reboot. A Rollback the
   * user asks for runs as the Rollback stage's steps instead.
   */
  | { readonly kind: 'rollback'; readonly reason: RollbackReason }
  | { readonly kind: 'wait'; readonly requeueAfterMs: number }
  | { readonly kind: 'none' };

export interface Decision {
  readonly status: Status;
  readonly action: Action;
}

/** Upstream's requeue intervals. */
export const requeue = {
  immediate: 2_000,
  short: 30_000,
} as const;

export function staterootName(version: string): string {
  return `rhcos_${version}`;
}

interface Context {
  readonly input: DecideInput;
  readonly desired: Stage;
  readonly pivot: PivotState;
  readonly bootedOriginal: boolean;
  readonly status: StatusContext;
}

const none: Action = { kind: 'none' };
const wait = (requeueAfterMs: number): Action => ({ kind: 'wait', requeueAfterMs });
const runStep = (stage: Stage, step: Step): Action => ({ kind: 'run-step', stage, step: step.name });

export function decide(input: DecideInput): Decision {
  const { ibu } = input;
  const version = ibu.spec?.seedImageRef?.version;
  const newStateroot = input.newStateroot ?? (version !== undefined ? staterootName(version) : undefined);
  const afterPivot = newStateroot !== undefined && input.bootedStateroot === newStateroot;
  const ctx: Context = {
    input,
    desired: ibu.spec?.stage ?? 'Idle',
    pivot: { afterPivot },
    bootedOriginal:
      input.originalStateroot !== undefined ? input.bootedStateroot === input.originalStateroot : !afterPivot,
    status: { generation: ibu.metadata?.generation ?? 0, now: input.now },
  };
  const previous: Status = ibu.status ?? {};

  if (input.progress.ibuJsonPendingRestore === true) {
    return finish(ctx, previous, wait(requeue.immediate));
  }

  let status = previous;
  if (transitionRequested(status.conditions, ctx.desired)) {
    const refusal = transitionRefusal(status, ctx.desired, ctx.pivot);
    status =
      refusal === undefined
        ? startStage(clearInvalidTransitions(status, ctx.status), ctx)
        : invalidTransition(status, ctx.desired, refusal, ctx.status);
  }

  // As upstream, a refused request does not stop the work already under way.
  switch (inProgressStage(status.conditions)) {
    case 'Prep':
      return handlePrep(status, ctx);
    case 'Upgrade':
      return handleUpgrade(status, ctx);
    case 'Rollback':
      return handleRollback(status, ctx);
    case 'Idle':
      return handleIdle(status, ctx);
    case undefined:
      return handleSettled(status, ctx);
  }
}

function finish(ctx: Context, status: Status, action: Action): Decision {
  return {
    status: finishStatus(status, {
      stage: ctx.desired,
      generation: ctx.status.generation,
      validNextStages: validNextStages(status, ctx.pivot),
    }),
    action,
  };
}

/** Upstream isTransitionRequested: the desired stage has neither started nor ended. */
function transitionRequested(conditions: Conditions, desired: Stage): boolean {
  if (isStageInProgress(conditions, desired)) return false;
  return desired === 'Idle'
    ? !isStageCompleted(conditions, 'Idle')
    : !isStageCompletedOrFailed(conditions, desired);
}

function startStage(status: Status, ctx: Context): Status {
  switch (ctx.desired) {
    case 'Prep':
      return prepStarted(status, ctx.status);
    case 'Upgrade':
      return upgradeStarted(status, ctx.status);
    case 'Rollback':
      return rollbackStarted(status, ctx.status);
    case 'Idle': {
      const reason = finalizeOrAbort(status.conditions, ctx.pivot);
      if (reason !== undefined) return idleStarted(status, reason, ctx.status);
      // The object was just created: straight to Idle=True.
      return getCondition(status.conditions, conditionTypes.idle) === undefined
        ? idleReady(status, ctx.status)
        : status;
    }
  }
}

/** Finalize after a completed upgrade or rollback; abort a Prep or an Upgrade before the pivot. */
function finalizeOrAbort(conditions: Conditions, pivot: PivotState): IdleReason | undefined {
  if (isStageCompleted(conditions, 'Upgrade') || isStageCompleted(conditions, 'Rollback')) {
    return conditionReasons.finalizing;
  }
  const idle = getCondition(conditions, conditionTypes.idle);
  const rollback = getCondition(conditions, conditionTypes.rollbackInProgress);
  if (
    idle?.status === 'False' &&
    !pivot.afterPivot &&
    (rollback === undefined || rollback.reason === conditionReasons.invalidTransition)
  ) {
    return conditionReasons.aborting;
  }
  return undefined;
}

function failureOf(ctx: Context, stage: Stage) {
  const failure = ctx.input.progress.failure;
  return failure?.stage === stage ? failure : undefined;
}

/** Closes the phases of done steps and opens the one of the step about to run. */
function trackPhases(
  status: Status,
  stage: Stage,
  list: readonly Step[],
  done: readonly string[],
  current: Step | undefined,
  now: Date,
): Status {
  let next = status;
  for (const step of list) {
    if (done.includes(step.name)) next = stopPhase(next, stage, step.name, now);
  }
  return current === undefined ? next : startPhase(next, stage, current.name, now);
}

/** Runs `step`, saying so in the stage's in-progress condition and history. */
function running(
  status: Status,
  ctx: Context,
  stage: WorkingStage,
  list: readonly Step[],
  done: readonly string[],
  step: Step,
): Decision {
  const tracked = trackPhases(status, stage, list, done, step, ctx.status.now);
  return finish(ctx, stageInProgress(tracked, stage, step.description, ctx.status), runStep(stage, step));
}

function completedStage(
  status: Status,
  ctx: Context,
  stage: WorkingStage,
  list: readonly Step[],
  done: readonly string[],
): Status {
  const tracked = trackPhases(status, stage, list, done, undefined, ctx.status.now);
  return stopStageHistory(tracked, stage, ctx.status.now);
}

// ---- Prep ------------------------------------------------------------------------------------------

function handlePrep(previous: Status, ctx: Context): Decision {
  const status = startStageHistory(previous, 'Prep', ctx.status.now);
  const failure = failureOf(ctx, 'Prep');
  if (failure !== undefined) return finish(ctx, prepFailed(status, failure.message, ctx.status), none);

  const done = ctx.input.progress.prep?.stepsDone ?? [];
  const step = nextStep(prepSteps, done);
  if (step !== undefined) return running(status, ctx, 'Prep', prepSteps, done, step);
  const completed = completedStage(status, ctx, 'Prep', prepSteps, done);
  return finish(ctx, prepCompleted(completed, ctx.status), none);
}

// ---- Upgrade ---------------------------------------------------------------------------------------

function handleUpgrade(previous: Status, ctx: Context): Decision {
  const status = startStageHistory(previous, 'Upgrade', ctx.status.now);
  const failure = failureOf(ctx, 'Upgrade');
  if (failure !== undefined) {
    if (ctx.pivot.afterPivot && rollbackOnFailureEnabled(ctx.input.ibu)) {
      const failed = upgradeFailed(status, failureRollbackMessage(failure), ctx.status);
      return finish(ctx, failed, { kind: 'rollback', reason: 'failure' });
    }
    return monitorFailedUpgrade(upgradeFailed(status, failure.message, ctx.status), ctx);
  }

  const done = ctx.input.progress.upgrade?.stepsDone ?? [];
  if (!ctx.pivot.afterPivot) {
    const step = nextStep(upgradePrePivotSteps, done);
    if (step !== undefined) return running(status, ctx, 'Upgrade', upgradeSteps, done, step);
    // Every pre-pivot step is done, the reboot included: it has not taken effect yet.
    return finish(ctx, status, wait(requeue.short));
  }

  const step = nextStep(upgradePostPivotSteps, done);
  if (step === undefined) {
    const completed = completedStage(status, ctx, 'Upgrade', upgradeSteps, done);
    return finish(ctx, upgradeCompleted(completed, ctx.status), none);
  }
  const timer = initMonitor(ctx.input.ibu, ctx.input.progress, ctx.input.now);
  if (timer !== undefined && timer.remainingMs <= 0) {
    const failed = upgradeFailed(status, timeoutRollbackMessage(timer.seconds), ctx.status);
    return finish(ctx, failed, { kind: 'rollback', reason: 'timeout' });
  }
  return running(status, ctx, 'Upgrade', upgradeSteps, done, step);
}

/**
 * A failed upgrade after the pivot is still "not completed": the init monitor rolls it back when
 * its time is up, so wake up then.
 */
function monitorFailedUpgrade(status: Status, ctx: Context): Decision {
  if (!ctx.pivot.afterPivot) return finish(ctx, status, none);
  const timer = initMonitor(ctx.input.ibu, ctx.input.progress, ctx.input.now);
  if (timer === undefined) return finish(ctx, status, none);
  if (timer.remainingMs > 0) return finish(ctx, status, wait(timer.remainingMs));
  const failed = upgradeFailed(status, timeoutRollbackMessage(timer.seconds), ctx.status);
  return finish(ctx, failed, { kind: 'rollback', reason: 'timeout' });
}

/** No stage in progress: only a failed post-pivot upgrade still has something to do. */
function handleSettled(status: Status, ctx: Context): Decision {
  const conditions = status.conditions;
  if (
    ctx.desired !== 'Upgrade' ||
    !ctx.pivot.afterPivot ||
    !isStageFailed(conditions, 'Upgrade') ||
    isStageCompletedOrFailed(conditions, 'Rollback')
  ) {
    return finish(ctx, status, none);
  }
  const message = getCondition(conditions, conditionTypes.upgradeInProgress)?.message ?? '';
  if (message.startsWith(autoRollbackPrefix)) {
    // An automatic rollback was decided but the node is still in the new stateroot.
    const reason: RollbackReason = message.startsWith(initMonitorTimeoutPrefix) ? 'timeout' : 'failure';
    return finish(ctx, status, { kind: 'rollback', reason });
  }
  return monitorFailedUpgrade(status, ctx);
}

// ---- Rollback --------------------------------------------------------------------------------------

function handleRollback(previous: Status, ctx: Context): Decision {
  const status = startStageHistory(previous, 'Rollback', ctx.status.now);
  const failure = failureOf(ctx, 'Rollback');
  if (failure !== undefined) return finish(ctx, rollbackFailed(status, failure.message, ctx.status), none);

  const done = ctx.input.progress.rollback?.stepsDone ?? [];
  if (ctx.bootedOriginal) {
    const completed = completedStage(status, ctx, 'Rollback', rollbackSteps, done);
    return finish(ctx, rollbackCompleted(completed, ctx.status), none);
  }
  const step = nextStep(rollbackSteps, done);
  if (step !== undefined) return running(status, ctx, 'Rollback', rollbackSteps, done, step);
  return finish(ctx, status, wait(requeue.short));
}

// ---- Idle ------------------------------------------------------------------------------------------

/** What is removed depends on what is being left behind: the old release or the new one. */
function cleanupSteps(conditions: Conditions): readonly Step[] {
  return isStageCompleted(conditions, 'Upgrade') && !isStageCompleted(conditions, 'Rollback')
    ? finalizeUpgradeSteps
    : abortSteps;
}

function handleIdle(previous: Status, ctx: Context): Decision {
  let status = resetHistory(previous);
  const idle = getCondition(status.conditions, conditionTypes.idle);
  const finalizing =
    idle?.reason === conditionReasons.finalizing || idle?.reason === conditionReasons.finalizeFailed;
  const reason: IdleReason = finalizing ? conditionReasons.finalizing : conditionReasons.aborting;
  const failedBefore =
    idle?.reason === conditionReasons.finalizeFailed || idle?.reason === conditionReasons.abortFailed;

  if (failedBefore) {
    // Upstream retries only once the user has cleaned up by hand and said so.
    const manualCleanupDone =
      ctx.input.ibu.metadata?.annotations?.[annotations.manualCleanupDone] !== undefined;
    if (!manualCleanupDone) return finish(ctx, status, none);
    status = idleStarted(status, reason, ctx.status);
  } else {
    const failure = failureOf(ctx, 'Idle');
    if (failure !== undefined) {
      return finish(ctx, idleCleanupFailed(status, reason, failure.message, ctx.status), none);
    }
  }

  const done = ctx.input.progress.idle?.stepsDone ?? [];
  const step = nextStep(cleanupSteps(status.conditions), done);
  if (step === undefined) return finish(ctx, idleReady(status, ctx.status), none);
  return finish(ctx, idleProgress(status, reason, step.description, ctx.status), runStep('Idle', step));
}
