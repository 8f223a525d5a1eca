/**
 * UPD-8: every ClusterOperator, and the ClusterVersion that sums them up, must report
 * Upgradeable=True. Seed 001: a False condition rarely blocks a patch update, but no minor update
 * starts until it clears — so it is a blocker for a minor update and a warning for a patch one.
 */
import type { ClusterOperatorStatusCondition } from '../../api/config/cluster-version.ts';
import { clusterVersionName, conditionTypes } from '../../api/config/constants.ts';
import type { Check } from '../report/context.ts';
import type { Finding, Severity } from '../report/types.ts';
import { types, type ClusterOperator, type ClusterVersion } from './support/kinds.ts';
import { isKnownVersion, isMinorUpdate } from './support/versions.ts';

export const upgradeableId = 'UPD-8/upgradeable';

function notUpgradeable(
  conditions: readonly ClusterOperatorStatusCondition[] | undefined,
): ClusterOperatorStatusCondition | undefined {
  return conditions?.find((c) => c.type === conditionTypes.upgradeable && c.status === 'False');
}

function because(condition: ClusterOperatorStatusCondition): string {
  const reason = condition.reason ?? 'no reason given';
  return condition.message === undefined || condition.message === ''
    ? reason
    : `${reason}: ${condition.message}`;
}

export const upgradeableCheck: Check = {
  id: upgradeableId,
  title: 'Upgradeable condition of ClusterVersion and every ClusterOperator',
  async run(ctx) {
    // An unknown current version is treated as a minor update: the stricter reading.
    const minor = !isKnownVersion(ctx.currentVersion) || isMinorUpdate(ctx.currentVersion, ctx.targetVersion);
    const severity: Severity = minor ? 'blocker' : 'warning';
    const impact = minor
      ? `a minor update (${ctx.currentVersion} → ${ctx.targetVersion}) cannot start until it is True`
      : 'a patch update may still proceed, but resolve it before the next minor update';
    const [operators, version] = await Promise.all([
      ctx.client.list<ClusterOperator>(types.clusterOperator),
      ctx.client.get<ClusterVersion>(types.clusterVersion, clusterVersionName),
    ]);
    const findings: Finding[] = [];
    const cvCondition = notUpgradeable(version?.status?.conditions);
    if (cvCondition !== undefined) {
      findings.push({
        check: upgradeableId,
        severity,
        title: `ClusterVersion ${clusterVersionName} is Upgradeable=False (${cvCondition.reason ?? 'no reason'})`,
        evidence: {
          objects: [`ClusterVersion/${clusterVersionName}`],
          details: [because(cvCondition), impact],
        },
        fix: `Resolve what the condition names (kubectl get clusterversion ${clusterVersionName} -o jsonpath='{.status.conditions[?(@.type=="Upgradeable")].message}'); the other findings of this report often name the cause.`,
      });
    }
    for (const operator of [...operators].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const condition = notUpgradeable(operator.status?.conditions);
      if (condition === undefined) continue;
      const name = operator.metadata.name;
      findings.push({
        check: upgradeableId,
        severity,
        title: `ClusterOperator ${name} is Upgradeable=False (${condition.reason ?? 'no reason'})`,
        evidence: { objects: [`ClusterOperator/${name}`], details: [because(condition), impact] },
        fix: `Resolve the operator's reason (kubectl get clusteroperator ${name} -o yaml) until it reports Upgradeable=True.`,
      });
    }
    return findings;
  },
};
