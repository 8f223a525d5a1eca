/**
 * UPD-6 / UPD-8: is the target one the update service recommends? Read from ClusterVersion's
 * availableUpdates and conditionalUpdates (the CVO's copy of the OSUS answer), or from an update
 * graph when one is given. A conditional update is a warning carrying its risks — seed 001: unless
 * there is a specific need (a CVE), wait for a recommended path.
 */
import type { ConditionalUpdate } from '../../api/config/cluster-version.ts';
import { clusterVersionName, conditionTypes } from '../../api/config/constants.ts';
import { assessRisks } from '../graph/risks.ts';
import type { Check, ReadinessContext, RiskSummary } from '../report/context.ts';
import type { Finding } from '../report/types.ts';
import { types, type ClusterVersion } from './support/kinds.ts';

export const recommendedTargetId = 'UPD-6/recommended-target';

const listAvailable = `kubectl get clusterversion ${clusterVersionName} -o jsonpath='{.status.availableUpdates[*].version}'`;

/** `4.14` asks for any 4.14.z; `4.14.3` for exactly that release. */
function matchesTarget(version: string | undefined, target: string): boolean {
  if (version === undefined) return false;
  return version === target || (target.split('.').length === 2 && version.startsWith(`${target}.`));
}

function riskLines(risks: readonly RiskSummary[]): string[] {
  return risks.map(
    (r) => `${r.name}${r.verdict !== undefined ? ` [${r.verdict}]` : ''}: ${r.message} (${r.url})`,
  );
}

const conditionalFix = (target: string): string =>
  `Prefer a recommended target (${listAvailable}). If ${target} is needed (e.g. for a CVE fix): read each risk's URL, test the update on a non-production cluster first, then accept the risks explicitly (oc adm upgrade --allow-not-recommended --to ${target}).`;

function conditionalFinding(target: string, risks: readonly RiskSummary[], why: string): Finding {
  return {
    check: recommendedTargetId,
    severity: 'warning',
    title: `${target} is a conditional update: known risks ${why}`,
    evidence: { details: riskLines(risks) },
    fix: conditionalFix(target),
  };
}

async function judgeConditional(update: ConditionalUpdate, ctx: ReadinessContext): Promise<Finding[]> {
  const target = update.release.version;
  if (ctx.riskEvaluator !== undefined) {
    const assessed = await assessRisks(update.risks, ctx.riskEvaluator);
    const applying = assessed.filter((a) => a.result !== 'DoesNotApply');
    if (applying.length === 0) return [];
    const risks = applying.map((a) => ({
      name: a.name,
      url: a.url,
      message: a.message,
      verdict: a.error === undefined ? a.result : `${a.result}: ${a.error}`,
    }));
    return [conditionalFinding(target, risks, 'apply to this cluster or cannot be evaluated')];
  }
  const recommended = update.conditions?.find((c) => c.type === conditionTypes.recommended);
  if (recommended?.status === 'True') return [];
  const why =
    recommended === undefined
      ? 'have not been evaluated by the Cluster Version Operator yet'
      : `apply to this cluster (${recommended.reason}: ${recommended.message})`;
  return [conditionalFinding(target, update.risks, why)];
}

async function fromGraph(ctx: ReadinessContext, current: string, note: string): Promise<Finding[]> {
  const recommender = ctx.recommender;
  if (recommender === undefined) return [];
  const answer = await recommender.recommend(current, ctx.targetVersion);
  switch (answer.kind) {
    case 'recommended':
      return [];
    case 'conditional':
      return [
        conditionalFinding(ctx.targetVersion, answer.risks, `in the update graph ${recommender.source}`),
      ];
    case 'not-recommended':
      return [
        {
          check: recommendedTargetId,
          severity: 'warning',
          title: `${ctx.targetVersion} is not a recommended update from ${current} in ${recommender.source}`,
          evidence: { details: [answer.reason, note] },
          fix: `Choose a target the update graph recommends (${listAvailable}), or an intermediate release that leads to ${ctx.targetVersion}.`,
        },
      ];
  }
}

export const recommendedTargetCheck: Check = {
  id: recommendedTargetId,
  title: 'Target is an update the OpenShift Update Service recommends',
  async run(ctx) {
    const cv = await ctx.client.get<ClusterVersion>(types.clusterVersion, clusterVersionName);
    const status = cv?.status;
    const recommended = status?.availableUpdates ?? [];
    if (recommended.some((r) => matchesTarget(r.version, ctx.targetVersion))) return [];
    const conditional = (status?.conditionalUpdates ?? []).filter((u) =>
      matchesTarget(u.release.version, ctx.targetVersion),
    );
    if (conditional.length > 0)
      return (await Promise.all(conditional.map((u) => judgeConditional(u, ctx)))).flat();

    const retrieved = status?.conditions?.find((c) => c.type === conditionTypes.retrievedUpdates);
    const channel = cv?.spec?.channel ?? '';
    const known = recommended.map((r) => r.version).join(', ');
    const note =
      cv === undefined
        ? 'The cluster has no ClusterVersion.'
        : retrieved?.status === 'True'
          ? `Recommended from channel ${channel === '' ? '(none)' : channel}: ${known === '' ? 'none' : known}.`
          : `ClusterVersion has no update recommendations (RetrievedUpdates=${retrieved?.status ?? 'unset'}${retrieved?.reason ? `, ${retrieved.reason}` : ''}).`;
    if (ctx.recommender !== undefined) return fromGraph(ctx, ctx.currentVersion, note);
    if (cv === undefined || retrieved?.status !== 'True') {
      const why = ctx.unavailableSources?.graph;
      return [
        {
          check: recommendedTargetId,
          severity: 'info',
          title: `not checked: ${why ?? 'the cluster has no update recommendations and no update graph was given (--graph)'}`,
          evidence: { details: [note] },
          fix: `Pass --graph <file|url> (an OSUS graph), or set a channel and upstream on ClusterVersion (kubectl patch clusterversion ${clusterVersionName} --type=merge --patch '{"spec":{"channel":"stable-${ctx.targetVersion.split('.').slice(0, 2).join('.')}"}}').`,
        },
      ];
    }
    return [
      {
        check: recommendedTargetId,
        severity: 'warning',
        title: `${ctx.targetVersion} is not among the updates recommended for this cluster`,
        evidence: { objects: [`ClusterVersion/${clusterVersionName}`], details: [note] },
        fix: `Choose a recommended target (${listAvailable}); an update outside the recommended paths is not protected from known issues.`,
      },
    ];
  },
};
