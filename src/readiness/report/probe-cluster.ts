/**
 * Before any check runs: can the cluster be reached at all, and which version does it run? An
 * unreachable cluster is said once, plainly, instead of as one "could not check" per check.
 */
import type { ClusterVersionStatus, UpdateHistory } from '../../api/config/cluster-version.ts';
import { apiVersion as configApiVersion, clusterVersionName } from '../../api/config/constants.ts';
import type { KubeClient } from '../../client/client.ts';
import { ApiStatusError } from '../../client/errors.ts';
import type { KubeObject } from '../../client/object.ts';
import { NotServedError, type ClusterReader } from './cluster-reader.ts';
import { reasonOf } from './runner.ts';

export const clusterVersionType = { apiVersion: configApiVersion, kind: 'ClusterVersion' } as const;

export type ClusterProbe =
  | { readonly reachable: true; readonly currentVersion: string | undefined }
  | { readonly reachable: false; readonly reason: string };

/** The CVO's notion of the current version: the newest Completed update, else the newest attempted. */
export function currentVersionOf(history: readonly UpdateHistory[] | undefined): string | undefined {
  const entries = history ?? [];
  const completed = entries.find((h) => h.state === 'Completed');
  const version = (completed ?? entries[0])?.version;
  return version === '' ? undefined : version;
}

export async function probeCluster(client: KubeClient, reader: ClusterReader): Promise<ClusterProbe> {
  try {
    await client.resourcesOf('v1');
  } catch (error) {
    if (error instanceof ApiStatusError && (error.code === 401 || error.code === 403))
      return {
        reachable: false,
        reason: `the API server at ${client.server} refused the credentials (${error.code} ${error.reason}): check the kubeconfig user`,
      };
    return {
      reachable: false,
      reason: `cannot reach the cluster at ${client.server} (${reasonOf(error)}): check --kubeconfig/--context and that the API server is up`,
    };
  }
  try {
    const cv = await reader.get<KubeObject<unknown, ClusterVersionStatus>>(
      clusterVersionType,
      clusterVersionName,
    );
    return {
      reachable: true,
      currentVersion: currentVersionOf(cv?.status?.history) ?? cv?.status?.desired?.version,
    };
  } catch (error) {
    if (error instanceof NotServedError) return { reachable: true, currentVersion: undefined };
    throw error;
  }
}
