/** Prep (IBU-5): everything here leaves the running release untouched. */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import { parseImageReference } from '../../../host/oci/reference.ts';
import { pullToLayout } from '../../../host/oci/transfer.ts';
import { extractSeedLayer, readSeedImage, readSeedImageList } from '../../../host/seed-image.ts';
import { compatibilityProblems, storageOperatorOf } from '../compatibility.ts';
import { excludedKindProblems, storageRuleProblems, type BackupSelection } from '../backup-rules.ts';
import { staterootName } from '../decide.ts';
import { done, failed, manifestsIn, types, type StepContext, type StepResult } from './context.ts';
import {
  annotations,
  defaultContainerStorageUsageThresholdPercent,
  disabledValue,
  oadpNamespace,
  operatorNamespace,
} from '../../../api/lca/constants.ts';

const forbiddenExtraManifestKinds = new Set(['MachineConfig', 'Subscription']);
const veleroKinds = new Set(['Backup', 'Restore']);

export function seedLayoutDir(context: Pick<StepContext, 'records' | 'booted'>): string {
  return path.join(context.records.dir(context.booted), 'seed-image');
}

async function pullSecretJson(context: StepContext): Promise<string | undefined> {
  const ref = context.ibu.spec?.seedImageRef?.pullSecretRef?.name;
  if (ref === undefined) return undefined;
  try {
    const secret = await context.client.get<KubeObject & { data?: Record<string, string> }>(
      types.secret,
      ref,
      {
        namespace: operatorNamespace,
      },
    );
    const encoded = secret.data?.['.dockerconfigjson'];
    if (encoded === undefined)
      throw new Error(`pull secret ${operatorNamespace}/${ref} has no .dockerconfigjson key`);
    return Buffer.from(encoded, 'base64').toString('utf8');
  } catch (error) {
    if (isNotFound(error))
      throw new Error(`pull secret ${operatorNamespace}/${ref} (spec.seedImageRef.pullSecretRef) not found`);
    throw error;
  }
}

