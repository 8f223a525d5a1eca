/**
 * How a conditional-update risk's `type: PromQL` matching rule is judged, after the CVO's
 * pkg/clusterconditions/promql (openshift/cluster-version-operator): the query must yield an instant
 * vector of exactly one sample whose value is 1 (the risk applies) or 0 (it does not). Any other
 * result is an evaluation error, never a silent "does not apply", because a risk that cannot be
 * evaluated must make the update conditional. The error texts follow upstream's.
 */
import type { QueryResult } from './client.ts';

export type RiskEvaluation = { readonly matches: boolean } | { readonly error: string };

export function classifyRiskResult(result: QueryResult): RiskEvaluation {
  if (result.resultType !== 'vector') {
    return { error: `invalid PromQL result type is ${result.resultType}, not vector` };
  }
  if (result.samples.length !== 1) {
    return { error: `invalid PromQL result length must be one, but is ${result.samples.length}` };
  }
  const value = result.samples[0]?.value;
  if (value === 1) return { matches: true };
  if (value === 0) return { matches: false };
  return { error: `invalid PromQL result (must be 0 or 1): ${String(value)}` };
}
