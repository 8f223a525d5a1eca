/**
 * Reading the stage conditions of an ImageBasedUpgrade, as upstream lifecycle-agent's
 * controllers/utils/conditions.go does: each stage has an "in progress" and a "completed"
 * condition type (Idle uses `Idle` for both).
 */
import type { Condition } from '../../api/kind.ts';
import { conditionReasons, conditionTypes, stages, type Stage } from '../../api/lca/constants.ts';
import { getCondition } from '../../runtime/conditions.ts';

export type Conditions = readonly Condition[] | undefined;

const inProgressTypes: Readonly<Record<Stage, string>> = {
  Idle: conditionTypes.idle,
  Prep: conditionTypes.prepInProgress,
  Upgrade: conditionTypes.upgradeInProgress,
  Rollback: conditionTypes.rollbackInProgress,
};

const completedTypes: Readonly<Record<Stage, string>> = {
  Idle: conditionTypes.idle,
  Prep: conditionTypes.prepCompleted,
  Upgrade: conditionTypes.upgradeCompleted,
  Rollback: conditionTypes.rollbackCompleted,
};

/** Idle=False with one of these reasons means the agent is cleaning up on its way to Idle. */
const becomingIdleReasons: ReadonlySet<string> = new Set([
  conditionReasons.aborting,
  conditionReasons.abortFailed,
  conditionReasons.finalizing,
  conditionReasons.finalizeFailed,
]);

export function inProgressConditionType(stage: Stage): string {
  return inProgressTypes[stage];
}

export function completedConditionType(stage: Stage): string {
  return completedTypes[stage];
}

export function isStageCompleted(conditions: Conditions, stage: Stage): boolean {
  return getCondition(conditions, completedTypes[stage])?.status === 'True';
}

export function isStageFailed(conditions: Conditions, stage: Stage): boolean {
  return getCondition(conditions, completedTypes[stage])?.status === 'False';
}

export function isStageCompletedOrFailed(conditions: Conditions, stage: Stage): boolean {
  return getCondition(conditions, completedTypes[stage]) !== undefined;
}

export function isStageInProgress(conditions: Conditions, stage: Stage): boolean {
  const condition = getCondition(conditions, inProgressTypes[stage]);
  if (stage === 'Idle') {
    return condition?.status === 'False' && becomingIdleReasons.has(condition.reason);
  }
  return condition?.status === 'True';
}

/** The stage the agent is working on, first match in stage order (upstream GetInProgressStage). */
export function inProgressStage(conditions: Conditions): Stage | undefined {
  return stages.find((stage) => isStageInProgress(conditions, stage));
}
