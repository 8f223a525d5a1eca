/**
 * A Recommender over an update graph (`--graph`): current → target is recommended when the graph's
 * recommended path is that one update; a conditional update whose risks apply (or cannot be
 * evaluated) is conditional; anything else — no edge, or a path through other releases — is not.
 */
import type { UpdateGraph } from '../../graph/graph.ts';
import { recommendedPath } from '../../graph/path.ts';
import type { RiskEvaluator } from '../../graph/risks.ts';
import type { Recommendation, Recommender } from '../../report/context.ts';

export function graphRecommender(graph: UpdateGraph, source: string, evaluator?: RiskEvaluator): Recommender {
  return {
    source,
    async recommend(from: string, to: string): Promise<Recommendation> {
      const result = await recommendedPath(graph, {
        from,
        to,
        ...(evaluator !== undefined ? { evaluator } : {}),
      });
      if (result.found && result.hops.length === 1) return { kind: 'recommended' };
      const direct = result.avoided.find((edge) => edge.from === from && edge.to === to);
      if (direct !== undefined) {
        return {
          kind: 'conditional',
          risks: direct.risks
            .filter((r) => r.result !== 'DoesNotApply')
            .map((r) => ({
              name: r.name,
              url: r.url,
              message: r.message,
              verdict: r.error === undefined ? r.result : `${r.result}: ${r.error}`,
            })),
        };
      }
      if (result.found) {
        const path = [from, ...result.hops.map((h) => h.to)].join(' → ');
        return {
          kind: 'not-recommended',
          reason: `there is no direct recommended update; the recommended path is ${path}`,
        };
      }
      return {
        kind: 'not-recommended',
        reason: result.unreachable?.message ?? `no recommended path from ${from} to ${to}`,
      };
    },
  };
}
