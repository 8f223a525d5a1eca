/**
 * The checks the Cluster Version Operator runs before it accepts a new release
 * (pkg/payload/precondition): ClusterVersionRollback and ClusterVersionUpgradeable block,
 * ClusterVersionRecommendedUpdate only warns. `force` turns blocking failures into accepted risks.
 */
import type {
  ClusterOperatorStatusCondition,
  ConditionalUpdate,
  Release,
} from '../../api/config/cluster-version.ts';
import { conditionTypes } from '../../api/config/constants.ts';
import { overridesCheck, type UpgradeableInput } from './upgradeable.ts';
import {
  compareSemVer,
  currentVersion,
  isMinorUpdate,
  parseSemVer,
  type HistoryVersion,
} from './versions.ts';

export interface PreconditionFailure {
  readonly name: string;
  readonly reason: string;
  readonly message: string;
  /** Reported, but never blocks the update. */
  readonly warning?: boolean;
}

export interface PreconditionInput {
  /** The version of the release asked for. */
  readonly desiredVersion: string;
  /** status.desired.version: the release the cluster runs or is updating to. */
  readonly currentTarget: string;
  readonly history: readonly HistoryVersion[];
  /** The cluster's conditions as just computed (Upgradeable, RetrievedUpdates). */
  readonly conditions: readonly ClusterOperatorStatusCondition[];
  readonly overrides: UpgradeableInput['overrides'];
  readonly channel: string | undefined;
  readonly availableUpdates: readonly Release[];
  readonly conditionalUpdates: readonly ConditionalUpdate[];
}

export const preconditionNames = {
  rollback: 'ClusterVersionRollback',
  upgradeable: 'ClusterVersionUpgradeable',
  recommendedUpdate: 'ClusterVersionRecommendedUpdate',
} as const;

export function rollbackPrecondition(input: PreconditionInput): PreconditionFailure | undefined {
  const name = preconditionNames.rollback;
  const current = parseSemVer(input.currentTarget);
  if (typeof current === 'string') return { name, reason: 'InvalidCurrentVersion', message: current };
  const target = parseSemVer(input.desiredVersion);
  if (typeof target === 'string') return { name, reason: 'InvalidDesiredVersion', message: target };
  if (compareSemVer(target, current) >= 0) return undefined;
  return {
    name,
    reason: 'LowDesiredVersion',
    message: `${input.desiredVersion} is less than the current target ${input.currentTarget}, but rollbacks and downgrades are not recommended`,
  };
}

export function upgradeablePrecondition(input: PreconditionInput): PreconditionFailure | undefined {
  const name = preconditionNames.upgradeable;
  const up = input.conditions.find((c) => c.type === conditionTypes.upgradeable);
  if (up === undefined || up.status !== 'False') return undefined;
  // A cluster with no version installed yet may take any release.
  if (input.history.length === 0) return undefined;
  if (!isMinorUpdate(currentVersion(input.history), input.desiredVersion)) {
    const overrides = overridesCheck(input.overrides);
    return overrides === undefined
      ? undefined
      : { name, reason: overrides.reason, message: overrides.message };
  }
  return { name, reason: up.reason ?? '', message: up.message ?? '' };
}

export function recommendedUpdatePrecondition(input: PreconditionInput): PreconditionFailure | undefined {
  const name = preconditionNames.recommendedUpdate;
  const from = input.currentTarget;
  const to = input.desiredVersion;
  if (input.availableUpdates.some((r) => r.version === to)) return undefined;
  const conditional = input.conditionalUpdates.find((u) => u.release.version === to);
  if (conditional !== undefined) {
    const recommended = conditional.conditions?.find((c) => c.type === conditionTypes.recommended);
    if (recommended === undefined) {
      return {
        name,
        reason: 'UnknownConditionType',
        message: `Update from ${from} to ${to} has a status.conditionalUpdates entry, but no Recommended condition.`,
        warning: true,
      };
    }
    if (recommended.status === 'True') return undefined;
    if (recommended.status === 'False') {
      return {
        name,
        reason: recommended.reason,
        message: `Update from ${from} to ${to} is not recommended:\n\n${recommended.message}`,
        warning: true,
      };
    }
    return {
      name,
      reason: recommended.reason,
      message: `Update from ${from} to ${to} is ${recommended.type}=${recommended.status}: ${recommended.reason}: ${recommended.message}`,
      warning: true,
    };
  }
  if ((input.channel ?? '') === '') {
    return {
      name,
      reason: 'NoChannel',
      message: `Configured channel is unset, so the recommended status of updating from ${from} to ${to} is unknown.`,
      warning: true,
    };
  }
  const retrieved = input.conditions.find((c) => c.type === conditionTypes.retrievedUpdates);
  const message =
    retrieved === undefined
      ? `No ${conditionTypes.retrievedUpdates}, so the recommended status of updating from ${from} to ${to} is unknown.`
      : retrieved.status === 'True'
        ? `${retrieved.type}=${retrieved.status} (${retrieved.reason ?? ''}), so the update from ${from} to ${to} is probably neither recommended nor supported.`
        : `${retrieved.type}=${retrieved.status} (${retrieved.reason ?? ''}), so the recommended status of updating from ${from} to ${to} is unknown.`;
  return { name, reason: 'UnknownUpdate', message, warning: true };
}

/** Every precondition, in upstream's order; the failures. */
export function runPreconditions(input: PreconditionInput): PreconditionFailure[] {
  return [
    rollbackPrecondition(input),
    upgradeablePrecondition(input),
    recommendedUpdatePrecondition(input),
  ].filter((f): f is PreconditionFailure => f !== undefined);
}

export interface PreconditionSummary {
  readonly blocking: boolean;
  readonly message: string;
}

/** precondition.Summarize: one message for all failures; forced blocking failures become warnings. */
export function summarizePreconditions(
  failures: readonly PreconditionFailure[],
  force: boolean,
): PreconditionSummary | undefined {
  if (failures.length === 0) return undefined;
  const messages = failures.map(
    (f) =>
      `Precondition ${JSON.stringify(f.name)} failed because of ${JSON.stringify(f.reason)}: ${f.message}`,
  );
  let message =
    messages.length === 1
      ? (messages[0] as string)
      : `Multiple precondition checks failed:\n* ${messages.join('\n* ')}`;
  let blocking = failures.some((f) => f.warning !== true);
  if (force && blocking) {
    message = `Forced through blocking failures: ${message}`;
    blocking = false;
  }
  return { blocking, message };
}
