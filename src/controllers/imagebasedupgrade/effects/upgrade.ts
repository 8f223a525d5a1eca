/** Upgrade (IBU-6, IBU-7), Rollback (IBU-9) and Idle (IBU-10) steps. */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isAlreadyExists, isNotFound } from '../../../client/errors.ts';
import type { KubeObject, TypeRef } from '../../../client/object.ts';
import {
  readSeedClusterState,
  readSeedImage,
  seedClusterInfoFromDump,
  type ClusterStateDump,
} from '../../../host/seed-image.ts';
import { recertClusterState, type ClusterIdentity } from '../../../host/recert.ts';
import { upgradePrePivotSteps } from '../steps.ts';
import type { UpgradeRecord } from '../host-progress.ts';
import type { UpgradeContext } from '../records.ts';
import {
  byApplyWave,
  done,
  failed,
  forCreate,
  manifestsIn,
  pending,
  types,
  type StepContext,
  type StepResult,
} from './context.ts';
import { seedLayoutDir } from './prep.ts';
import { isAvailable, type BackupObject, type LocationObject } from '../../velero/kinds.ts';
import { annotations, labels, oadpNamespace } from '../../../api/lca/constants.ts';

type VeleroObject = KubeObject & { status?: { phase?: string; failureReason?: string; errors?: number } };

function requireUpgrade(context: StepContext): UpgradeContext {
  if (context.upgrade === undefined)
    throw new Error('no upgrade context on the host: Prep did not complete setup-stateroot');
  return context.upgrade;
}

function typeOf(object: KubeObject): TypeRef {
  return { apiVersion: object.apiVersion ?? '', kind: object.kind ?? '' };
}

/** Creates the object, or updates it in place when it exists (extra manifests are applied, not just created). */
async function apply(context: StepContext, object: KubeObject): Promise<void> {
  const fresh = forCreate(object);
  const namespace = fresh.metadata?.namespace;
  try {
    await context.client.create(fresh);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const current = await context.client.get(
      typeOf(fresh),
      fresh.metadata?.name ?? '',
      namespace ? { namespace } : {},
    );
    await context.client.update({
      ...fresh,
      metadata: { ...fresh.metadata, resourceVersion: current.metadata?.resourceVersion },
    });
  }
}

async function ensureCreated(context: StepContext, object: KubeObject): Promise<void> {
  await context.client.createIfMissing(forCreate(object));
}

async function phases(
  context: StepContext,
  type: TypeRef,
  objects: readonly KubeObject[],
): Promise<VeleroObject[]> {
  return Promise.all(
    objects.map((o) =>
      context.client.get<VeleroObject>(type, o.metadata?.name ?? '', {
        namespace: o.metadata?.namespace ?? oadpNamespace,
      }),
    ),
  );
}

function finished(objects: readonly VeleroObject[]): StepResult | undefined {
  const bad = objects.filter((o) =>
    ['Failed', 'PartiallyFailed', 'FailedValidation'].includes(o.status?.phase ?? ''),
  );
  if (bad.length > 0) {
    return failed(
      bad
        .map(
          (o) =>
            `${o.kind ?? ''} ${o.metadata?.name ?? ''} ended ${o.status?.phase ?? ''}${o.status?.failureReason ? `: ${o.status.failureReason}` : ''}`,
        )
        .join('; '),
    );
  }
  return objects.every((o) => o.status?.phase === 'Completed') ? done : undefined;
}

function withNamespace(object: KubeObject): KubeObject {
  return {
    ...object,
    metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? oadpNamespace },
  };
}

