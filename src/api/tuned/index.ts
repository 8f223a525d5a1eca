/** tuned.openshift.io: Tuned and Profile (Node Tuning Operator). */
import type { KindDefinition } from '../kind.ts';
import { profileKind } from './profile.ts';
import { tunedKind } from './tuned.ts';

export const kinds: readonly KindDefinition[] = [tunedKind, profileKind];

export * from './constants.ts';
export {
  tunedKind,
  type Tuned,
  type TunedSpec,
  type TunedProfile,
  type TunedRecommend,
  type TunedMatch,
} from './tuned.ts';
export { profileKind, type Profile, type ProfileSpec, type ProfileStatus } from './profile.ts';
