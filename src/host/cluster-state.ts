/**
 * A stateroot's cluster state as a whole (every object of the cluster that runs from it): dumped
 * into seed images, written into a new stateroot before the pivot, dropped with the stateroot.
 * On a real host this is the stateroot's etcd data; in the lab, the API server's backing key space.
 */
import type { ClusterStateDump } from './seed-image.ts';

export interface ClusterStateStore {
  dump(stateroot: string): Promise<ClusterStateDump>;
  /** Replaces everything the stateroot's cluster holds with `dump`. */
  replace(stateroot: string, dump: ClusterStateDump): Promise<void>;
  drop(stateroot: string): Promise<void>;
}
