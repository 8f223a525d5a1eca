/** ran.openshift.io (TALM and GitOps ZTP): ClusterGroupUpgrade, PreCachingConfig, SiteConfig. */
import type { KindDefinition } from '../kind.ts';
import { clusterGroupUpgradeKind } from './cluster-group-upgrade.ts';
import { preCachingConfigKind } from './pre-caching-config.ts';
import { siteConfigKind } from './site-config.ts';

export * as ran from './constants.ts';
export * from './cluster-group-upgrade.ts';
export * from './pre-caching-config.ts';
export * from './site-config.ts';

export const kinds: readonly KindDefinition[] = [
  clusterGroupUpgradeKind,
  preCachingConfigKind,
  siteConfigKind,
];
