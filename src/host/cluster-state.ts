/**
 * A stateroot's cluster state as a whole (every object of the cluster that runs from it): dumped
 * into seed images, written into a new stateroot before the pivot, dropped with the stateroot.
 * On a real host this is the stateroot's etcd data; in the lab, the API server's backing key space.
 */

/** One object of a key space: `<group|core>/<resource>/[<namespace>/]<name>` and the stored object. */
export interface ClusterStateItem {
  readonly key: string;
  readonly value: unknown;
}

/** A key space as `GET /lcm/v1/backings/<backing>` returns it; keys are relative to the backing. */
export interface ClusterStateDump {
  readonly backing?: string;
  readonly revision?: number | string;
  readonly items: readonly ClusterStateItem[];
}

export interface ClusterStateStore {
  dump(stateroot: string): Promise<ClusterStateDump>;
  /** Replaces everything the stateroot's cluster holds with `dump`. */
  replace(stateroot: string, dump: ClusterStateDump): Promise<void>;
  drop(stateroot: string): Promise<void>;
}