/** IBU-16: objects named by apply-label are labelled and become the Backup's only selection. */
async function applyLabels(
  context: StepContext,
  backup: KubeObject & { spec?: Record<string, unknown> },
): Promise<KubeObject> {
  const list = backup.metadata?.annotations?.[annotations.applyLabel];
  if (list === undefined) return backup;
  const name = backup.metadata?.name ?? '';
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const parts = entry.split('/');
    if (parts.length !== 4 && parts.length !== 5)
      throw new Error(
        `apply-label entry "${entry}" of Backup ${name}: expected group/version/resource/[namespace/]name`,
      );
    const [group, version, resource, a, b] = parts;
    const apiVersion = group === '' ? (version ?? '') : `${group ?? ''}/${version ?? ''}`;
    const discovered = await fetchKind(context, apiVersion, resource ?? '');
    const namespace = parts.length === 5 ? a : undefined;
    const objectName = parts.length === 5 ? (b ?? '') : (a ?? '');
    await context.client.patch(
      { apiVersion, kind: discovered },
      objectName,
      { metadata: { labels: { [labels.backup]: name } } },
      {
        type: 'merge',
        ...(namespace ? { namespace } : {}),
      },
    );
  }
  return {
    ...backup,
    spec: { ...backup.spec, labelSelector: { matchLabels: { [labels.backup]: name } } },
  };
}

async function fetchKind(context: StepContext, apiVersion: string, resource: string): Promise<string> {
  const found = (await context.client.resourcesOf(apiVersion)).find((r) => r.resource === resource);
  if (found === undefined) throw new Error(`apply-label: ${resource} is not served in ${apiVersion}`);
  return found.kind;
}

async function backupApplicationData(context: StepContext): Promise<StepResult> {
  const backups = (await manifestsIn(context.client, context.ibu.spec?.oadpContent ?? []))
    .map((m) => withNamespace(m.object))
    .filter((o) => o.kind === 'Backup');
  for (const backup of backups)
    await ensureCreated(
      context,
      await applyLabels(context, backup as KubeObject & { spec?: Record<string, unknown> }),
    );
  const result = finished(await phases(context, types.backup, backups));
  if (result === undefined) return pending();
  if (result.kind === 'done') {
    const record = (await context.records.read<UpgradeRecord>(context.booted, 'upgrade')) ?? {
      stepsDone: [],
    };
    await context.records.write(context.booted, 'upgrade', {
      ...record,
      backups: backups.map((b) => b.metadata?.name ?? ''),
    });
  }
  return result;
}

async function exportRestores(context: StepContext): Promise<StepResult> {
  const { newStateroot } = requireUpgrade(context);
  const restores = (await manifestsIn(context.client, context.ibu.spec?.oadpContent ?? []))
    .map((m) => withNamespace(m.object))
    .filter((o) => o.kind === 'Restore');
  await context.records.writeFile(newStateroot, 'restores.json', restores);
  return done;
}

async function exportExtraManifests(context: StepContext): Promise<StepResult> {
  const { newStateroot } = requireUpgrade(context);
  const manifests = (await manifestsIn(context.client, context.ibu.spec?.extraManifests ?? [])).map(
    (m) => m.object,
  );
  await context.records.writeFile(newStateroot, 'extra-manifests.json', manifests);
  return done;
}

/** The target's own identity: what recert writes into the seed's state in place of the seed's. */
async function targetIdentity(
  context: StepContext,
  dump: ClusterStateDump,
): Promise<ClusterIdentity & { clusterId: string | null }> {
  const info = seedClusterInfoFromDump(dump, await context.host.facts(), context.host.name);
  return {
    clusterName: info.clusterName ?? context.host.name,
    baseDomain: info.baseDomain ?? 'lab.lcm.io',
    hostname: info.hostname,
    nodeIP: info.nodeIp ?? '192.168.126.10',
    clusterId: info.clusterId,
  };
}

function setClusterId(dump: ClusterStateDump, clusterId: string | null): ClusterStateDump {
  if (clusterId === null) return dump;
  return {
    ...dump,
    items: dump.items.map((item) => {
      if (!item.key.startsWith('config.openshift.io/clusterversions/')) return item;
      const value = item.value as KubeObject & { spec?: Record<string, unknown> };
      return { ...item, value: { ...value, spec: { ...value.spec, clusterID: clusterId } } };
    }),
  };
}