async function validateSpec(context: StepContext): Promise<StepResult> {
  const spec = context.ibu.spec ?? {};
  const problems: string[] = [];
  const seed = spec.seedImageRef;
  if (!seed?.image || !seed.version)
    problems.push('spec.seedImageRef.image and spec.seedImageRef.version are required for Prep');
  else {
    try {
      parseImageReference(seed.image);
    } catch (error) {
      problems.push(`spec.seedImageRef.image: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    await pullSecretJson(context);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  try {
    const oadp = await manifestsIn(context.client, spec.oadpContent ?? []);
    for (const { source, object } of oadp) {
      if (!veleroKinds.has(object.kind ?? '') || object.apiVersion !== 'velero.io/v1') {
        problems.push(`oadpContent ${source}: ${object.kind ?? '?'} is not a velero.io/v1 Backup or Restore`);
      }
    }
    const backups = oadp
      .filter(({ object }) => object.kind === 'Backup')
      .map(({ source, object }) => ({
        source,
        name: object.metadata?.name ?? '',
        spec: (object as KubeObject<BackupSelection>).spec ?? {},
      }));
    const storage = storageOperatorOf(await context.host.facts());
    problems.push(...excludedKindProblems(backups, storage), ...storageRuleProblems(backups, storage));
    const extra = await manifestsIn(context.client, spec.extraManifests ?? []);
    for (const { source, object } of extra) {
      if (forbiddenExtraManifestKinds.has(object.kind ?? '')) {
        problems.push(
          `extraManifests ${source}: ${object.kind ?? ''} ${object.metadata?.name ?? ''} must not be applied as an extra manifest (IBU-17)`,
        );
      }
    }
    const expected = context.ibu.metadata?.annotations?.[annotations.targetOcpVersionManifestCount];
    if (expected !== undefined && Number(expected) !== extra.length) {
      problems.push(
        `lca.openshift.io/target-ocp-version-manifest-count says ${expected} extra manifests; the ConfigMaps hold ${extra.length}`,
      );
    }
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  try {
    const { items } = await context.client.list<
      KubeObject & { spec?: { configuration?: { restic?: { enable?: boolean } } } }
    >(types.dpa, {
      namespace: oadpNamespace,
    });
    if (items.some((dpa) => dpa.spec?.configuration?.restic?.enable === true)) {
      problems.push('DataProtectionApplication must set .spec.configuration.restic.enable: false (IBU-14)');
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return problems.length === 0 ? done : failed(problems.join('; '));
}

async function pullSeedImage(context: StepContext): Promise<StepResult> {
  const image = context.ibu.spec?.seedImageRef?.image ?? '';
  const layout = seedLayoutDir(context);
  await rm(layout, { recursive: true, force: true });
  await mkdir(layout, { recursive: true });
  try {
    await pullToLayout(image, layout, {
      client: context.registry(await pullSecretJson(context)),
      refName: 'seed',
    });
    await readSeedImage(layout, 'seed');
  } catch (error) {
    await rm(layout, { recursive: true, force: true });
    return failed(`pull seed image ${image}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return done;
}

async function checkCompatibility(context: StepContext): Promise<StepResult> {
  const seed = await readSeedImage(seedLayoutDir(context), 'seed');
  const wanted = context.ibu.spec?.seedImageRef?.version;
  if (wanted !== undefined && seed.record.seedCluster.releaseVersion !== wanted) {
    return failed(
      `the seed image is ${seed.record.seedCluster.releaseVersion}, not spec.seedImageRef.version ${wanted}`,
    );
  }
  const problems = compatibilityProblems(seed.record, await context.host.facts());
  return problems.length === 0
    ? done
    : failed(`the seed is not compatible with this cluster: ${problems.join('; ')}`);
}

async function cleanContainerStorage(context: StepContext): Promise<StepResult> {
  // IBU-5: unpinned images go until container storage is under the threshold; the annotation disables it.
  if (context.ibu.metadata?.annotations?.[annotations.imageCleanupOnPrep] === disabledValue) return done;
  const storage = context.host.containerStorage;
  const limit = (await storage.usage()).capacityBytes * (defaultContainerStorageUsageThresholdPercent / 100);
  const removable = (await storage.list())
    .filter((image) => !image.pinned)
    .sort((a, b) => a.lastUsed.localeCompare(b.lastUsed));
  for (const image of removable) {
    if ((await storage.usage()).usedBytes <= limit) break;
    await storage.remove(image.ref);
  }
  return done;
}

async function pullSeedImages(context: StepContext): Promise<StepResult> {
  const seed = await readSeedImage(seedLayoutDir(context), 'seed');
  const images = await readSeedImageList(seed);
  const present = new Set((await context.host.containerStorage.list()).map((image) => image.ref));
  const dockerConfig = await pullSecretJson(context);
  for (const image of images) {
    if (present.has(image.ref)) continue;
    try {
      await context.host.containerStorage.pull(image.ref, {
        registry: { ...(dockerConfig ? { dockerConfig } : {}) },
      });
    } catch (error) {
      return failed(
        `pull ${image.ref} (listed by the seed): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return done;
}

async function setupStateroot(context: StepContext): Promise<StepResult> {
  const seed = await readSeedImage(seedLayoutDir(context), 'seed');
  const version = seed.record.seedCluster.releaseVersion;
  const stateroot = staterootName(version);
  const { ostree } = context.host;
  if (!(await ostree.status()).some((d) => d.stateroot === stateroot))
    await deploySeedOs(context, seed, stateroot);
  await context.records.write(context.booted, 'context', {
    originalStateroot: context.booted,
    newStateroot: stateroot,
    seedImage: context.ibu.spec?.seedImageRef?.image ?? '',
    seedVersion: version,
  });
  return done;
}

/** The seed's OS commit (checksum intact) as a new stateroot that is not the default boot entry. */
async function deploySeedOs(
  context: StepContext,
  seed: Awaited<ReturnType<typeof readSeedImage>>,
  stateroot: string,
): Promise<void> {
  const { ostree } = context.host;
  const version = seed.record.seedCluster.releaseVersion;
  const osDir = path.join(context.records.dir(context.booted), 'seed', 'os');
  await rm(osDir, { recursive: true, force: true });
  const tar = await extractSeedLayer(seed, 'os', osDir);
  const branch = `lca/seed-${version}`;
  await ostree.importCommit(tar, branch);
  await ostree.osInit(stateroot);
  await ostree.deploy({ stateroot, ref: branch, asDefault: false });
}

export const prepStepRunners: Readonly<Record<string, (context: StepContext) => Promise<StepResult>>> = {
  'validate-spec': validateSpec,
  'pull-seed-image': pullSeedImage,
  'check-compatibility': checkCompatibility,
  'clean-container-storage': cleanContainerStorage,
  'pull-seed-images': pullSeedImages,
  'setup-stateroot': setupStateroot,
};

export { pullSecretJson };
