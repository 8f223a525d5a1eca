/**
 * When a command talks to the lab (its kubeconfig is a lab directory's), the lab's own services are
 * the sensible defaults: its Prometheus, its update graph, its etcd backup directory. Against any
 * other cluster nothing is assumed.
 */
import path from 'node:path';
import { labUpdateGraph } from '../lab/simulated-cvo.ts';
import { isAlive, labLayout, readMarker, readState } from '../lab/state.ts';

export interface LabDefaults {
  readonly prometheus?: string;
  readonly graph: string;
  readonly etcdBackupDir: string;
}

export async function labDefaultsFor(kubeconfig: string): Promise<LabDefaults | undefined> {
  const layout = labLayout(path.dirname(path.resolve(kubeconfig)));
  if (path.resolve(kubeconfig) !== path.resolve(layout.kubeconfig)) return undefined;
  if ((await readMarker(layout).catch(() => undefined)) === undefined) return undefined;
  const prometheus = (await readState(layout).catch(() => undefined))?.components.find(
    (c) => c.name === 'prometheus' && c.health === 'running' && isAlive(c.pid),
  )?.endpoint;
  return {
    ...(prometheus ? { prometheus } : {}),
    graph: labUpdateGraph,
    etcdBackupDir: path.join(layout.dir, 'backups', 'etcd'),
  };
}
