/** What every step of the agent works with, and what a step reports back. */
import { parseAllDocuments } from 'yaml';
import type { ImageBasedUpgrade } from '../../../api/lca/image-based-upgrade.ts';
import type { KubeClient } from '../../../client/client.ts';
import { isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import type { ClusterStateStore } from '../../../host/cluster-state.ts';
import type { HostOperations } from '../../../host/host.ts';
import type { RegistryClient } from '../../../host/oci/client.ts';
import type { Clock } from '../../../runtime/clock.ts';
import type { AgentRecords, UpgradeContext } from '../records.ts';
import { annotations, imageBasedUpgradeType } from '../../../api/lca/constants.ts';
import { apiVersion as oadpApiVersion } from '../../../api/oadp/constants.ts';
import { backupType, locationType, restoreType } from '../../velero/kinds.ts';

export interface AgentDependencies {
  readonly host: HostOperations;
  readonly clusterState: ClusterStateStore;
  readonly clock: Clock;
  /** A registry client with these pull-secret credentials (a docker config JSON), if any. */
  readonly registry: (dockerConfigJson: string | undefined) => RegistryClient;
}

export interface StepContext extends AgentDependencies {
  readonly client: KubeClient;
  readonly records: AgentRecords;
  readonly ibu: ImageBasedUpgrade;
  readonly booted: string;
  readonly upgrade: UpgradeContext | undefined;
}

export type StepResult =
  | { readonly kind: 'done' }
  /** Still working (a Backup running…): run the step again later. */
  | { readonly kind: 'pending'; readonly requeueAfterMs: number }
  | { readonly kind: 'failed'; readonly message: string };

export const done: StepResult = { kind: 'done' };
export const failed = (message: string): StepResult => ({ kind: 'failed', message });
export const pending = (requeueAfterMs = 1000): StepResult => ({ kind: 'pending', requeueAfterMs });

export const types = {
  configMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
  namespace: { apiVersion: 'v1', kind: 'Namespace' },
  backup: backupType,
  restore: restoreType,
  dpa: { apiVersion: oadpApiVersion, kind: 'DataProtectionApplication' },
  bsl: locationType,
  ibu: imageBasedUpgradeType,
} as const;

export interface ConfigMapRef {
  readonly name: string;
  readonly namespace: string;
}

/** The objects held in the ConfigMaps an IBU points at (oadpContent, extraManifests): one YAML stream per key. */
export async function manifestsIn(
  client: KubeClient,
  refs: readonly ConfigMapRef[],
): Promise<{ source: string; object: KubeObject }[]> {
  const found: { source: string; object: KubeObject }[] = [];
  for (const ref of refs) {
    let configMap: KubeObject & { data?: Record<string, string> };
    try {
      configMap = await client.get(types.configMap, ref.name, { namespace: ref.namespace });
    } catch (error) {
      if (isNotFound(error)) throw new Error(`ConfigMap ${ref.namespace}/${ref.name} not found`);
      throw error;
    }
    for (const [key, text] of Object.entries(configMap.data ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length > 0)
          throw new Error(
            `ConfigMap ${ref.namespace}/${ref.name} key ${key}: invalid YAML (${doc.errors[0]?.message ?? ''})`,
          );
        const value = doc.toJS() as unknown;
        if (value === null || value === undefined) continue;
        if (
          typeof value !== 'object' ||
          Array.isArray(value) ||
          !('kind' in value) ||
          !('apiVersion' in value)
        ) {
          throw new Error(
            `ConfigMap ${ref.namespace}/${ref.name} key ${key}: every document must be a Kubernetes object with apiVersion and kind`,
          );
        }
        found.push({ source: `${ref.namespace}/${ref.name}[${key}]`, object: value as KubeObject });
      }
    }
  }
  return found;
}

/** `lca.openshift.io/apply-wave` (IBU-15): ascending; unannotated objects come last, together. */
export function applyWave(object: KubeObject): number {
  const wave = object.metadata?.annotations?.[annotations.applyWave];
  const parsed = wave === undefined ? Number.NaN : Number.parseInt(wave, 10);
  return Number.isFinite(parsed) ? parsed : Number.MAX_SAFE_INTEGER;
}

export function byApplyWave<T extends KubeObject>(objects: readonly T[]): T[][] {
  const waves = new Map<number, T[]>();
  for (const object of objects) {
    const wave = applyWave(object);
    waves.set(wave, [...(waves.get(wave) ?? []), object]);
  }
  return [...waves.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** A fresh object for create: what the server owns is dropped. */
export function forCreate<T extends KubeObject>(object: T): T {
  const { metadata, ...rest } = structuredClone(object);
  const {
    uid: _u,
    resourceVersion: _r,
    creationTimestamp: _c,
    generation: _g,
    managedFields: _m,
    ownerReferences: _o,
    ...meta
  } = metadata ?? {};
  const { status: _s, ...body } = rest as T & { status?: unknown };
  return { ...body, metadata: meta } as T;
}
