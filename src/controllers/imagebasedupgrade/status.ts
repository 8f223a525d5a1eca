/**
 * Pure builders of the ImageBasedUpgrade status for each situation, with upstream
 * lifecycle-agent's condition types, reasons and messages (controllers/utils/conditions.go) and
 * its stage history (controllers/utils/history.go). Every builder returns a new status.
 */
import type { Condition } from '../../api/kind.ts';
import {
  annotations,
  conditionMessages,
  conditionReasons,
  conditionTypes,
  type Stage,
} from '../../api/lca/constants.ts';
import type { History, ImageBasedUpgradeStatus } from '../../api/lca/image-based-upgrade.ts';
import { getCondition, removeCondition, setCondition } from '../../runtime/conditions.ts';
import { completedConditionType, inProgressConditionType } from './stage-conditions.ts';

export type Status = ImageBasedUpgradeStatus;

export interface StatusContext {
  /** metadata.generation of the object the status describes. */
  readonly generation: number;
  readonly now: Date;
}

export type WorkingStage = Exclude<Stage, 'Idle'>;
export type IdleReason = typeof conditionReasons.finalizing | typeof conditionReasons.aborting;

/** metav1.Time serialises at second precision. */
export function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/**
 * Upstream's SetStatusCondition: a condition whose status flips (and Idle, always) moves to the end
 * of the list unless it is already last, because the printer columns State and Details show
 * `conditions[-1:]`, the latest event.
 */
export function setIbuCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  ctx: StatusContext,
): Condition[] {
  const list = conditions ?? [];
  const existing = getCondition(list, type);
  const last = list[list.length - 1];
  const moveToEnd =
    existing !== undefined &&
    (existing.status !== status || type === conditionTypes.idle) &&
    last?.type !== type;
  return setCondition(
    moveToEnd ? removeCondition(list, type) : list,
    { type, status, reason, message, observedGeneration: ctx.generation },
    ctx.now,
  );
}

function withCondition(
  status: Status,
  type: string,
  conditionStatus: 'True' | 'False',
  reason: string,
  message: string,
  ctx: StatusContext,
): Status {
  return {
    ...status,
    conditions: setIbuCondition(status.conditions, type, conditionStatus, reason, message, ctx),
  };
}

// ---- stage in progress / completed / failed ---------------------------------------------------------

export function stageInProgress(
  status: Status,
  stage: WorkingStage,
  message: string,
  ctx: StatusContext,
): Status {
  return withCondition(
    status,
    inProgressConditionType(stage),
    'True',
    conditionReasons.inProgress,
    message,
    ctx,
  );
}

/** The completed condition carries `completedMessage`; the in-progress one says what failed. */
function stageFailed(
  status: Status,
  stage: WorkingStage,
  completedMessage: string,
  message: string,
  ctx: StatusContext,
): Status {
  const failed = withCondition(
    status,
    completedConditionType(stage),
    'False',
    conditionReasons.failed,
    completedMessage,
    ctx,
  );
  return withCondition(
    failed,
    inProgressConditionType(stage),
    'False',
    conditionReasons.failed,
    message,
    ctx,
  );
}

function stageCompleted(
  status: Status,
  stage: WorkingStage,
  inProgressMessage: string,
  completedMessage: string,
  ctx: StatusContext,
): Status {
  const done = withCondition(
    status,
    inProgressConditionType(stage),
    'False',
    conditionReasons.completed,
    inProgressMessage,
    ctx,
  );
  return withCondition(
    done,
    completedConditionType(stage),
    'True',
    conditionReasons.completed,
    completedMessage,
    ctx,
  );
}

export const prepCompletedMessage = 'Prep stage completed successfully';

/** Starting Prep also turns Idle False (In progress): the cluster is no longer idle. */
export function prepStarted(status: Status, ctx: StatusContext): Status {
  const notIdle = withCondition(
    status,
    conditionTypes.idle,
    'False',
    conditionReasons.inProgress,
    conditionMessages.inProgress,
    ctx,
  );
  return stageInProgress(notIdle, 'Prep', conditionMessages.inProgress, ctx);
}

