/**
 * Runs every check at once, each with its own deadline. A check that throws or times out does not
 * sink the report: it becomes a warning ("could not check: …") so the other answers still arrive.
 */
import type { Check, ReadinessContext } from './context.ts';
import { summarize, type CheckResult, type Finding, type ReadinessReport } from './types.ts';

export interface RunOptions {
  /** Per check. */
  readonly timeoutMs?: number;
}

export const defaultCheckTimeoutMs = 30_000;

export class CheckTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`);
    this.name = 'CheckTimeoutError';
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export function couldNotCheck(check: Pick<Check, 'id'>, reason: string): Finding {
  return {
    check: check.id,
    severity: 'warning',
    title: `could not check: ${reason}`,
    evidence: {},
    fix: 'Make the source reachable (see the reason) and run the report again; until then, check this by hand.',
  };
}

export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

export async function runCheck(
  check: Check,
  ctx: ReadinessContext,
  options: RunOptions = {},
): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? defaultCheckTimeoutMs;
  try {
    const findings = await withDeadline(
      Promise.resolve().then(() => check.run(ctx)),
      timeoutMs,
    );
    return {
      id: check.id,
      title: check.title,
      status: findings.length === 0 ? 'pass' : 'findings',
      findings,
    };
  } catch (error) {
    const reason = reasonOf(error);
    return {
      id: check.id,
      title: check.title,
      status: 'error',
      findings: [couldNotCheck(check, reason)],
      error: reason,
    };
  }
}

export function runChecks(
  checks: readonly Check[],
  ctx: ReadinessContext,
  options: RunOptions = {},
): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, ctx, options)));
}

export async function readinessReport(
  checks: readonly Check[],
  ctx: ReadinessContext,
  options: RunOptions = {},
): Promise<ReadinessReport> {
  const results = await runChecks(checks, ctx, options);
  return {
    cluster: ctx.client.server,
    currentVersion: ctx.currentVersion,
    targetVersion: ctx.targetVersion,
    generatedAt: ctx.clock.now().toISOString(),
    checks: results,
    summary: summarize(results),
  };
}
