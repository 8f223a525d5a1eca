/**
 * Automatic rollback (IBU-8), as upstream lifecycle-agent does it: the init monitor started at the
 * pivot rolls back an upgrade not completed in time, and a failed post-pivot step rolls back when
 * autoRollbackOnFailure is set. Either can be turned off by its annotation.
 */
import { annotations, defaultInitMonitorTimeoutSeconds, disabledValue } from '../../api/lca/constants.ts';
import type { ImageBasedUpgrade } from '../../api/lca/image-based-upgrade.ts';
import type { HostProgress, StepFailure } from './host-progress.ts';

export interface InitMonitor {
  readonly seconds: number;
  /** Time left before the rollback; zero or less: due. */
  readonly remainingMs: number;
}

/** Seed 000: unset or 0 means 1800 seconds. */
export function initMonitorTimeoutSeconds(ibu: ImageBasedUpgrade): number {
  const configured = ibu.spec?.autoRollbackOnFailure?.initMonitorTimeoutSeconds ?? 0;
  return configured > 0 ? configured : defaultInitMonitorTimeoutSeconds;
}

/** Go's time.Duration String() for whole seconds, as upstream prints the timeout. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Marks an automatic rollback in the UpgradeInProgress message, so it is re-issued after a crash. */
export const autoRollbackPrefix = 'Rollback due to ';

export const initMonitorTimeoutPrefix = `${autoRollbackPrefix}LCA Init Monitor timeout`;

/** Upstream lca-init-monitor's words. */
export function timeoutRollbackMessage(seconds: number): string {
  return `${initMonitorTimeoutPrefix}, after ${goDuration(seconds)}`;
}

export function failureRollbackMessage(failure: StepFailure): string {
  return `${autoRollbackPrefix}${failure.step} failure: ${failure.message}`;
}

function isDisabled(ibu: ImageBasedUpgrade, annotation: string): boolean {
  return ibu.metadata?.annotations?.[annotation] === disabledValue;
}

/** IBU-8: a failed post-pivot step rolls back only when autoRollbackOnFailure is set. */
export function rollbackOnFailureEnabled(ibu: ImageBasedUpgrade): boolean {
  return (
    ibu.spec?.autoRollbackOnFailure !== undefined &&
    !isDisabled(ibu, annotations.autoRollbackUpgradeCompletion)
  );
}

/**
 * The init monitor (IBU-8): armed at the pivot unless disabled by annotation, whatever
 * autoRollbackOnFailure says, as upstream's lca-init-monitor. Unknown without a pivot time.
 */
export function initMonitor(
  ibu: ImageBasedUpgrade,
  progress: HostProgress,
  now: Date,
): InitMonitor | undefined {
  if (isDisabled(ibu, annotations.autoRollbackInitMonitor)) return undefined;
  const pivotedAt = Date.parse(progress.upgrade?.pivotedAt ?? '');
  if (Number.isNaN(pivotedAt)) return undefined;
  const seconds = initMonitorTimeoutSeconds(ibu);
  return { seconds, remainingMs: pivotedAt + seconds * 1000 - now.getTime() };
}
