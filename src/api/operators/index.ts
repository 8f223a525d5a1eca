/** operators.coreos.com (OLM): Subscription, OperatorGroup, CatalogSource, ClusterServiceVersion. */
import type { KindDefinition } from '../kind.ts';
import { catalogSourceKind } from './catalog-source.ts';
import { clusterServiceVersionKind } from './cluster-service-version.ts';
import { operatorGroupKind } from './operator-group.ts';
import { subscriptionKind } from './subscription.ts';

export const kinds: readonly KindDefinition[] = [
  subscriptionKind,
  operatorGroupKind,
  catalogSourceKind,
  clusterServiceVersionKind,
];

export * from './constants.ts';
export {
  subscriptionKind,
  type Subscription,
  type SubscriptionSpec,
  type SubscriptionStatus,
} from './subscription.ts';
export {
  operatorGroupKind,
  type OperatorGroup,
  type OperatorGroupSpec,
  type OperatorGroupStatus,
} from './operator-group.ts';
export {
  catalogSourceKind,
  type CatalogSource,
  type CatalogSourceSpec,
  type CatalogSourceStatus,
} from './catalog-source.ts';
export {
  clusterServiceVersionKind,
  type ClusterServiceVersion,
  type ClusterServiceVersionSpec,
  type ClusterServiceVersionStatus,
} from './cluster-service-version.ts';
