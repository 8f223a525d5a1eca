/**
 * SeedGenerator effects: observe the cluster, the `seedgen` Secret and the host's work dir, let
 * decide() pick the next step, write the status that announces it, run it, record it as done on the
 * host, and go on until the seed image is verified in the registry or something fails.
 *
 * Crash safety: the work dir (`<booted stateroot's /var>/lib/lca/seedgen`) holds each step's output
 * and progress.json, which names a step only once its output is complete. A reconcile after a kill
 * at any point redoes only the steps not recorded; Completed is only ever written after the
 * registry served back the very manifest that was built.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { operatorNamespace, seedGeneratorSecretName, seedGeneratorType } from '../../api/lca/constants.ts';
import type { SeedGeneratorStatus } from '../../api/lca/seed-generator.ts';
import type { KubeClient } from '../../client/client.ts';
import { NoKindMatchError } from '../../client/discovery.ts';
import { isNotFound } from '../../client/errors.ts';
import type { KubeObject } from '../../client/object.ts';
import type { HostOperations } from '../../host/host.ts';
import { RegistryClient } from '../../host/oci/client.ts';
import { RegistryError } from '../../host/oci/errors.ts';
import { hasBlob } from '../../host/oci/layout.ts';
import { formatImageReference, type ImageReference } from '../../host/oci/reference.ts';
import { pushLayout } from '../../host/oci/transfer.ts';
import {
  buildSeedImage,
  exportSeedOs,
  findRhacmResources,
  sanitizeClusterState,
  seedLayerFiles,
  type ClusterStateDump,
} from '../../host/seed-image.ts';
import { realClock, type Clock } from '../../runtime/clock.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../runtime/controller.ts';
import { errorText } from '../../runtime/log.ts';
import {
  decide,
  nextStatus,
  phaseOf,
  secretRef,
  seedAuthKey,
  stepMessage,
  healthProblem,
  type Outcome,
  type SecretObservation,
  type SeedGenerator,
  type SeedGenProgress,
  type SeedGenStep,
} from './decide.ts';

/** Saves the cluster state of the request's cluster (a real host would snapshot etcd). */
export type ClusterStateSource = (cluster: string, signal: AbortSignal) => Promise<ClusterStateDump>;

export interface SeedGeneratorOptions {
  readonly host: HostOperations;
  /** The lab API server's URL: the cluster state is dumped through its `/lcm/v1` admin endpoints. */
  readonly apiServerAdminUrl?: string;
  /** Overrides how the cluster state is saved (default: through apiServerAdminUrl). */
  readonly clusterStateSource?: ClusterStateSource;
  /** Builds the registry client from the `seedAuth` docker config JSON. */
  readonly registryClientFactory?: (dockerConfig: string) => RegistryClient;
  readonly clock?: Clock;
  /** Default `<booted stateroot's /var>/lib/lca/seedgen`. */
  readonly workDir?: string;
  /** How long to wait for an unstable cluster, or an unreachable registry, before trying again. */
  readonly retryAfterMs?: number;
  /** Called before each step; tests abort the reconcile's signal here to play a kill. */
  readonly onStep?: (step: SeedGenStep) => Promise<void> | void;
}

const secretType = { apiVersion: 'v1', kind: 'Secret' } as const;
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' } as const;
const crdType = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' } as const;
const managedClusterType = {
  apiVersion: 'cluster.open-cluster-management.io/v1',
  kind: 'ManagedCluster',
} as const;
const clusterVersionType = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion' } as const;
const klusterletCrd = 'klusterlets.operator.open-cluster-management.io';

const defaultRetryAfterMs = 30_000;
const progressFile = 'progress.json';
const clusterStateFile = 'cluster-state.json';

