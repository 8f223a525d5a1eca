/** Every controller the `lcm controllers` process runs; feature issues add theirs here. */
import type { Manager } from '../runtime/manager.ts';

export function registerControllers(_manager: Manager): string[] {
  return [];
}
