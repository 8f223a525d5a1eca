/** The ImageBasedUpgrade agent as a runtime Controller (one per single-node cluster). */
import { Controller } from '../../runtime/controller.ts';
import type { Logger } from '../../runtime/log.ts';
import { ImageBasedUpgradeReconciler, ibuName, type IbuReconcilerOptions } from './reconcile.ts';
import { types } from './effects/context.ts';

export { ImageBasedUpgradeReconciler, ibuName };

export interface ImageBasedUpgradeControllerOptions extends IbuReconcilerOptions {
  readonly log?: Logger;
}

export function imageBasedUpgradeController(options: ImageBasedUpgradeControllerOptions): Controller {
  return new Controller({
    name: 'imagebasedupgrade',
    for: types.ibu,
    reconciler: new ImageBasedUpgradeReconciler(options),
    concurrency: 1,
    clock: options.clock,
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}
