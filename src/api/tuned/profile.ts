/** Profile: the TuneD profile chosen for one node, and whether it was applied (seed 003 §4.2). */
import { Type, type Static } from '@sinclair/typebox';

import { kindSchema, type KindDefinition, type PrinterColumn } from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { group, version } from './constants.ts';
import { TunedProfile, TunedStatusCondition } from './tuned.ts';

export const ProfileSpec = Type.Object({
  config: Type.Object({
    tunedProfile: Type.String({ description: 'TuneD profile to apply' }),
    debug: Type.Optional(Type.Boolean({ description: 'option to debug TuneD daemon execution' })),
    verbosity: Type.Optional(Type.Integer({ description: 'klog logging verbosity' })),
    tunedConfig: Type.Optional(Type.Object({ reapply_sysctl: Type.Optional(Type.Boolean()) })),
    providerName: Type.Optional(
      Type.String({ description: 'Name of the cloud provider as taken from the Node providerID.' }),
    ),
  }),
  profile: Type.Optional(Type.Array(TunedProfile, { description: 'Tuned profiles.' })),
});
export type ProfileSpec = Static<typeof ProfileSpec>;

export const ProfileStatus = Type.Object({
  tunedProfile: Type.Optional(Type.String({ description: 'the current profile in use by the Tuned daemon' })),
  conditions: Type.Optional(
    Type.Array(TunedStatusCondition, {
      description: 'conditions represents the state of the per-node Profile application',
    }),
  ),
  observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
});
export type ProfileStatus = Static<typeof ProfileStatus>;

export const ProfileSchema = kindSchema(ProfileSpec, ProfileStatus, {
  description: 'Profile is a specification for a Profile resource.',
});

export type Profile = Resource<ProfileSpec, ProfileStatus>;

/** Seed 003 §4.2 output: NAME TUNED APPLIED DEGRADED AGE. */
const printerColumns: readonly PrinterColumn[] = [
  { name: 'Tuned', type: 'string', jsonPath: '.spec.config.tunedProfile' },
  { name: 'Applied', type: 'string', jsonPath: '.status.conditions[?(@.type=="Applied")].status' },
  { name: 'Degraded', type: 'string', jsonPath: '.status.conditions[?(@.type=="Degraded")].status' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export const profileKind: KindDefinition = {
  group,
  kind: 'Profile',
  plural: 'profiles',
  singular: 'profile',
  scope: 'Namespaced',
  versions: [{ name: version, schema: ProfileSchema, printerColumns }],
};
