/** cluster.open-cluster-management.io (ManagedCluster) plus the view/action groups TALM reads and acts through. */
import type { KindDefinition } from '../kind.ts';
import { managedClusterActionKind } from './managed-cluster-action.ts';
import { managedClusterViewKind } from './managed-cluster-view.ts';
import { managedClusterKind } from './managed-cluster.ts';

export const kinds: readonly KindDefinition[] = [
  managedClusterKind,
  managedClusterViewKind,
  managedClusterActionKind,
];

export * from './constants.ts';
export {
  managedClusterKind,
  type ManagedCluster,
  type ManagedClusterSpec,
  type ManagedClusterStatus,
} from './managed-cluster.ts';
export {
  managedClusterViewKind,
  type ManagedClusterView,
  type ViewSpec,
  type ViewStatus,
} from './managed-cluster-view.ts';
export {
  managedClusterActionKind,
  type ManagedClusterAction,
  type ActionSpec,
  type ActionStatus,
} from './managed-cluster-action.ts';