/** The cluster state through the lab API server: the backing the cluster serves, dumped whole. */
export function adminClusterStateSource(apiServerUrl: string): ClusterStateSource {
  const base = `${apiServerUrl.replace(/\/+$/, '')}/lcm/v1`;
  const getJson = async (path: string, signal: AbortSignal): Promise<unknown> => {
    const url = `${base}/${path}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
    } catch (error) {
      throw new Error(`GET ${url}: the API server did not answer (${errorText(error)})`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  };
  return async (cluster, signal) => {
    const described = await getJson(`clusters/${encodeURIComponent(cluster)}`, signal);
    const backing =
      typeof described === 'object' && described !== null && 'backing' in described
        ? described.backing
        : undefined;
    if (typeof backing !== 'string')
      throw new Error(`the API server names no backing for cluster ${cluster}`);
    const dump = await getJson(`backings/${encodeURIComponent(backing)}`, signal);
    if (typeof dump !== 'object' || dump === null || !('items' in dump) || !Array.isArray(dump.items))
      throw new Error(`the dump of backing ${backing} has no items`);
    return dump as ClusterStateDump;
  };
}

/** Registry failures worth waiting out: unreachable, connection lost, 5xx, rate limiting. */
function isTransientRegistryError(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return false;
  if (error.status !== undefined) return error.status >= 500 || error.status === 429;
  return error.code !== undefined && /^E[A-Z]+$/.test(error.code);
}

function failureMessage(step: SeedGenStep, target: ImageReference, error: unknown): string {
  const what = `${stepMessage(step)} (${formatImageReference(target)})`;
  const text = errorText(error);
  if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
    return `${what}: ${text}; the credentials come from secret ${secretRef}, key ${seedAuthKey}`;
  }
  return `${what}: ${text}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(value)}\n`);
  await rename(`${file}.tmp`, file);
}

class StepsAborted extends Error {}

export class SeedGeneratorReconciler implements Reconciler {
  private readonly clock: Clock;
  private readonly source: ClusterStateSource | undefined;
  private readonly registryClient: (dockerConfig: string) => RegistryClient;
  private readonly retryAfterMs: number;

  constructor(private readonly options: SeedGeneratorOptions) {
    this.clock = options.clock ?? realClock;
    this.source =
      options.clusterStateSource ??
      (options.apiServerAdminUrl !== undefined
        ? adminClusterStateSource(options.apiServerAdminUrl)
        : undefined);
    this.registryClient =
      options.registryClientFactory ?? ((dockerConfig) => new RegistryClient({ dockerConfig }));
    this.retryAfterMs = options.retryAfterMs ?? defaultRetryAfterMs;
  }

  async reconcile(request: Request, context: ReconcileContext): Promise<Result | void> {
    const { client, signal } = context;
    let seedgen: SeedGenerator;
    try {
      seedgen = await client.get<SeedGenerator>(seedGeneratorType, request.name, { signal });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const log = context.log.with({ seedImage: seedgen.spec?.seedImage });
    const workDir = await this.workDir();
    const phase = phaseOf(seedgen.status);
    if (phase === 'completed' || phase === 'failed') {
      await rm(workDir, { recursive: true, force: true });
      return;
    }

    const secret = await this.observeSecret(client, signal);
    let progress = await this.readProgress(workDir, seedgen);
    const beforeDump = progress.clusterState === undefined;
    const rhacm = beforeDump ? await this.observeRhacm(client, signal) : [];
    const health = beforeDump ? await this.observeHealth(client, signal) : undefined;
    let repushed = false;

    const write = async (outcome: Outcome): Promise<void> => {
      if (signal.aborted) throw new StepsAborted();
      seedgen = await this.writeStatus(client, seedgen, nextStatus(seedgen, outcome, this.clock.now()));
    };

    try {
      for (;;) {
        const decision = decide({ seedgen, secret, rhacm, health, progress });
        switch (decision.kind) {
          case 'done':
            return;
          case 'fail':
            log.info('seed generation failed', { reason: decision.message });
            await write({ kind: 'failed', message: decision.message });
            await rm(workDir, { recursive: true, force: true });
            return;
          case 'wait':
            log.info('seed generation waiting', { reason: decision.message });
            await write({ kind: 'in-progress', message: decision.message });
            return { requeueAfterMs: this.retryAfterMs };
          case 'complete':
            await write({ kind: 'completed' });
            log.info('seed image generated and verified', { digest: progress.verified?.digest });
            await rm(workDir, { recursive: true, force: true });
            return;
          case 'step':
            break;
        }
        const { step, target, dockerConfig } = decision;
        await write({ kind: 'in-progress', message: stepMessage(step) });
        await this.options.onStep?.(step);
        if (signal.aborted) throw new StepsAborted();
        log.info('seed generation step', { step });
        try {
          const done = await this.runStep(step, {
            request,
            seedgen,
            target,
            dockerConfig,
            workDir,
            progress,
            signal,
          });
          if (done.repush === true) {
            // The registry lost what was pushed: push once more, then believe it.
            if (repushed)
              throw new Error(
                `the registry does not keep the seed image pushed to ${formatImageReference(target)}`,
              );
            repushed = true;
          }
          progress = done.progress;
          await writeJsonAtomic(join(workDir, progressFile), progress);
        } catch (error) {
          if (signal.aborted) throw new StepsAborted();
          if (isTransientRegistryError(error)) {
            const message = `${failureMessage(step, target, error)}; retrying in ${Math.round(this.retryAfterMs / 1000)}s`;
            log.warn('seed generation step will be retried', { step, error: errorText(error) });
            await write({ kind: 'in-progress', message });
            return { requeueAfterMs: this.retryAfterMs };
          }
          const message = failureMessage(step, target, error);
          log.info('seed generation failed', { step, reason: message });
          await write({ kind: 'failed', message });
          await rm(workDir, { recursive: true, force: true });
          return;
        }
      }
    } catch (error) {
      // Stopped mid-run: leave everything as a kill would; the next reconcile resumes from the work dir.
      if (error instanceof StepsAborted) return;
      throw error;
    }
  }

  private async workDir(): Promise<string> {
    if (this.options.workDir !== undefined) return this.options.workDir;
    const { host } = this.options;
    return join(host.ostree.varDir(await host.bootedStateroot()), 'lib', 'lca', 'seedgen');
  }

  private async observeSecret(client: KubeClient, signal: AbortSignal): Promise<SecretObservation> {
    try {
      const secret = await client.get<KubeObject & { data?: Record<string, string> }>(
        secretType,
        seedGeneratorSecretName,
        { namespace: operatorNamespace, signal },
      );
      return { found: true, data: secret.data };
    } catch (error) {
      if (isNotFound(error)) return { found: false };
      return { found: false, error: errorText(error) };
    }
  }

  private async observeRhacm(client: KubeClient, signal: AbortSignal): Promise<string[]> {
    const namespaces = (await client.list(namespaceType, { signal })).items.map((ns) => ns.metadata.name);
    const crds: string[] = [];
    try {
      await client.get(crdType, klusterletCrd, { signal });
      crds.push(klusterletCrd);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    let managedClusters: string[] = [];
    try {
      managedClusters = (await client.list(managedClusterType, { signal })).items.map(
        (mc) => mc.metadata.name,
      );
    } catch (error) {
      // Without the RHACM CRD there can be no ManagedCluster.
      if (!(error instanceof NoKindMatchError) && !isNotFound(error)) throw error;
    }
    return findRhacmResources({ namespaces, crds, managedClusters });
  }

  private async observeHealth(client: KubeClient, signal: AbortSignal): Promise<string | undefined> {
    try {
      return healthProblem(await client.get(clusterVersionType, 'version', { signal }));
    } catch (error) {
      if (isNotFound(error) || error instanceof NoKindMatchError) return healthProblem(undefined);
      throw error;
    }
  }

  /** The recorded progress, minus steps whose output a later step still needs and that is gone. */
  private async readProgress(workDir: string, seedgen: SeedGenerator): Promise<SeedGenProgress> {
    const fresh: SeedGenProgress = {
      uid: seedgen.metadata.uid ?? '',
      seedImage: seedgen.spec?.seedImage ?? '',
    };
    const text = await readFile(join(workDir, progressFile), 'utf8').catch(() => undefined);
    let recorded: SeedGenProgress | undefined;
    try {
      recorded = text === undefined ? undefined : (JSON.parse(text) as SeedGenProgress);
    } catch {
      recorded = undefined;
    }
    if (recorded === undefined || recorded.uid !== fresh.uid || recorded.seedImage !== fresh.seedImage) {
      // Another SeedGenerator's leftovers (or none): start over in an empty work dir.
      await rm(workDir, { recursive: true, force: true });
      await mkdir(workDir, { recursive: true });
      return fresh;
    }
    let progress = recorded;
    if (progress.built === undefined) {
      if (!(await exists(join(workDir, clusterStateFile)))) {
        const { clusterState: _gone, ...rest } = progress;
        progress = rest;
      }
      if (!(await exists(join(workDir, 'os', seedLayerFiles.os)))) {
        const { os: _gone, ...rest } = progress;
        progress = rest;
      }
    } else if (
      progress.pushed === undefined &&
      !(await hasBlob(join(workDir, 'layout'), progress.built.manifestDigest))
    ) {
      const { built: _gone, ...rest } = progress;
      progress = rest;
    }
    return progress;
  }

  private async runStep(
    step: SeedGenStep,
    input: {
      readonly request: Request;
      readonly seedgen: SeedGenerator;
      readonly target: ImageReference;
      readonly dockerConfig: string;
      readonly workDir: string;
      readonly progress: SeedGenProgress;
      readonly signal: AbortSignal;
    },
  ): Promise<{ progress: SeedGenProgress; repush?: boolean }> {
    const { host } = this.options;
    const { target, workDir, progress, signal } = input;
    const layoutDir = join(workDir, 'layout');
    const tag = target.tag ?? 'latest';
    switch (step) {
      case 'dump-cluster-state': {
        if (this.source === undefined)
          throw new Error(
            'no way to save the cluster state: the controller was given no API server admin URL',
          );
        const dump = sanitizeClusterState(await this.source(input.request.cluster, signal));
        await writeJsonAtomic(join(workDir, clusterStateFile), dump);
        return {
          progress: {
            ...progress,
            clusterState: {
              ...(dump.backing !== undefined ? { backing: dump.backing } : {}),
              items: dump.items.length,
            },
          },
        };
      }
      case 'export-os': {
        await mkdir(join(workDir, 'os'), { recursive: true });
        const exported = await exportSeedOs(host, join(workDir, 'os', seedLayerFiles.os));
        return { progress: { ...progress, os: exported.os } };
      }
      case 'build-image': {
        if (progress.os === undefined) throw new Error('build-image needs the OS export');
        const dump = JSON.parse(await readFile(join(workDir, clusterStateFile), 'utf8')) as ClusterStateDump;
        await rm(layoutDir, { recursive: true, force: true });
        const recertImage = input.seedgen.spec?.recertImage;
        const built = await buildSeedImage({
          host,
          clusterStateDump: dump,
          layoutDir,
          refName: tag,
          osExport: { tarPath: join(workDir, 'os', seedLayerFiles.os), os: progress.os },
          ...(recertImage !== undefined ? { recertImage } : {}),
          workDir: join(workDir, 'build'),
          now: this.clock.now(),
        });
        await rm(join(workDir, 'build'), { recursive: true, force: true });
        return { progress: { ...progress, built: { manifestDigest: built.image.manifestDigest } } };
      }
      case 'push-image': {
        const built = progress.built;
        if (built === undefined) throw new Error('push-image needs the built image');
        const client = this.registryClient(input.dockerConfig);
        const pushed = await pushLayout(layoutDir, target, { client, refName: tag });
        if (pushed.digest !== built.manifestDigest) {
          throw new Error(
            `pushed manifest ${pushed.digest}, but the built seed image is ${built.manifestDigest}`,
          );
        }
        return { progress: { ...progress, pushed: { digest: pushed.digest } } };
      }
      case 'verify-image': {
        const built = progress.built;
        if (built === undefined) throw new Error('verify-image needs the built image');
        const client = this.registryClient(input.dockerConfig);
        try {
          const served = await client.getManifest(target);
          if (served.digest !== built.manifestDigest) {
            throw new Error(
              `the registry serves ${served.digest} as ${formatImageReference(target)}, not the seed image ${built.manifestDigest} that was pushed`,
            );
          }
          return { progress: { ...progress, verified: { digest: served.digest } } };
        } catch (error) {
          if (!(error instanceof RegistryError && error.status === 404)) throw error;
          const { pushed: _lost, ...rest } = progress;
          return { progress: rest, repush: true };
        }
      }
    }
  }

  private async writeStatus(
    client: KubeClient,
    seedgen: SeedGenerator,
    status: SeedGeneratorStatus,
  ): Promise<SeedGenerator> {
    if (isDeepStrictEqual(seedgen.status, status)) return seedgen;
    return client.updateStatus<SeedGenerator>({ ...seedgen, status });
  }
}
