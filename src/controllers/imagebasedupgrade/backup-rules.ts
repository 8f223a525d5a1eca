/**
 * Seed 000's rules for the application Backups of the OADP content (15.1.2.4).
 *
 * Kinds that are rebuilt by their controllers or served only live must not be backed up: pods,
 * endpoints, controllerrevisions, podmetrics, packagemanifests, replicasets (and localvolumes with
 * the Local Storage Operator) — restored, they would come back stale on the new release.
 *
 * Persistent volumes depend on the one local storage implementation the cluster runs:
 * - Local Storage Operator: LocalVolumes and their StorageClasses are platform artifacts carried
 *   apart from the applications (upstream's agent backs them up itself), so an application Backup
 *   must exclude persistentvolumes;
 * - LVM Storage: the user backs up the LVM artifacts, and an application Backup must include
 *   persistentvolumes (otherwise the PVCs come back unbound).
 */
import type { StorageOperator } from './compatibility.ts';

export interface BackupSelection {
  readonly includedNamespaces?: readonly string[];
  readonly includedResources?: readonly string[];
  readonly excludedResources?: readonly string[];
  readonly includedClusterScopedResources?: readonly string[];
  readonly excludedClusterScopedResources?: readonly string[];
  readonly includedNamespaceScopedResources?: readonly string[];
  readonly excludedNamespaceScopedResources?: readonly string[];
}

export interface OadpBackup {
  /** Where it came from, e.g. `openshift-adp/oadp-cm-example backup_app.yaml`. */
  readonly source: string;
  readonly name: string;
  readonly spec: BackupSelection;
}

const pvs = 'persistentvolumes';
const pvcs = 'persistentvolumeclaims';

const lists = (spec: BackupSelection, ...keys: (keyof BackupSelection)[]): string[] =>
  keys.flatMap((key) => spec[key] ?? []).map((r) => r.toLowerCase());

/** A Backup of namespaced content whose resource lists leave PVCs in (Velero's default is all). */
function backsUpClaims(spec: BackupSelection): boolean {
  if ((spec.includedNamespaces?.length ?? 0) === 0) return false;
  const included = lists(spec, 'includedResources', 'includedNamespaceScopedResources');
  const excluded = lists(spec, 'excludedResources');
  if (excluded.includes(pvcs)) return false;
  return included.length === 0 || included.includes('*') || included.includes(pvcs);
}

function mentions(spec: BackupSelection, which: 'included' | 'excluded'): boolean {
  const names =
    which === 'included'
      ? lists(spec, 'includedResources', 'includedClusterScopedResources')
      : lists(spec, 'excludedResources', 'excludedClusterScopedResources');
  return names.includes(pvs) || names.some((n) => n.startsWith(`${pvs}.`));
}

const neverBackedUp = [
  'pods',
  'endpoints',
  'controllerrevisions',
  'podmetrics',
  'packagemanifests',
  'replicasets',
];

/** The plural of a resource name as a Backup may spell it (`pod`, `Pods`, `pods.v1`, `replicasets.apps`). */
function resourceOf(name: string): string {
  const base = name.toLowerCase().split('.')[0] ?? '';
  return base.endsWith('s') ? base : `${base}s`;
}

/** Every Backup that would carry a kind the seed says to exclude, naming the kinds and the fix. */
export function excludedKindProblems(
  backups: readonly OadpBackup[],
  storage: StorageOperator | undefined,
): string[] {
  const mustExclude =
    storage === 'local-storage-operator' ? [...neverBackedUp, 'localvolumes'] : neverBackedUp;
  const problems: string[] = [];
  for (const { source, name, spec } of backups) {
    if ((spec.includedNamespaces?.length ?? 0) === 0) continue;
    const listed = lists(spec, 'includedResources', 'includedNamespaceScopedResources');
    const everything = listed.length === 0 || listed.includes('*');
    const included = listed.map(resourceOf);
    const excluded = new Set(
      lists(spec, 'excludedResources', 'excludedNamespaceScopedResources').map(resourceOf),
    );
    const carried = mustExclude.filter((r) => !excluded.has(r) && (everything || included.includes(r)));
    if (carried.length === 0) continue;
    problems.push(
      everything
        ? `oadpContent ${source}: Backup ${name} backs up every namespaced resource, so it must list ${carried.join(', ')} in excludedResources (they are rebuilt, not restored)`
        : `oadpContent ${source}: Backup ${name} must not include ${carried.join(', ')} (they are rebuilt, not restored)`,
    );
  }
  return problems;
}

/** Every Backup that breaks the rule of the installed storage operator, with the fix. */
export function storageRuleProblems(
  backups: readonly OadpBackup[],
  storage: StorageOperator | undefined,
): string[] {
  const problems: string[] = [];
  for (const { source, name, spec } of backups) {
    if (!backsUpClaims(spec)) continue;
    if (storage === 'local-storage-operator' && !mentions(spec, 'excluded')) {
      problems.push(
        `oadpContent ${source}: Backup ${name} must exclude persistentvolumes (excludedClusterScopedResources) ` +
          'because the Local Storage Operator provides the volumes: LocalVolumes and their StorageClasses ' +
          'are platform artifacts, not application content',
      );
    }
    if (storage === 'lvms-operator' && !mentions(spec, 'included')) {
      problems.push(
        `oadpContent ${source}: Backup ${name} must include persistentvolumes (includedClusterScopedResources) ` +
          'because LVM Storage provides the volumes; back up the LVM Storage artifacts in a Backup and Restore ' +
          'of their own with a lower apply-wave',
      );
    }
  }
  return problems;
}
