/**
 * Whether the cluster may take a minor update, as the 4.14 Cluster Version Operator decides it
 * (pkg/cvo/upgradeable.go): unmanaged overrides, unacknowledged admin gates and ClusterOperators
 * reporting Upgradeable=False each fail a check; one failure becomes `Upgradeable=False` with its
 * reason, several add one `Upgradeable<Check>` condition each plus `Upgradeable` MultipleReasons,
 * none leaves no Upgradeable condition at all.
 */
import type { ClusterOperatorStatusCondition } from '../../api/config/cluster-version.ts';
import { adminAcks, adminGates, conditionTypes } from '../../api/config/constants.ts';
import { effectiveMinor } from './versions.ts';

export type ConfigMapData = Readonly<Record<string, string>>;

export interface OperatorUpgradeability {
  readonly name: string;
  readonly conditions?: readonly ClusterOperatorStatusCondition[];
}

export interface UpgradeableInput {
  /** The current version (the newest Completed history entry); '' before any history exists. */
  readonly currentVersion: string;
  readonly overrides?: readonly { readonly unmanaged: boolean }[];
  /** `admin-gates` in openshift-config-managed; undefined when the ConfigMap does not exist. */
  readonly adminGates: ConfigMapData | undefined;
  /** `admin-acks` in openshift-config; undefined when the ConfigMap does not exist. */
  readonly adminAcks: ConfigMapData | undefined;
  readonly clusterOperators: readonly OperatorUpgradeability[];
}

