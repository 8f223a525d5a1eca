/** MachineConfig (machineconfiguration.openshift.io/v1, cluster-scoped): a piece of node OS configuration. */
import { Type, type Static } from '@sinclair/typebox';
import { FreeForm, kindSchema, type KindDefinition } from '../kind.ts';
import type { KindObject } from '../kube-types.ts';
import { group, version } from './constants.ts';

export const MachineConfigSpec = Type.Object(
  {
    osImageURL: Type.Optional(
      Type.String({
        description: 'OSImageURL specifies the remote location that will be used to fetch the OS.',
      }),
    ),
    baseOSExtensionsContainerImage: Type.Optional(
      Type.String({
        description:
          'BaseOSExtensionsContainerImage specifies the remote location that will be used to fetch the extensions container matching a new-format OS image',
      }),
    ),
    // An Ignition config (storage, systemd, passwd…): kept as written, as upstream does.
    config: Type.Optional(FreeForm({ description: 'Config is a Ignition Config object.' })),
    kernelArguments: Type.Optional(
      Type.Array(Type.String(), {
        nullable: true,
        description: 'kernelArguments contains a list of kernel arguments to be added',
      }),
    ),
    extensions: Type.Optional(
      Type.Array(Type.String(), {
        nullable: true,
        description: 'extensions contains a list of additional features that can be enabled on host',
      }),
    ),
    fips: Type.Optional(Type.Boolean({ description: 'fips controls FIPS mode' })),
    kernelType: Type.Optional(
      Type.String({
        description:
          'kernelType contains which kernel we want to be running like default (traditional), realtime, 64k-pages (aarch64 only).',
      }),
    ),
  },
  { description: 'MachineConfigSpec is the spec for MachineConfig' },
);
export type MachineConfigSpec = Static<typeof MachineConfigSpec>;

export const MachineConfig = kindSchema(MachineConfigSpec, undefined, {
  description: 'MachineConfig defines the configuration for a machine',
});
export type MachineConfig = KindObject<MachineConfigSpec>;

export const machineConfigKind: KindDefinition = {
  group,
  kind: 'MachineConfig',
  plural: 'machineconfigs',
  singular: 'machineconfig',
  shortNames: ['mc'],
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: MachineConfig,
      status: false,
      printerColumns: [
        {
          name: 'GeneratedByController',
          type: 'string',
          jsonPath:
            '.metadata.annotations.machineconfiguration\\.openshift\\.io/generated-by-controller-version',
          description:
            'Version of the controller that generated the machineconfig. This will be empty if the machineconfig is not managed by a controller.',
        },
        {
          name: 'IgnitionVersion',
          type: 'string',
          jsonPath: '.spec.config.ignition.version',
          description: 'Version of the Ignition Config defined in the machineconfig.',
        },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
    },
  ],
};