async function writeClusterState(context: StepContext): Promise<StepResult> {
  const { newStateroot, originalStateroot } = requireUpgrade(context);
  const seed = await readSeedImage(seedLayoutDir(context), 'seed');
  const seedState = await readSeedClusterState(seed);
  const current = await context.clusterState.dump(originalStateroot);
  const target = await targetIdentity(context, current);
  const info = seed.record.seedCluster;
  const { dump, summary } = recertClusterState(seedState, {
    clusterName: target.clusterName,
    baseDomain: target.baseDomain,
    hostname: target.hostname,
    nodeIP: target.nodeIP,
    seed: {
      clusterName: info.clusterName ?? info.hostname,
      baseDomain: info.baseDomain ?? 'lab.lcm.io',
      hostname: info.hostname,
      nodeIP: info.nodeIp ?? '192.168.126.10',
    },
    now: context.clock.now(),
  });
  await context.clusterState.replace(newStateroot, setClusterId(dump, target.clusterId));
  await context.records.writeFile(newStateroot, 'recert-summary.json', summary);
  return done;
}

/** The OADP configuration and its credentials are this cluster's, not the seed's: re-applied after the pivot. */
async function copyClusterIdentity(context: StepContext): Promise<StepResult> {
  const { newStateroot } = requireUpgrade(context);
  const artifacts: KubeObject[] = [];
  for (const type of [types.dpa, types.bsl, types.secret]) {
    try {
      const { items } = await context.client.list(type, { namespace: oadpNamespace });
      artifacts.push(...items.map((o) => ({ ...o, apiVersion: type.apiVersion, kind: type.kind })));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  await context.records.writeFile(newStateroot, 'artifacts.json', artifacts);
  return done;
}

async function saveIbu(context: StepContext, into: string): Promise<StepResult> {
  await context.records.write(into, 'ibu', context.ibu);
  if (context.upgrade !== undefined) await context.records.write(into, 'context', context.upgrade);
  return done;
}

async function setDefault(context: StepContext, stateroot: string): Promise<StepResult> {
  const deployment = (await context.host.ostree.status()).find((d) => d.stateroot === stateroot);
  if (deployment === undefined) return failed(`no deployment of stateroot ${stateroot} to boot`);
  await context.host.ostree.setDefault(deployment);
  return done;
}

async function rebootInto(
  context: StepContext,
  stateroot: string,
  reason: string,
  record?: UpgradeRecord,
): Promise<StepResult> {
  if (context.booted === stateroot) return done;
  if (record !== undefined) await context.records.write(stateroot, 'upgrade', record);
  await context.host.reboot(reason);
  return done;
}

async function rebootForUpgrade(context: StepContext): Promise<StepResult> {
  const { newStateroot, seedVersion } = requireUpgrade(context);
  const before = (await context.records.read<UpgradeRecord>(context.booted, 'upgrade')) ?? { stepsDone: [] };
  const record: UpgradeRecord = {
    ...before,
    stepsDone: upgradePrePivotSteps.map((s) => s.name),
    pivotedAt: context.clock.now().toISOString(),
  };
  return rebootInto(context, newStateroot, `upgrade to ${seedVersion}`, record);
}

async function reapplyArtifacts(context: StepContext): Promise<StepResult> {
  const artifacts = (await context.records.readFile<KubeObject[]>(context.booted, 'artifacts.json')) ?? [];
  await ensureCreated(context, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: oadpNamespace } });
  for (const object of artifacts) await ensureCreated(context, object);
  return done;
}

async function applyConfigManifests(context: StepContext): Promise<StepResult> {
  const manifests =
    (await context.records.readFile<KubeObject[]>(context.booted, 'extra-manifests.json')) ?? [];
  for (const wave of byApplyWave(manifests)) for (const object of wave) await apply(context, object);
  return done;
}

/** IBU-15: one apply-wave at a time; cluster-scoped restores carry lower waves by convention. */
async function restoreApplicationData(context: StepContext): Promise<StepResult> {
  const restores = (await context.records.readFile<KubeObject[]>(context.booted, 'restores.json')) ?? [];
  for (const wave of byApplyWave(restores)) {
    // The backups reappear once the reapplied storage location has synced them from object storage.
    for (const restore of wave) {
      const backupName = (restore as KubeObject & { spec?: { backupName?: string } }).spec?.backupName;
      if (backupName === undefined) continue;
      const namespace = restore.metadata?.namespace ?? oadpNamespace;
      let backup: BackupObject;
      try {
        backup = await context.client.get<BackupObject>(types.backup, backupName, { namespace });
      } catch (error) {
        if (isNotFound(error)) return pending();
        throw error;
      }
      // Velero refuses a Restore whose backup's location is not (yet) Available.
      if (!(await locationAvailable(context, namespace, backup.spec?.storageLocation))) return pending();
    }
    for (const restore of wave) await ensureCreated(context, restore);
    const result = finished(await phases(context, types.restore, wave));
    if (result === undefined) return pending();
    if (result.kind === 'failed') return result;
  }
  return done;
}