export function prepCompleted(status: Status, ctx: StatusContext, message = prepCompletedMessage): Status {
  return stageCompleted(status, 'Prep', conditionMessages.prepCompleted, message, ctx);
}

export function prepFailed(status: Status, message: string, ctx: StatusContext): Status {
  return stageFailed(status, 'Prep', conditionMessages.prepFailed, message, ctx);
}

export function upgradeStarted(status: Status, ctx: StatusContext): Status {
  return stageInProgress(status, 'Upgrade', conditionMessages.inProgress, ctx);
}

export function upgradeCompleted(status: Status, ctx: StatusContext): Status {
  return stageCompleted(
    status,
    'Upgrade',
    conditionMessages.upgradeCompleted,
    conditionMessages.upgradeCompleted,
    ctx,
  );
}

export function upgradeFailed(status: Status, message: string, ctx: StatusContext): Status {
  return stageFailed(status, 'Upgrade', conditionMessages.upgradeFailed, message, ctx);
}

/** A requested rollback marks the upgrade failed ("Rollback requested") and starts Rollback. */
export function rollbackStarted(status: Status, ctx: StatusContext): Status {
  const requested = stageFailed(
    status,
    'Upgrade',
    conditionMessages.rollbackRequested,
    conditionMessages.rollbackRequested,
    ctx,
  );
  return stageInProgress(requested, 'Rollback', conditionMessages.inProgress, ctx);
}

export function rollbackCompleted(status: Status, ctx: StatusContext): Status {
  return stageCompleted(
    status,
    'Rollback',
    conditionMessages.rollbackCompleted,
    conditionMessages.rollbackCompleted,
    ctx,
  );
}

export function rollbackFailed(status: Status, message: string, ctx: StatusContext): Status {
  return stageFailed(status, 'Rollback', conditionMessages.rollbackFailed, message, ctx);
}

// ---- Idle ------------------------------------------------------------------------------------------

/** Finalizing (after UpgradeCompleted or RollbackCompleted) or Aborting (a cancel). */
export function idleStarted(status: Status, reason: IdleReason, ctx: StatusContext): Status {
  const message =
    reason === conditionReasons.finalizing ? conditionMessages.finalizing : conditionMessages.aborting;
  return idleProgress(status, reason, message, ctx);
}

export function idleProgress(
  status: Status,
  reason: IdleReason,
  message: string,
  ctx: StatusContext,
): Status {
  return withCondition(status, conditionTypes.idle, 'False', reason, message, ctx);
}

/** Upstream leaves a failed cleanup to the user, who says so with an annotation. */
export function idleCleanupFailed(
  status: Status,
  reason: IdleReason,
  message: string,
  ctx: StatusContext,
): Status {
  const failedReason =
    reason === conditionReasons.finalizing ? conditionReasons.finalizeFailed : conditionReasons.abortFailed;
  return withCondition(
    status,
    conditionTypes.idle,
    'False',
    failedReason,
    `${message} Perform cleanup manually then add '${annotations.manualCleanupDone}' annotation to ibu CR to transition back to Idle`,
    ctx,
  );
}

/** Ready for the next upgrade: only Idle=True remains (upstream ResetStatusConditions). */
export function idleReady(status: Status, ctx: StatusContext): Status {
  const { rollbackAvailabilityExpiration: _expired, ...rest } = status;
  const onlyIdle = (status.conditions ?? []).filter((c) => c.type === conditionTypes.idle);
  return {
    ...rest,
    conditions: setCondition(
      onlyIdle,
      {
        type: conditionTypes.idle,
        status: 'True',
        reason: conditionReasons.idle,
        message: conditionMessages.idle,
        observedGeneration: ctx.generation,
      },
      ctx.now,
    ),
  };
}

