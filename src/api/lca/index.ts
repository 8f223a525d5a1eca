/** lca.openshift.io (Lifecycle Agent): ImageBasedUpgrade and SeedGenerator. */
import type { KindDefinition } from '../kind.ts';
import { imageBasedUpgradeKind } from './image-based-upgrade.ts';
import { seedGeneratorKind } from './seed-generator.ts';

export * as lca from './constants.ts';
export * from './image-based-upgrade.ts';
export * from './seed-generator.ts';

export const kinds: readonly KindDefinition[] = [imageBasedUpgradeKind, seedGeneratorKind];
