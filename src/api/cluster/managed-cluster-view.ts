/** ManagedClusterView: reads one resource of a managed cluster into the hub (status.result). */
import { Type, type Static } from '@sinclair/typebox';

import { Conditions, kindSchema, type KindDefinition } from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { viewActionVersion, viewGroup } from './constants.ts';

export const ViewScope = Type.Object({
  apiGroup: Type.Optional(Type.String({ description: 'Group is the api group of the resources' })),
  version: Type.Optional(Type.String({ description: 'Version is the version of the subject' })),
  kind: Type.Optional(Type.String({ description: 'Kind is the kind of the subject' })),
  resource: Type.Optional(Type.String({ description: 'Resource is the resource type of the subject' })),
  name: Type.Optional(Type.String({ description: 'Name is the name of the subject' })),
  namespace: Type.Optional(Type.String({ description: 'Namespace is the namespace of the subject' })),
  updateIntervalSeconds: Type.Optional(
    Type.Integer({ format: 'int32', description: 'UpdateIntervalSeconds is the interval to update view' }),
  ),
});

export const ViewSpec = Type.Object({
  scope: Type.Optional(ViewScope),
});
export type ViewSpec = Static<typeof ViewSpec>;

export const ViewStatus = Type.Object({
  conditions: Type.Optional(
    Conditions({ description: 'Conditions represents the conditions of this resource on managed cluster' }),
  ),
  result: Type.Optional(
    Type.Unsafe<Record<string, unknown> | null>({
      type: 'object',
      nullable: true,
      'x-kubernetes-preserve-unknown-fields': true,
      description: 'Result references the related result of the view',
    }),
  ),
});
export type ViewStatus = Static<typeof ViewStatus>;

export const ManagedClusterViewSchema = kindSchema(ViewSpec, ViewStatus, {
  description: 'ManagedClusterView is the view of resources on a managed cluster',
});

export type ManagedClusterView = Resource<ViewSpec, ViewStatus>;

export const managedClusterViewKind: KindDefinition = {
  group: viewGroup,
  kind: 'ManagedClusterView',
  plural: 'managedclusterviews',
  singular: 'managedclusterview',
  scope: 'Namespaced',
  versions: [{ name: viewActionVersion, schema: ManagedClusterViewSchema }],
};