// ---- invalid transitions -------------------------------------------------------------------------

/** A refused move is reported on the in-progress condition of the stage asked for. */
export function invalidTransition(status: Status, to: Stage, message: string, ctx: StatusContext): Status {
  return withCondition(
    status,
    inProgressConditionType(to),
    'False',
    conditionReasons.invalidTransition,
    message,
    ctx,
  );
}

/** Before a valid move: an invalid Idle goes back to In progress, other invalid ones go away. */
export function clearInvalidTransitions(status: Status, ctx: StatusContext): Status {
  let next = status;
  for (const condition of status.conditions ?? []) {
    if (condition.reason !== conditionReasons.invalidTransition) continue;
    if (condition.type === conditionTypes.idle) {
      next = withCondition(
        next,
        conditionTypes.idle,
        'False',
        conditionReasons.inProgress,
        conditionMessages.inProgress,
        ctx,
      );
    } else {
      next = { ...next, conditions: removeCondition(next.conditions, condition.type) };
    }
  }
  return next;
}

// ---- history ---------------------------------------------------------------------------------------

function mapHistory(status: Status, stage: Stage, change: (entry: History) => History): Status {
  if (status.history === undefined) return status;
  return { ...status, history: status.history.map((h) => (h.stage === stage ? change(h) : h)) };
}

/** Opens the stage's history entry the first time its handler runs (never for Idle). */
export function startStageHistory(status: Status, stage: Stage, now: Date): Status {
  if (stage === 'Idle') return status;
  if (status.history?.some((h) => h.stage === stage && h.startTime !== undefined)) return status;
  return {
    ...status,
    history: [...(status.history ?? []), { stage, startTime: timestamp(now), phases: [] }],
  };
}

export function stopStageHistory(status: Status, stage: Stage, now: Date): Status {
  return mapHistory(status, stage, (h) =>
    h.startTime !== undefined && h.completionTime === undefined
      ? { ...h, completionTime: timestamp(now) }
      : h,
  );
}

export function startPhase(status: Status, stage: Stage, phase: string, now: Date): Status {
  return mapHistory(status, stage, (h) =>
    h.phases?.some((p) => p.phase === phase && p.startTime !== undefined)
      ? h
      : { ...h, phases: [...(h.phases ?? []), { phase, startTime: timestamp(now) }] },
  );
}

export function stopPhase(status: Status, stage: Stage, phase: string, now: Date): Status {
  return mapHistory(status, stage, (h) => ({
    ...h,
    phases: (h.phases ?? []).map((p) =>
      p.phase === phase && p.startTime !== undefined && p.completionTime === undefined
        ? { ...p, completionTime: timestamp(now) }
        : p,
    ),
  }));
}

/** Upstream empties the history whenever the desired stage is Idle. */
export function resetHistory(status: Status): Status {
  return { ...status, history: [] };
}

// ---- what every status write carries ---------------------------------------------------------------

export interface Finish {
  /** spec.stage: its conditions get the current generation, as upstream UpdateIBUStatus does. */
  readonly stage: Stage;
  readonly generation: number;
  readonly validNextStages: readonly Stage[];
}

/**
 * observedGeneration and validNextStages; an empty list is left out (Go's omitempty), which the
 * CRD's CEL rule reads as "no transition allowed".
 */
export function finishStatus(status: Status, finish: Finish): Status {
  const { validNextStages: _previous, ...rest } = status;
  const stageTypes = new Set([inProgressConditionType(finish.stage), completedConditionType(finish.stage)]);
  return {
    ...rest,
    observedGeneration: finish.generation,
    ...(rest.conditions !== undefined
      ? {
          conditions: rest.conditions.map((c) =>
            stageTypes.has(c.type) ? { ...c, observedGeneration: finish.generation } : c,
          ),
        }
      : {}),
    ...(finish.validNextStages.length > 0 ? { validNextStages: [...finish.validNextStages] } : {}),
  };
}
