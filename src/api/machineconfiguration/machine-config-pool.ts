/**
 * MachineConfigPool (machineconfiguration.openshift.io/v1, cluster-scoped): a set of nodes that get
 * the same rendered MachineConfig. Pausing a pool holds its nodes' OS updates (seeds 001, 002).
 */
import { Type, type Static } from '@sinclair/typebox';
import { IntOrString, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import { LabelSelector, requireSpec, type KindObject } from '../kube-types.ts';
import { group, version } from './constants.ts';

const ObjectReferenceFields = {
  apiVersion: Type.Optional(Type.String()),
  fieldPath: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
};

export const MachineConfigPoolStatusConfiguration = Type.Object(
  {
    ...ObjectReferenceFields,
    source: Type.Optional(
      Type.Array(Type.Object(ObjectReferenceFields, { 'x-kubernetes-map-type': 'atomic' }), {
        description:
          'source is the list of MachineConfig objects that were used to generate the single MachineConfig object specified in `content`.',
      }),
    ),
  },
  {
    description:
      'MachineConfigPoolStatusConfiguration stores the current configuration for the pool, and optionally also stores the list of MachineConfig objects used to generate the configuration.',
  },
);

export const MachineConfigPoolSpec = Type.Object(
  {
    machineConfigSelector: Type.Optional({
      ...LabelSelector,
      description: 'machineConfigSelector specifies a label selector for MachineConfigs.',
    }),
    nodeSelector: Type.Optional({
      ...LabelSelector,
      description: 'nodeSelector specifies a label selector for Machines',
    }),
    paused: Type.Optional(
      Type.Boolean({
        description: 'paused specifies whether or not changes to this machine config pool should be stopped.',
      }),
    ),
    maxUnavailable: Type.Optional(
      IntOrString({
        anyOf: [{ type: 'integer' }, { type: 'string' }],
        description:
          'maxUnavailable defines either an integer number or percentage of nodes in the pool that can go Unavailable during an update.',
      }),
    ),
    configuration: Type.Optional(MachineConfigPoolStatusConfiguration),
    pinnedImageSets: Type.Optional(
      Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 253 }) }), {
        maxItems: 100,
        description: 'pinnedImageSets specifies a sequence of PinnedImageSetRef objects for the pool.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ),
  },
  { description: 'MachineConfigPoolSpec is the spec for MachineConfigPool resource.' },
);
export type MachineConfigPoolSpec = Static<typeof MachineConfigPoolSpec>;

export const MachineConfigPoolCondition = Type.Object({
  type: Type.Optional(
    Type.String({ description: "type of the condition, currently ('Done', 'Updating', 'Failed')." }),
  ),
  status: Type.Optional(
    Type.String({ description: "status of the condition, one of ('True', 'False', 'Unknown')." }),
  ),
  lastTransitionTime: Type.Optional(
    Timestamp({
      nullable: true,
      description:
        'lastTransitionTime is the timestamp corresponding to the last status change of this condition.',
    }),
  ),
  reason: Type.Optional(
    Type.String({
      description: "reason is a brief machine readable explanation for the condition's last transition.",
    }),
  ),
  message: Type.Optional(
    Type.String({
      description:
        'message is a human readable description of the details of the last transition, complementing reason.',
    }),
  ),
});
export type MachineConfigPoolCondition = Static<typeof MachineConfigPoolCondition>;

const MachineCount = (description: string) => Type.Optional(Type.Integer({ format: 'int32', description }));

export const MachineConfigPoolStatus = Type.Object(
  {
    observedGeneration: Type.Optional(
      Type.Integer({
        format: 'int64',
        description: 'observedGeneration represents the generation observed by the controller.',
      }),
    ),
    configuration: Type.Optional(MachineConfigPoolStatusConfiguration),
    machineCount: MachineCount(
      'machineCount represents the total number of machines in the machine config pool.',
    ),
    updatedMachineCount: MachineCount(
      'updatedMachineCount represents the total number of machines targeted by the pool that have the CurrentMachineConfig as their config.',
    ),
    readyMachineCount: MachineCount(
      'readyMachineCount represents the total number of ready machines targeted by the pool.',
    ),
    unavailableMachineCount: MachineCount(
      'unavailableMachineCount represents the total number of unavailable (non-ready) machines targeted by the pool.',
    ),
    degradedMachineCount: MachineCount(
      'degradedMachineCount represents the total number of machines marked degraded (or unreconcilable).',
    ),
    conditions: Type.Optional(
      Type.Array(MachineConfigPoolCondition, {
        description: 'conditions represents the latest available observations of current state.',
        'x-kubernetes-list-type': 'atomic',
      }),
    ),
    certExpirys: Type.Optional(
      Type.Array(
        Type.Object({
          bundle: Type.String({
            description: 'bundle is the name of the bundle in which the subject certificate resides',
          }),
          subject: Type.String({ description: 'subject is the subject of the certificate' }),
          expiry: Type.Optional(
            Timestamp({
              description: 'expiry is the date after which the certificate will no longer be valid',
            }),
          ),
        }),
        {
          description: 'certExpirys keeps track of important certificate expiration data',
          'x-kubernetes-list-type': 'atomic',
        },
      ),
    ),
  },
  { description: 'MachineConfigPoolStatus is the status for MachineConfigPool resource.' },
);
export type MachineConfigPoolStatus = Static<typeof MachineConfigPoolStatus>;

export const MachineConfigPool = requireSpec(
  kindSchema(MachineConfigPoolSpec, MachineConfigPoolStatus, {
    description: 'MachineConfigPool describes a pool of MachineConfigs.',
  }),
);
export type MachineConfigPool = KindObject<MachineConfigPoolSpec, MachineConfigPoolStatus>;

export const machineConfigPoolKind: KindDefinition = {
  group,
  kind: 'MachineConfigPool',
  plural: 'machineconfigpools',
  singular: 'machineconfigpool',
  shortNames: ['mcp'],
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: MachineConfigPool,
      printerColumns: [
        { name: 'Config', type: 'string', jsonPath: '.status.configuration.name' },
        {
          name: 'Updated',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Updated")].status',
          description: 'When all the machines in the pool are updated to the correct machine config.',
        },
        {
          name: 'Updating',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Updating")].status',
          description:
            'When at least one of machine is not either not updated or is in the process of updating to the desired machine config.',
        },
        {
          name: 'Degraded',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Degraded")].status',
          description:
            'When progress is blocked on updating one or more nodes or the pool configuration is failing.',
        },
        {
          name: 'MachineCount',
          type: 'number',
          jsonPath: '.status.machineCount',
          description: 'Total number of machines in the machine config pool',
        },
        {
          name: 'ReadyMachineCount',
          type: 'number',
          jsonPath: '.status.readyMachineCount',
          description: 'Total number of ready machines targeted by the pool',
        },
        {
          name: 'UpdatedMachineCount',
          type: 'number',
          jsonPath: '.status.updatedMachineCount',
          description:
            'Total number of machines targeted by the pool that have the CurrentMachineConfig as their config',
        },
        {
          name: 'DegradedMachineCount',
          type: 'number',
          jsonPath: '.status.degradedMachineCount',
          description: 'Total number of machines marked degraded (or unreconcilable)',
        },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
    },
  ],
};
