/**
 * The SeedGenerator controller (IBU-1): on a seed cluster, builds the seed image from the host it
 * runs on and pushes it to `spec.seedImage`. One reconcile at a time: the host has one work dir.
 */
import { Controller } from '../../runtime/controller.ts';
import type { Logger } from '../../runtime/log.ts';
import { seedGeneratorType } from '../../api/lca/constants.ts';
import { SeedGeneratorReconciler, type SeedGeneratorOptions } from './reconcile.ts';

export { SeedGeneratorReconciler, adminClusterStateSource } from './reconcile.ts';
export { seedGeneratorType };
export type { ClusterStateSource, SeedGeneratorOptions } from './reconcile.ts';
export { messages as seedGenMessages, seedGenSteps, type SeedGenStep } from './decide.ts';

export interface SeedGeneratorControllerOptions extends SeedGeneratorOptions {
  readonly log?: Logger;
}

export function seedGeneratorController(options: SeedGeneratorControllerOptions): Controller {
  return new Controller({
    name: 'seedgenerator',
    for: seedGeneratorType,
    reconciler: new SeedGeneratorReconciler(options),
    concurrency: 1,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}
