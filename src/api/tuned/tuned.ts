/**
 * Tuned: node-level tuning profiles and the rules recommending them to nodes. In a hosted cluster
 * they arrive through ConfigMaps referenced by `NodePool.spec.tuningConfig` (seed 003 §4.2).
 */
import { Type, type Static } from '@sinclair/typebox';

import { FreeForm, StringEnum, StringMap, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { group, version } from './constants.ts';

export const TunedProfile = Type.Object({
  name: Type.String({
    minLength: 1,
    description: 'Name of the TuneD profile to be used in the recommend section.',
  }),
  data: Type.String({
    description: 'Specification of the TuneD profile to be consumed by the TuneD daemon.',
  }),
});
export type TunedProfile = Static<typeof TunedProfile>;

/** A node/pod label match; nested matches are AND-ed (kept as-is, the structure is recursive). */
export const TunedMatch = Type.Object({
  label: Type.String({ description: 'Node or Pod label name.' }),
  value: Type.Optional(
    Type.String({
      description: 'Node or Pod label value. If omitted, the presence of label name is enough to match.',
    }),
  ),
  type: Type.Optional(
    StringEnum(['node', 'pod'], { description: 'Match type: [node/pod]. If omitted, "node" is assumed.' }),
  ),
  match: Type.Optional(
    Type.Array(FreeForm(), {
      description:
        'Additional rules governing application of the tuned profile connected by logical AND operator.',
    }),
  ),
});
export type TunedMatch = Static<typeof TunedMatch>;

export const TunedRecommend = Type.Object({
  profile: Type.String({ minLength: 1, description: 'Name of the TuneD profile to recommend.' }),
  priority: Type.Integer({
    minimum: 0,
    format: 'int64',
    description: 'Tuned profile matching priority. Highest priority is 0.',
  }),
  match: Type.Optional(
    Type.Array(TunedMatch, {
      description: 'Rules governing application of a TuneD profile connected by logical OR operator.',
    }),
  ),
  machineConfigLabels: Type.Optional(
    StringMap({ description: 'MachineConfigLabels specifies the labels for a MachineConfig.' }),
  ),
  operand: Type.Optional(
    Type.Object({
      debug: Type.Optional(Type.Boolean()),
      verbosity: Type.Optional(Type.Integer()),
      tunedConfig: Type.Optional(Type.Object({ reapply_sysctl: Type.Optional(Type.Boolean()) })),
    }),
  ),
});
export type TunedRecommend = Static<typeof TunedRecommend>;

export const TunedSpec = Type.Object({
  managementState: Type.Optional(
    Type.String({
      pattern: '^(Managed|Unmanaged|Force|Removed)$',
      description:
        'managementState indicates whether the registry instance represented by this config instance is under operator management or not.',
    }),
  ),
  profile: Type.Optional(Type.Array(TunedProfile, { description: 'Tuned profiles.' })),
  recommend: Type.Optional(
    Type.Array(TunedRecommend, { description: 'Selection logic for all Tuned profiles.' }),
  ),
});
export type TunedSpec = Static<typeof TunedSpec>;

/** Tuned/Profile conditions: reason and message are optional. */
export const TunedStatusCondition = Type.Object({
  type: Type.String(),
  status: StringEnum(['True', 'False', 'Unknown']),
  lastTransitionTime: Timestamp(),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type TunedStatusCondition = Static<typeof TunedStatusCondition>;

export const TunedStatus = Type.Object({
  conditions: Type.Optional(Type.Array(TunedStatusCondition)),
});

export const TunedSchema = kindSchema(TunedSpec, TunedStatus, {
  description:
    'Tuned is a collection of rules that allows cluster-wide deployment of node-level sysctls and more flexibility to add custom tuning specified by user needs.',
});

export type Tuned = Resource<TunedSpec, Static<typeof TunedStatus>>;

/** No printer columns: seed 003 §4.2 lists Tuned objects as NAME and AGE only. */
export const tunedKind: KindDefinition = {
  group,
  kind: 'Tuned',
  plural: 'tuneds',
  singular: 'tuned',
  scope: 'Namespaced',
  versions: [{ name: version, schema: TunedSchema }],
};