/** A failed check: its condition type (`Upgradeable<Check>`), reason and message. */
export interface FailedCheck {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

export const upgradeableCheckTypes = {
  overrides: 'UpgradeableClusterVersionOverrides',
  adminAcks: 'UpgradeableAdminAckRequired',
  clusterOperators: 'UpgradeableClusterOperators',
} as const;

export const upgradeableReasons = {
  overridesSet: 'ClusterVersionOverridesSet',
  adminAckRequired: 'AdminAckRequired',
  gateNameError: 'AdminAckConfigMapGateNameError',
  gateValueError: 'AdminAckConfigMapGateValueError',
  noAdminGates: 'UnableToAccessAdminGatesConfigMap',
  noAdminAcks: 'UnableToAccessAdminAcksConfigMap',
  clusterOperatorsNotUpgradeable: 'ClusterOperatorsNotUpgradeable',
  multipleReasons: 'MultipleReasons',
} as const;

export const overridesMessage =
  'Disabling ownership via cluster version overrides prevents upgrades. Please remove overrides before continuing.';

/** Upstream's gate-name format: the acknowledged minor follows `ack-`. */
export const adminAckGateFormat = '^ack-[4-5][.]([0-9]{1,})-[^-]';
const adminAckGatePattern = new RegExp(adminAckGateFormat);

export function overridesCheck(overrides: UpgradeableInput['overrides']): FailedCheck | undefined {
  if (!(overrides ?? []).some((o) => o.unmanaged)) return undefined;
  return {
    type: upgradeableCheckTypes.overrides,
    reason: upgradeableReasons.overridesSet,
    message: overridesMessage,
  };
}

type GateVerdict = { readonly reason: string; readonly message: string } | undefined;

/** One gate: undefined when it does not apply to `currentVersion` or is acknowledged. */
export function checkAdminGate(
  name: string,
  description: string,
  currentVersion: string,
  acks: ConfigMapData,
): GateVerdict {
  const match = adminAckGatePattern.exec(name);
  if (match === null) {
    return {
      reason: upgradeableReasons.gateNameError,
      message: `${adminGates.name} configmap gate name ${name} has invalid format; must comply with ${JSON.stringify(adminAckGateFormat)}.`,
    };
  }
  const ackedMinor = effectiveMinor(match[0].split('-')[1] ?? '');
  if (ackedMinor !== effectiveMinor(currentVersion)) return undefined;
  if (description === '') {
    return {
      reason: upgradeableReasons.gateValueError,
      message: `${adminGates.name} configmap gate ${name} must contain a non-empty value.`,
    };
  }
  if (acks[name] !== 'true') return { reason: upgradeableReasons.adminAckRequired, message: description };
  return undefined;
}

export function adminAcksCheck(input: UpgradeableInput): FailedCheck | undefined {
  const type = upgradeableCheckTypes.adminAcks;
  // Early in an install there is no history yet, hence nothing to gate.
  if (input.currentVersion === '') return undefined;
  if (input.adminGates === undefined) {
    return {
      type,
      reason: upgradeableReasons.noAdminGates,
      message: `${adminGates.name} configmap not found.`,
    };
  }
  if (input.adminAcks === undefined) {
    return {
      type,
      reason: upgradeableReasons.noAdminAcks,
      message: `${adminAcks.name} configmap not found.`,
    };
  }
  const byReason = new Map<string, string[]>();
  for (const [name, description] of Object.entries(input.adminGates)) {
    const verdict = checkAdminGate(name, description, input.currentVersion, input.adminAcks);
    if (verdict === undefined) continue;
    byReason.set(verdict.reason, [...(byReason.get(verdict.reason) ?? []), verdict.message]);
  }
  const groups = [...byReason.entries()].map(([reason, messages]) => ({
    reason,
    message: [...messages].sort().join(' '),
  }));
  const [only] = groups;
  if (only === undefined) return undefined;
  if (groups.length === 1) return { type, reason: only.reason, message: only.message };
  return {
    type,
    reason: upgradeableReasons.multipleReasons,
    message: groups
      .map((g) => g.message)
      .sort()
      .join(' '),
  };
}

export function clusterOperatorsCheck(operators: readonly OperatorUpgradeability[]): FailedCheck | undefined {
  const notUpgradeable = [...operators]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((operator) => {
      const condition = operator.conditions?.find((c) => c.type === conditionTypes.upgradeable);
      return condition?.status === 'False' ? [{ name: operator.name, condition }] : [];
    });
  const [first] = notUpgradeable;
  if (first === undefined) return undefined;
  const type = upgradeableCheckTypes.clusterOperators;
  if (notUpgradeable.length === 1) {
    return {
      type,
      reason: first.condition.reason ?? '',
      message: `Cluster operator ${first.name} should not be upgraded between minor versions: ${first.condition.message ?? ''}`,
    };
  }
  const lines = notUpgradeable.map(
    ({ name, condition }) =>
      `Cluster operator ${name} should not be upgraded between minor versions: ${condition.reason ?? ''}: ${condition.message ?? ''}`,
  );
  return {
    type,
    reason: upgradeableReasons.clusterOperatorsNotUpgradeable,
    message: `Multiple cluster operators should not be upgraded between minor versions:\n* ${lines.join('\n* ')}`,
  };
}

/** The failed checks in upstream's order (overrides, admin acks, cluster operators). */
export function failedUpgradeableChecks(input: UpgradeableInput): FailedCheck[] {
  return [
    overridesCheck(input.overrides),
    adminAcksCheck(input),
    clusterOperatorsCheck(input.clusterOperators),
  ].filter((check): check is FailedCheck => check !== undefined);
}

export interface UpgradeableCondition {
  readonly type: string;
  readonly status: 'False';
  readonly reason: string;
  readonly message: string;
}

/** The Upgradeable* conditions the failed checks add, sorted by type; none when all pass. */
export function upgradeableConditions(failed: readonly FailedCheck[]): UpgradeableCondition[] {
  const [only] = failed;
  if (only === undefined) return [];
  const upgradeable = conditionTypes.upgradeable;
  if (failed.length === 1)
    return [{ type: upgradeable, status: 'False', reason: only.reason, message: only.message }];
  const conditions: UpgradeableCondition[] = failed.map((f) => ({ ...f, status: 'False' }));
  conditions.push({
    type: upgradeable,
    status: 'False',
    reason: upgradeableReasons.multipleReasons,
    message: `Cluster should not be upgraded between minor versions for multiple reasons: ${failed
      .map((f) => f.reason)
      .join(',')}\n* ${failed.map((f) => f.message).join('\n* ')}`,
  });
  return conditions.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