async function locationAvailable(
  context: StepContext,
  namespace: string,
  name: string | undefined,
): Promise<boolean> {
  if (name === undefined || name === '') return true;
  try {
    return isAvailable(await context.client.get<LocationObject>(types.bsl, name, { namespace }));
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function removeStateroot(context: StepContext, stateroot: string | undefined): Promise<StepResult> {
  if (stateroot === undefined || stateroot === context.booted) return done;
  if ((await context.host.ostree.stateroots()).includes(stateroot))
    await context.host.ostree.removeStateroot(stateroot);
  await context.clusterState.drop(stateroot);
  return done;
}

async function cleanupOadp(context: StepContext): Promise<StepResult> {
  let manifests: KubeObject[] = [];
  try {
    manifests = (await manifestsIn(context.client, context.ibu.spec?.oadpContent ?? [])).map((m) =>
      withNamespace(m.object),
    );
  } catch {
    // the ConfigMaps may be gone already: nothing of ours to find then
  }
  for (const object of manifests) {
    try {
      await context.client.delete(typeOf(object), object.metadata?.name ?? '', {
        namespace: object.metadata?.namespace ?? oadpNamespace,
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return done;
}

async function removeSeedImage(context: StepContext): Promise<StepResult> {
  await rm(seedLayoutDir(context), { recursive: true, force: true });
  await rm(path.join(context.records.dir(context.booted), 'seed'), { recursive: true, force: true });
  return done;
}

async function removeIbuFiles(context: StepContext): Promise<StepResult> {
  await context.records.clear(context.booted, ['idle']);
  return done;
}

export const upgradeStepRunners: Readonly<Record<string, (context: StepContext) => Promise<StepResult>>> = {
  'backup-application-data': backupApplicationData,
  'export-oadp-restores': exportRestores,
  'export-extra-manifests': exportExtraManifests,
  'write-cluster-state': writeClusterState,
  'copy-cluster-identity': copyClusterIdentity,
  'save-ibu': (context) => saveIbu(context, requireUpgrade(context).newStateroot),
  'set-default-deployment': (context) => setDefault(context, requireUpgrade(context).newStateroot),
  reboot: rebootForUpgrade,
  'reapply-cluster-artifacts': reapplyArtifacts,
  'apply-policy-manifests': () => Promise.resolve(done),
  'apply-config-manifests': applyConfigManifests,
  'restore-application-data': restoreApplicationData,
};

export const rollbackStepRunners: Readonly<Record<string, (context: StepContext) => Promise<StepResult>>> = {
  'set-default-deployment': (context) => setDefault(context, requireUpgrade(context).originalStateroot),
  'save-ibu': (context) => saveIbu(context, requireUpgrade(context).originalStateroot),
  reboot: (context) => rebootInto(context, requireUpgrade(context).originalStateroot, 'rollback'),
};

export const idleStepRunners: Readonly<Record<string, (context: StepContext) => Promise<StepResult>>> = {
  'remove-old-stateroot': (context) => removeStateroot(context, context.upgrade?.originalStateroot),
  'remove-new-stateroot': (context) => removeStateroot(context, context.upgrade?.newStateroot),
  'cleanup-oadp': cleanupOadp,
  'remove-seed-image': removeSeedImage,
  'remove-ibu-files': removeIbuFiles,
};

/** IBU-8: back to the original stateroot at once, with the status decide wrote, outside the Rollback stage. */
export async function rollBackNow(context: StepContext): Promise<void> {
  const upgrade = requireUpgrade(context);
  await setDefault(context, upgrade.originalStateroot);
  await context.records.write(upgrade.originalStateroot, 'ibu', context.ibu);
  await context.records.write(upgrade.originalStateroot, 'context', upgrade);
  await rebootInto(context, upgrade.originalStateroot, 'automatic rollback');
}
