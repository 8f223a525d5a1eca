/** ManagedClusterAction: creates, updates or deletes one resource on a managed cluster. */
import { Type, type Static } from '@sinclair/typebox';

import { FreeForm, StringEnum, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { ActionTypes, actionGroup, viewActionVersion } from './constants.ts';

export const ActionSpec = Type.Object({
  actionType: Type.Optional(StringEnum(ActionTypes, { description: 'ActionType is the type of the action' })),
  kube: Type.Optional(
    Type.Object({
      resource: Type.Optional(Type.String({ description: 'Resource of the object' })),
      name: Type.Optional(Type.String({ description: 'Name of the object' })),
      namespace: Type.Optional(Type.String({ description: 'Namespace of the object' })),
      template: Type.Optional(FreeForm({ description: 'ObjectTemplate is the template of the object' })),
    }),
  ),
});
export type ActionSpec = Static<typeof ActionSpec>;

/** The foundation's own condition type: reason and message are optional. */
export const ActionConditionSchema = Type.Object({
  type: Type.String(),
  status: StringEnum(['True', 'False', 'Unknown']),
  lastTransitionTime: Type.Optional(Timestamp()),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

export const ActionStatus = Type.Object({
  conditions: Type.Optional(
    Type.Array(ActionConditionSchema, {
      description: 'Conditions represents the conditions of this resource on managed cluster',
    }),
  ),
  result: Type.Optional(
    Type.Unsafe<Record<string, unknown> | null>({
      type: 'object',
      nullable: true,
      'x-kubernetes-preserve-unknown-fields': true,
      description: 'Result references the related result of the action',
    }),
  ),
});
export type ActionStatus = Static<typeof ActionStatus>;

export const ManagedClusterActionSchema = kindSchema(ActionSpec, ActionStatus, {
  description: 'ManagedClusterAction is the action that will be done on a cluster',
});

export type ManagedClusterAction = Resource<ActionSpec, ActionStatus>;

export const managedClusterActionKind: KindDefinition = {
  group: actionGroup,
  kind: 'ManagedClusterAction',
  plural: 'managedclusteractions',
  singular: 'managedclusteraction',
  scope: 'Namespaced',
  versions: [{ name: viewActionVersion, schema: ManagedClusterActionSchema }],
};
