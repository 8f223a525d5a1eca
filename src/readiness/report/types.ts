/**
 * The update-readiness report (UPD-1…UPD-8): what each check found, how bad it is, the evidence and
 * the exact fix. One shape for the table, JSON and Markdown renderers and for the exit code.
 */

/** blocker: the update must not start; warning: it may go wrong; info: worth knowing, or not checked. */
export type Severity = 'blocker' | 'warning' | 'info';

export const severities: readonly Severity[] = ['blocker', 'warning', 'info'];

/** Who sent requests to an API (APIRequestCount), summed over the hours looked at. */
export interface UserEvidence {
  readonly username: string;
  readonly userAgent: string;
  readonly verbs: readonly string[];
  readonly count: number;
}

export interface Evidence {
  /** Objects involved, as `kind/name` or `kind/namespace/name`. */
  readonly objects?: readonly string[];
  readonly users?: readonly UserEvidence[];
  readonly counts?: Readonly<Record<string, number>>;
  readonly details?: readonly string[];
}

export interface Finding {
  /** `<requirement>/<check>`, e.g. `UPD-2/removed-api-usage`. */
  readonly check: string;
  readonly severity: Severity;
  readonly title: string;
  readonly evidence: Evidence;
  /** The exact command to run or action to take. */
  readonly fix: string;
}

export type CheckStatus = 'pass' | 'findings' | 'error';

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly findings: readonly Finding[];
  /** Why the check could not run (status `error`); also stated as a warning finding. */
  readonly error?: string;
}

export interface ReportSummary {
  readonly blockers: number;
  readonly warnings: number;
  readonly infos: number;
}

export interface ReadinessReport {
  /** The API server asked (its URL). */
  readonly cluster: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly checks: readonly CheckResult[];
  readonly summary: ReportSummary;
}

export function summarize(checks: readonly CheckResult[]): ReportSummary {
  const all = checks.flatMap((c) => c.findings);
  const count = (severity: Severity): number => all.filter((f) => f.severity === severity).length;
  return { blockers: count('blocker'), warnings: count('warning'), infos: count('info') };
}
