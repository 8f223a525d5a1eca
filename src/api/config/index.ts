/** config.openshift.io: ClusterVersion, ClusterOperator and FeatureGate. */
import type { KindDefinition } from '../kind.ts';
import { clusterOperatorKind } from './cluster-operator.ts';
import { clusterVersionKind } from './cluster-version.ts';
import { featureGateKind } from './feature-gate.ts';

export * as config from './constants.ts';
export * from './cluster-version.ts';
export * from './cluster-operator.ts';
export * from './feature-gate.ts';

export const kinds: readonly KindDefinition[] = [clusterVersionKind, clusterOperatorKind, featureGateKind];
