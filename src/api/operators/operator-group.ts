/** OperatorGroup: the namespaces the operators installed in its namespace watch (seed 003 §4.3). */
import { Type, type Static } from '@sinclair/typebox';

import { Conditions, FreeForm, StringEnum, kindSchema, type KindDefinition } from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { UpgradeStrategies, group, v1 } from './constants.ts';

export const OperatorGroupSpec = Type.Object(
  {
    selector: Type.Optional(
      FreeForm({ description: 'Selector selects the OperatorGroup’s target namespaces.' }),
    ),
    targetNamespaces: Type.Optional(
      Type.Array(Type.String(), {
        description: 'TargetNamespaces is an explicit set of namespaces to target.',
        'x-kubernetes-list-type': 'set',
      }),
    ),
    serviceAccountName: Type.Optional(Type.String()),
    staticProvidedAPIs: Type.Optional(Type.Boolean()),
    upgradeStrategy: Type.Optional(
      StringEnum(UpgradeStrategies, {
        default: 'Default',
        description: 'UpgradeStrategy defines the upgrade strategy for operators in the namespace.',
      }),
    ),
  },
  {
    description: 'OperatorGroupSpec is the spec for an OperatorGroup resource.',
    default: { upgradeStrategy: 'Default' },
  },
);
export type OperatorGroupSpec = Static<typeof OperatorGroupSpec>;

export const OperatorGroupStatus = Type.Object({
  namespaces: Type.Optional(
    Type.Array(Type.String(), {
      description: 'Namespaces is the set of target namespaces for the OperatorGroup.',
    }),
  ),
  serviceAccountRef: Type.Optional(FreeForm()),
  lastUpdated: Type.Optional(
    Type.Unsafe<string | null>({ type: 'string', format: 'date-time', nullable: true }),
  ),
  conditions: Type.Optional(Conditions()),
});
export type OperatorGroupStatus = Static<typeof OperatorGroupStatus>;

export const OperatorGroupSchema = kindSchema(OperatorGroupSpec, OperatorGroupStatus, {
  description: 'OperatorGroup is the unit of multitenancy for OLM managed operators.',
});

export type OperatorGroup = Resource<OperatorGroupSpec, OperatorGroupStatus>;

export const operatorGroupKind: KindDefinition = {
  group,
  kind: 'OperatorGroup',
  plural: 'operatorgroups',
  singular: 'operatorgroup',
  shortNames: ['og'],
  categories: ['olm'],
  scope: 'Namespaced',
  versions: [{ name: v1, schema: OperatorGroupSchema }],
};
