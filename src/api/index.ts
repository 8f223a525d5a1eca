/** Every kind lcm serves and reconciles, by API group. */
import type { KindDefinition } from './kind.ts';

export const allKinds: readonly KindDefinition[] = [];
