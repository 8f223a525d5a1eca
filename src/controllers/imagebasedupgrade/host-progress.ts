/**
 * What the effects layer reads from the host for `decide`: the per-stateroot records of
 * docs/ibu-agent.md under /var/lib/lca (prep.json, upgrade.json, ibu.json), which survive the
 * reboots that the IBU status (served from one stateroot's cluster state) does not.
 */
import type { Stage } from '../../api/lca/constants.ts';

export interface StepsRecord {
  /** Names of the steps whose effect is complete, in any order. */
  readonly stepsDone: readonly string[];
}

export interface UpgradeRecord extends StepsRecord {
  /** When the node rebooted into the new stateroot (RFC 3339): starts the init-monitor timer. */
  readonly pivotedAt?: string;
  /** Names of the OADP Backups taken before the pivot. */
  readonly backups?: readonly string[];
}

export interface StepFailure {
  readonly stage: Stage;
  readonly step: string;
  readonly message: string;
}

/**
 * Everything decide needs from the host. The Idle record must outlive `remove-ibu-files` and be
 * cleared once Idle=True is written, or the next cleanup would find its steps already done.
 */
export interface HostProgress {
  readonly prep?: StepsRecord;
  readonly upgrade?: UpgradeRecord;
  readonly rollback?: StepsRecord;
  readonly idle?: StepsRecord;
  /**
   * ibu.json left by the stateroot we came from is present and not yet restored: the object
   * served now is a stale copy, and acting on it could redo work from before the reboot.
   */
  readonly ibuJsonPendingRestore?: boolean;
  /** The failure of the last step run; the effects layer clears it when it runs a step again. */
  readonly failure?: StepFailure;
}
