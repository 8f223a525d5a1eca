/**
 * The one transition table of the ImageBasedUpgrade stages (IBU-4). The controller writes
 * `status.validNextStages` from it, and the CRD's CEL rule refuses at the API server every move
 * that list leaves out, so the validator and the controller can never disagree.
 *
 * The situation is read from the conditions exactly as upstream's getValidNextStageList does
 * (controllers/ibu_controller.go), in the same order; "after the pivot" means the new stateroot is
 * the booted one.
 */
import type { Condition } from '../../api/kind.ts';
import { conditionTypes, type Stage } from '../../api/lca/constants.ts';
import type { ImageBasedUpgradeStatus } from '../../api/lca/image-based-upgrade.ts';
import { getCondition } from '../../runtime/conditions.ts';
import { inProgressStage, isStageCompleted, isStageFailed, type Conditions } from './stage-conditions.ts';

export type Situation =
  /** No Idle condition yet: the object was just created. */
  | 'new'
  | 'idle'
  /** Idle=False while aborting, finalizing, or after either failed. */
  | 'becoming-idle'
  | 'prep-in-progress'
  | 'prep-failed'
  | 'prep-completed'
  | 'upgrade-in-progress'
  | 'upgrade-failed'
  | 'upgrade-completed'
  | 'rollback-in-progress'
  | 'rollback-failed'
  /** A rollback requested on an upgrade marks the upgrade failed, so it reads as both. */
  | 'rolled-back'
  | 'rollback-completed'
  /** Idle=False for another reason (e.g. an invalid transition) with no stage under way. */
  | 'stalled';

export interface NextStages {
  readonly beforePivot: readonly Stage[];
  readonly afterPivot: readonly Stage[];
}

const both = (...next: Stage[]): NextStages => ({ beforePivot: next, afterPivot: next });

/**
 * IBU-4: Idle→Prep; Prep→Idle (cancel) or →Upgrade once Prep completed; Upgrade→Idle as cancel
 * only before the pivot, as finalize once completed; Upgrade→Rollback after the pivot;
 * Rollback→Idle once completed. Nothing moves while cleaning up or rolling back, nor after a failed
 * rollback (manual recovery).
 */
export const transitionTable: Readonly<Record<Situation, NextStages>> = {
  new: both('Idle'),
  idle: both('Prep'),
  'becoming-idle': both(),
  'prep-in-progress': both('Idle'),
  'prep-failed': both('Idle'),
  'prep-completed': both('Idle', 'Upgrade'),
  'upgrade-in-progress': { beforePivot: ['Idle'], afterPivot: ['Rollback'] },
  'upgrade-failed': { beforePivot: ['Idle'], afterPivot: ['Rollback'] },
  'upgrade-completed': both('Idle', 'Rollback'),
  'rollback-in-progress': both(),
  'rollback-failed': both(),
  'rolled-back': { beforePivot: ['Idle'], afterPivot: ['Rollback'] },
  'rollback-completed': both('Idle'),
  stalled: both(),
};

export interface PivotState {
  /** The new stateroot is the booted one. */
  readonly afterPivot: boolean;
}

export function situationOf(status: ImageBasedUpgradeStatus | undefined): Situation {
  const conditions: Conditions = status?.conditions;
  const working = inProgressStage(conditions);
  if (working === 'Idle') return 'becoming-idle';
  if (working === 'Rollback') return 'rollback-in-progress';
  if (isStageFailed(conditions, 'Rollback')) return 'rollback-failed';
  if (working === 'Prep') return 'prep-in-progress';
  if (isStageFailed(conditions, 'Prep')) return 'prep-failed';
  if (working === 'Upgrade') return 'upgrade-in-progress';
  if (isStageFailed(conditions, 'Upgrade')) {
    return isStageCompleted(conditions, 'Rollback') ? 'rolled-back' : 'upgrade-failed';
  }
  if (isStageCompleted(conditions, 'Rollback')) return 'rollback-completed';
  if (isStageCompleted(conditions, 'Upgrade')) return 'upgrade-completed';
  if (isStageCompleted(conditions, 'Prep')) return 'prep-completed';
  if (isStageCompleted(conditions, 'Idle')) return 'idle';
  return getCondition(conditions, conditionTypes.idle) === undefined ? 'new' : 'stalled';
}

