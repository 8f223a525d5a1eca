/**
 * The work of each stage as an ordered list of idempotent steps (docs/ibu-agent.md). The effects
 * layer runs one step per reconcile and records it as done on the host; `decide` picks the first
 * step not done, so a step killed half-way is simply run again.
 */
import type { Stage } from '../../api/lca/constants.ts';

/**
 * Where a step runs relative to the reboot its stage makes: Upgrade reboots into the new stateroot
 * after its pre-pivot steps; Rollback's steps all run before it reboots back; Prep and Idle never
 * reboot.
 */
export type PivotSide = 'pre-pivot' | 'post-pivot' | 'no-pivot';

export interface Step {
  readonly name: string;
  /** Shown as the in-progress condition message while the step runs. */
  readonly description: string;
  readonly side: PivotSide;
}

function step<const N extends string>(side: PivotSide, name: N, description: string) {
  return { name, description, side } as const;
}

/** IBU-5: nothing here touches the running release. */
export const prepSteps = [
  step('no-pivot', 'validate-spec', 'Validating the seed image reference, oadpContent and extraManifests'),
  step('no-pivot', 'pull-seed-image', 'Pulling the seed image'),
  step('no-pivot', 'check-compatibility', 'Checking that the seed is compatible with this cluster'),
  step('no-pivot', 'clean-container-storage', 'Freeing container storage by removing unpinned images'),
  step('no-pivot', 'pull-seed-images', 'Pulling the container images the seed lists'),
  step('no-pivot', 'setup-stateroot', 'Setting up the new stateroot'),
] as const;

/** IBU-6; the messages of the first steps are upstream's. */
export const upgradePrePivotSteps = [
  step('pre-pivot', 'backup-application-data', 'Backing up Application Data'),
  step('pre-pivot', 'export-oadp-restores', 'Exporting Application Configuration'),
  step('pre-pivot', 'export-extra-manifests', 'Exporting Policy and Config Manifests'),
  step('pre-pivot', 'write-cluster-state', 'Writing the new stateroot cluster state with fresh certificates'),
  step('pre-pivot', 'copy-cluster-identity', 'Copying the cluster identity into the new stateroot'),
  step('pre-pivot', 'save-ibu', 'Saving the ImageBasedUpgrade into the new stateroot'),
  step('pre-pivot', 'set-default-deployment', 'Making the new stateroot the default boot entry'),
  step('pre-pivot', 'reboot', 'Rebooting into the new stateroot'),
] as const;

/** IBU-7: extra manifests go on before the application restores. */
export const upgradePostPivotSteps = [
  step('post-pivot', 'reapply-cluster-artifacts', 'Re-applying the saved cluster artifacts'),
  step('post-pivot', 'apply-policy-manifests', 'Applying Policy Manifests'),
  step('post-pivot', 'apply-config-manifests', 'Applying Config Manifests'),
  step('post-pivot', 'restore-application-data', 'Restoring Application Data'),
] as const;

export const upgradeSteps = [...upgradePrePivotSteps, ...upgradePostPivotSteps] as const;

/** IBU-9: run in the new stateroot; booting back into the original completes the rollback. */
export const rollbackSteps = [
  step('pre-pivot', 'set-default-deployment', 'Initiating rollback'),
  step('pre-pivot', 'save-ibu', 'Completing rollback'),
  step('pre-pivot', 'reboot', 'Rebooting into the original stateroot'),
] as const;

/** IBU-10: after a finalized upgrade the release left behind goes. */
export const finalizeUpgradeSteps = [
  step('no-pivot', 'remove-old-stateroot', 'Removing the original stateroot'),
  step('no-pivot', 'cleanup-oadp', 'Removing the OADP backups and restores of the upgrade'),
  step('no-pivot', 'remove-ibu-files', 'Removing the upgrade work files'),
] as const;

/**
 * After a cancel (before the pivot) or a rollback: the new stateroot and the Prep leftovers go;
 * removing the new deployment leaves the original the default boot entry again.
 */
export const abortSteps = [
  step('no-pivot', 'remove-new-stateroot', 'Removing the new stateroot'),
  step('no-pivot', 'remove-seed-image', 'Removing the pulled seed image'),
  step('no-pivot', 'cleanup-oadp', 'Removing the OADP backups and restores of the upgrade'),
  step('no-pivot', 'remove-ibu-files', 'Removing the upgrade work files'),
] as const;

export const finalizeRollbackSteps = abortSteps;

export type PrepStep = (typeof prepSteps)[number]['name'];
export type UpgradeStep = (typeof upgradeSteps)[number]['name'];
export type RollbackStep = (typeof rollbackSteps)[number]['name'];
export type IdleStep = (typeof abortSteps)[number]['name'] | (typeof finalizeUpgradeSteps)[number]['name'];

/** Every step a stage can run, in order (Idle's depend on what is being cleaned up). */
export const stepsOfStage: Readonly<Record<Exclude<Stage, 'Idle'>, readonly Step[]>> = {
  Prep: prepSteps,
  Upgrade: upgradeSteps,
  Rollback: rollbackSteps,
};

/** The first step of `list` not in `done`: done steps are skipped, a half-done one is re-run. */
export function nextStep(list: readonly Step[], done: readonly string[]): Step | undefined {
  return list.find((step) => !done.includes(step.name));
}

export function findStep(list: readonly Step[], name: string): Step | undefined {
  return list.find((step) => step.name === name);
}
