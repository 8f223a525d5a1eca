/** policy.open-cluster-management.io: Policy. */
import type { KindDefinition } from '../kind.ts';
import { policyKind } from './policy.ts';

export const kinds: readonly KindDefinition[] = [policyKind];

export * from './constants.ts';
export {
  policyKind,
  type Policy,
  type PolicySpec,
  type PolicyStatus,
  type PolicyTemplate,
} from './policy.ts';
