/**
 * Seed 000's rules for persistent volumes in the OADP content, which depend on the one local
 * storage implementation the cluster runs:
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
