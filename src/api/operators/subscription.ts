/** Subscription: keeps an operator package installed and updated from a catalog channel (seed 003 §4.3). */
import { Type, type Static } from '@sinclair/typebox';

import {
  FreeForm,
  StringEnum,
  StringMap,
  Timestamp,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { Approvals, group, v1alpha1 } from './constants.ts';

export const SubscriptionConfig = Type.Object(
  {
    selector: Type.Optional(
      FreeForm({ description: 'Selector is the label selector for pods to be configured.' }),
    ),
    nodeSelector: Type.Optional(
      StringMap({
        description: 'NodeSelector is a selector which must be true for the pod to fit on a node.',
      }),
    ),
    tolerations: Type.Optional(
      Type.Array(FreeForm(), { description: 'Tolerations are the pod’s tolerations.' }),
    ),
    resources: Type.Optional(
      FreeForm({ description: 'Resources represents compute resources required by this container.' }),
    ),
    envFrom: Type.Optional(Type.Array(FreeForm())),
    env: Type.Optional(
      Type.Array(FreeForm(), {
        description: 'Env is a list of environment variables to set in the container.',
      }),
    ),
    volumes: Type.Optional(Type.Array(FreeForm())),
    volumeMounts: Type.Optional(Type.Array(FreeForm())),
    affinity: Type.Optional(FreeForm()),
    annotations: Type.Optional(StringMap()),
  },
  { description: 'SubscriptionConfig contains configuration specified for a subscription.' },
);

export const SubscriptionSpec = Type.Object({
  source: Type.String({ description: 'The name of the CatalogSource providing the package.' }),
  sourceNamespace: Type.String({ description: 'The namespace of the CatalogSource.' }),
  name: Type.String({ description: 'The package name.' }),
  channel: Type.Optional(Type.String({ description: 'The channel of updates to subscribe to.' })),
  startingCSV: Type.Optional(Type.String()),
  installPlanApproval: Type.Optional(
    StringEnum(Approvals, { description: 'Approval is the user approval policy for an InstallPlan.' }),
  ),
  config: Type.Optional(SubscriptionConfig),
});
export type SubscriptionSpec = Static<typeof SubscriptionSpec>;

export const SubscriptionCondition = Type.Object({
  type: Type.String(),
  status: StringEnum(['True', 'False', 'Unknown']),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastHeartbeatTime: Type.Optional(Timestamp()),
  lastTransitionTime: Type.Optional(Timestamp()),
});

export const SubscriptionStatus = Type.Object({
  currentCSV: Type.Optional(
    Type.String({ description: 'CurrentCSV is the CSV the Subscription is progressing to.' }),
  ),
  installedCSV: Type.Optional(
    Type.String({ description: 'InstalledCSV is the CSV currently installed by the Subscription.' }),
  ),
  installplan: Type.Optional(
    Type.Object({ apiVersion: Type.String(), kind: Type.String(), name: Type.String(), uuid: Type.String() }),
  ),
  state: Type.Optional(
    Type.String({ description: 'State represents the current state of the Subscription' }),
  ),
  reason: Type.Optional(Type.String()),
  installPlanGeneration: Type.Optional(Type.Integer()),
  installPlanRef: Type.Optional(FreeForm()),
  catalogHealth: Type.Optional(Type.Array(FreeForm())),
  conditions: Type.Optional(
    Type.Array(SubscriptionCondition, {
      description:
        'Conditions is a list of the latest available observations about a Subscription’s current state.',
    }),
  ),
  lastUpdated: Type.Optional(
    Timestamp({
      description: 'LastUpdated represents the last time that the Subscription status was updated.',
    }),
  ),
});
export type SubscriptionStatus = Static<typeof SubscriptionStatus>;

export const SubscriptionSchema = kindSchema(SubscriptionSpec, SubscriptionStatus, {
  description: 'Subscription keeps operators up to date by tracking changes to Catalogs.',
});

export type Subscription = Resource<SubscriptionSpec, SubscriptionStatus>;

const printerColumns: readonly PrinterColumn[] = [
  { name: 'Package', type: 'string', jsonPath: '.spec.name', description: 'The package subscribed to' },
  {
    name: 'Source',
    type: 'string',
    jsonPath: '.spec.source',
    description: 'The catalog source for the specified package',
  },
  {
    name: 'Channel',
    type: 'string',
    jsonPath: '.spec.channel',
    description: 'The channel of updates to subscribe to',
  },
];

export const subscriptionKind: KindDefinition = {
  group,
  kind: 'Subscription',
  plural: 'subscriptions',
  singular: 'subscription',
  shortNames: ['sub', 'subs'],
  categories: ['olm'],
  scope: 'Namespaced',
  versions: [{ name: v1alpha1, schema: SubscriptionSchema, printerColumns }],
};