/** What `status.validNextStages` holds for this status (upstream getValidNextStageList). */
export function validNextStages(status: ImageBasedUpgradeStatus | undefined, pivot: PivotState): Stage[] {
  const next = transitionTable[situationOf(status)];
  return [...(pivot.afterPivot ? next.afterPivot : next.beforePivot)];
}

export function isTransitionAllowed(
  status: ImageBasedUpgradeStatus | undefined,
  to: Stage,
  pivot: PivotState,
): boolean {
  return validNextStages(status, pivot).includes(to);
}

/**
 * Upstream's short message for the InvalidTransition condition (validateStageTransition), which
 * tools and people grep for.
 */
export function invalidTransitionReason(
  status: ImageBasedUpgradeStatus | undefined,
  to: Stage,
  pivot: PivotState,
): string {
  const conditions: Condition[] | undefined = status?.conditions;
  switch (to) {
    case 'Prep':
    case 'Upgrade':
      return 'Previous stage not succeeded';
    case 'Rollback':
      return 'Upgrade not started or already finalized';
    case 'Idle':
      if (isStageFailed(conditions, 'Rollback')) return 'Transition to Idle not allowed - Rollback failed';
      if (pivot.afterPivot) {
        return inProgressStage(conditions) === 'Rollback'
          ? 'Transition to Idle not allowed - Rollback is in progress'
          : 'Transition to Idle not allowed - Rollback first';
      }
      return 'Abort or finalize not allowed';
  }
}

const situationText: Readonly<Record<Situation, string>> = {
  new: 'the ImageBasedUpgrade has no status yet',
  idle: 'Idle',
  'becoming-idle': 'becoming Idle',
  'prep-in-progress': 'Prep is in progress',
  'prep-failed': 'Prep failed',
  'prep-completed': 'Prep completed',
  'upgrade-in-progress': 'Upgrade is in progress',
  'upgrade-failed': 'Upgrade failed',
  'upgrade-completed': 'Upgrade completed',
  'rollback-in-progress': 'Rollback is in progress',
  'rollback-failed': 'Rollback failed',
  'rolled-back': 'Rollback completed',
  'rollback-completed': 'Rollback completed',
  stalled: 'no stage is in progress',
};

/** A readable account of the current state, e.g. "Upgrade is in progress (after the pivot)". */
export function describeSituation(status: ImageBasedUpgradeStatus | undefined, pivot: PivotState): string {
  const situation = situationOf(status);
  if (situation === 'becoming-idle') {
    const reason = getCondition(status?.conditions, conditionTypes.idle)?.reason ?? '';
    return `becoming Idle (${reason})`;
  }
  const text = situationText[situation];
  if (situation === 'upgrade-in-progress' || situation === 'upgrade-failed') {
    return `${text} (${pivot.afterPivot ? 'after' : 'before'} the pivot)`;
  }
  return text;
}

/**
 * Why moving to `to` is refused, naming the current state and the stages that are allowed; undefined
 * when the move is allowed.
 */
export function transitionRefusal(
  status: ImageBasedUpgradeStatus | undefined,
  to: Stage,
  pivot: PivotState,
): string | undefined {
  const allowed = validNextStages(status, pivot);
  if (allowed.includes(to)) return undefined;
  const next = allowed.length === 0 ? 'none' : allowed.join(', ');
  return (
    `${invalidTransitionReason(status, to, pivot)}: cannot move to ${to} while ` +
    `${describeSituation(status, pivot)}; valid next stages: ${next}`
  );
}
