/**
 * Whether a conditional update's risks apply to this cluster, and the `Recommended` condition the
 * CVO writes on it (pkg/cvo/availableupdates.go, pkg/clusterconditions): same statuses, reasons
 * and messages.
 */
import type { ConditionalUpdateRisk } from '../../api/config/cluster-version.ts';
import { conditionTypes } from '../../api/config/constants.ts';
import type { Condition } from '../../api/kind.ts';

/**
 * Runs one PromQL query against the cluster's monitoring: `matches` when it returns 1, not when it
 * returns 0, an error otherwise. Injected so that readiness stays free of any HTTP client.
 */
export type RiskEvaluator = (promql: string) => Promise<{ matches: boolean } | { error: string }>;

export type RiskResult = 'Applies' | 'DoesNotApply' | 'EvaluationFailed';

export interface RiskAssessment {
  readonly name: string;
  readonly url: string;
  readonly message: string;
  readonly result: RiskResult;
  /** Why it could not be evaluated (EvaluationFailed only). */
  readonly error?: string;
}

/** What an unevaluated PromQL rule reports when no evaluator was given. */
export const noPrometheusError = 'no Prometheus to evaluate the PromQL query against';

/** Each distinct query is run once per evaluator, however many risks and edges share it. */
export function memoizeEvaluator(evaluator: RiskEvaluator): RiskEvaluator {
  const results = new Map<string, ReturnType<RiskEvaluator>>();
  return (promql) => {
    let result = results.get(promql);
    if (result === undefined) {
      result = evaluator(promql);
      results.set(promql, result);
    }
    return result;
  };
}

async function evaluate(
  evaluator: RiskEvaluator,
  promql: string,
): Promise<{ matches: boolean } | { error: string }> {
  try {
    return await evaluator(promql);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Go's utilerrors.NewAggregate formatting: one error as is, several as `[a, b]`. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? (errors[0] ?? '') : `[${errors.join(', ')}]`;
}

/**
 * The condition registry's Match: rules in order, the first that evaluates decides; rules that
 * fail to evaluate fall through to the next; if none evaluates, the errors together.
 */
export async function assessRisk(
  risk: ConditionalUpdateRisk,
  evaluator: RiskEvaluator | undefined,
): Promise<RiskAssessment> {
  const base = { name: risk.name, url: risk.url, message: risk.message };
  const errors: string[] = [];
  for (const rule of risk.matchingRules) {
    if (rule.type === 'Always') return { ...base, result: 'Applies' };
    if (rule.type !== 'PromQL' || rule.promql === undefined) continue;
    if (evaluator === undefined) {
      errors.push(noPrometheusError);
      continue;
    }
    const outcome = await evaluate(evaluator, rule.promql.promql);
    if ('error' in outcome) {
      errors.push(outcome.error);
      continue;
    }
    return { ...base, result: outcome.matches ? 'Applies' : 'DoesNotApply' };
  }
  if (errors.length === 0) return { ...base, result: 'DoesNotApply' };
  return { ...base, result: 'EvaluationFailed', error: aggregate(errors) };
}

export async function assessRisks(
  risks: readonly ConditionalUpdateRisk[],
  evaluator: RiskEvaluator | undefined,
): Promise<RiskAssessment[]> {
  const assessments: RiskAssessment[] = [];
  for (const risk of risks) assessments.push(await assessRisk(risk, evaluator));
  return assessments;
}

export const recommendedReasons = {
  /** The CVO of 4.14–4.16; later releases say NotExposedToRisks. */
  notExposed: 'AsExpected',
  evaluationFailed: 'EvaluationFailed',
  multiple: 'MultipleReasons',
  /** Used instead of a risk name that is not a valid condition reason. */
  exposed: 'ExposedToRisks',
} as const;

export const recommendedMessage =
  'The update is recommended, because none of the conditional update risks apply to this cluster.';

const reasonPattern = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export function unknownExposureMessage(assessment: RiskAssessment): string {
  const { name } = assessment;
  return `Could not evaluate exposure to update risk ${name} (${assessment.error ?? ''})
  ${name} description: ${assessment.message}
  ${name} URL: ${assessment.url}`;
}

type Status = Condition['status'];

function worse(now: Status, want: Status): Status {
  if (now === 'False' || want === 'False') return 'False';
  if (now === 'Unknown' || want === 'Unknown') return 'Unknown';
  return want;
}

function nextReason(now: string, want: string): string {
  if (now === recommendedReasons.notExposed) return want;
  return now === want ? now : recommendedReasons.multiple;
}

/** True only when no risk applies; False when one does; Unknown when one could not be evaluated. */
export function recommendedCondition(
  assessments: readonly RiskAssessment[],
  now: Date = new Date(),
): Condition {
  let status: Status = 'True';
  let reason: string = recommendedReasons.notExposed;
  const messages: string[] = [];
  for (const assessment of assessments) {
    if (assessment.result === 'EvaluationFailed') {
      status = worse(status, 'Unknown');
      reason = nextReason(reason, recommendedReasons.evaluationFailed);
      messages.push(unknownExposureMessage(assessment));
    } else if (assessment.result === 'Applies') {
      status = worse(status, 'False');
      reason = nextReason(
        reason,
        reasonPattern.test(assessment.name) ? assessment.name : recommendedReasons.exposed,
      );
      messages.push(`${assessment.message} ${assessment.url}`);
    }
  }
  return {
    type: conditionTypes.recommended,
    status,
    lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    reason,
    message: messages.length > 0 ? messages.join('\n\n') : recommendedMessage,
  };
}
