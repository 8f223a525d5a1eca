/**
 * DataProtectionApplication (oadp.openshift.io/v1alpha1): installs and configures Velero. Seed 000
 * requires `.spec.configuration.restic.enable: false` for image-based upgrades.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Conditions, FreeForm, StringEnum, StringMap, kindSchema, type KindDefinition } from '../kind.ts';
import { BackupStorageLocationSpec } from '../velero/backup-storage-location.ts';
import { SecretKeySelector, type KindObject } from '../kube-types.ts';
import {
  defaultPlugins,
  group,
  imagePullPolicies,
  logFormats,
  logLevels,
  uploaderTypes,
  version,
} from './constants.ts';

// OADP's configuration blocks are large and grow every release; the fields the IBU flow reads are
// modelled and the rest is kept as written.
const keepsUnknown = { 'x-kubernetes-preserve-unknown-fields': true } as const;

const PodConfig = () => FreeForm({ description: 'Pod specific configuration' });

export const VeleroConfig = Type.Object(
  {
    featureFlags: Type.Optional(
      Type.Array(Type.String(), {
        description: 'featureFlags defines the list of features to enable for Velero instance',
      }),
    ),
    defaultPlugins: Type.Optional(Type.Array(StringEnum(defaultPlugins))),
    customPlugins: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), image: Type.String() }), {
        description: 'customPlugins defines the custom plugin to be installed with Velero',
      }),
    ),
    restoreResourcesVersionPriority: Type.Optional(Type.String()),
    noDefaultBackupLocation: Type.Optional(
      Type.Boolean({
        description:
          'If you need to install Velero without a default backup storage location noDefaultBackupLocation flag is required for confirmation',
      }),
    ),
    podConfig: Type.Optional(PodConfig()),
    logLevel: Type.Optional(StringEnum(logLevels, { description: "Velero server's log level" })),
    itemOperationSyncFrequency: Type.Optional(Type.String()),
    defaultItemOperationTimeout: Type.Optional(Type.String()),
    defaultVolumesToFSBackup: Type.Optional(Type.Boolean()),
    disableFsBackup: Type.Optional(Type.Boolean({ default: false })),
    defaultSnapshotMoveData: Type.Optional(Type.Boolean()),
    disableInformerCache: Type.Optional(Type.Boolean()),
    resourceTimeout: Type.Optional(
      Type.String({
        description:
          'resourceTimeout defines how long to wait for several Velero resources before timeout occurs',
      }),
    ),
  },
  keepsUnknown,
);

const NodeAgentCommonFields = {
  enable: Type.Optional(
    Type.Boolean({
      description: 'enable defines a boolean pointer whether we want the daemonset to exist or not',
    }),
  ),
  supplementalGroups: Type.Optional(Type.Array(Type.Integer({ format: 'int64' }))),
  timeout: Type.Optional(
    Type.String({ description: 'timeout defines the NodeAgent timeout, default value is 1h' }),
  ),
  podConfig: Type.Optional(PodConfig()),
};

export const ResticConfig = Type.Object(NodeAgentCommonFields, {
  ...keepsUnknown,
  description: 'ResticConfig is the configuration for restic server',
});

export const NodeAgentConfig = Type.Object(
  {
    ...NodeAgentCommonFields,
    uploaderType: StringEnum(uploaderTypes, {
      description:
        "The type of uploader to transfer the data of pod volumes, the supported values are 'restic' or 'kopia'",
    }),
  },
  { ...keepsUnknown, description: 'NodeAgentConfig is the configuration for node server' },
);

export const ApplicationConfig = Type.Object(
  {
    velero: Type.Optional(VeleroConfig),
    restic: Type.Optional(ResticConfig),
    nodeAgent: Type.Optional(NodeAgentConfig),
  },
  {
    ...keepsUnknown,
    description: "configuration is used to configure the data protection application's server config",
  },
);

export const BackupLocation = Type.Object(
  {
    name: Type.Optional(Type.String()),
    velero: Type.Optional(BackupStorageLocationSpec),
    bucket: Type.Optional(
      FreeForm({
        description:
          'CloudStorageLocation defines BackupStorageLocation using bucket referenced by CloudStorage CR.',
      }),
    ),
  },
  { description: 'BackupLocation defines the configuration for the DPA backup storage' },
);

export const SnapshotLocation = Type.Object(
  {
    name: Type.Optional(Type.String()),
    velero: Type.Object(
      {
        provider: Type.String({ description: 'Provider is the provider of the volume storage.' }),
        config: Type.Optional(
          StringMap({ description: 'Config is for provider-specific configuration fields.' }),
        ),
        credential: Type.Optional(SecretKeySelector),
      },
      keepsUnknown,
    ),
  },
  { description: 'SnapshotLocation defines the configuration for the DPA snapshot store' },
);

export const DataProtectionApplicationSpec = Type.Object(
  {
    backupLocations: Type.Optional(
      Type.Array(BackupLocation, {
        description:
          'backupLocations defines the list of desired configuration to use for BackupStorageLocations',
      }),
    ),
    snapshotLocations: Type.Optional(
      Type.Array(SnapshotLocation, {
        description:
          'snapshotLocations defines the list of desired configuration to use for VolumeSnapshotLocations',
      }),
    ),
    unsupportedOverrides: Type.Optional(
      StringMap({ description: 'unsupportedOverrides can be used to override images used in deployments.' }),
    ),
    podAnnotations: Type.Optional(StringMap({ description: 'add annotations to pods deployed by operator' })),
    podDnsPolicy: Type.Optional(
      Type.String({ description: "podDnsPolicy defines how a pod's DNS will be configured." }),
    ),
    podDnsConfig: Type.Optional(
      FreeForm({
        description:
          'podDnsConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.',
      }),
    ),
    backupImages: Type.Optional(
      Type.Boolean({
        description:
          'backupImages is used to specify whether you want to deploy a registry for enabling backup and restore of images',
      }),
    ),
    configuration: ApplicationConfig,
    features: Type.Optional(
      FreeForm({
        description:
          'features defines the configuration for the DPA to enable the OADP tech preview features',
      }),
    ),
    imagePullPolicy: Type.Optional(StringEnum(imagePullPolicies)),
    nonAdmin: Type.Optional(
      FreeForm({
        description:
          'nonAdmin defines the configuration for the DPA to enable backup and restore operations for non-admin users',
      }),
    ),
    logFormat: Type.Optional(
      StringEnum(logFormats, {
        default: 'text',
        description: 'The format for log output. Valid values are text, json. (default text)',
      }),
    ),
  },
  { description: 'DataProtectionApplicationSpec defines the desired state of Velero' },
);
export type DataProtectionApplicationSpec = Static<typeof DataProtectionApplicationSpec>;

export const DataProtectionApplicationStatus = Type.Object(
  {
    conditions: Type.Optional(
      Conditions({ description: 'Conditions defines the observed state of DataProtectionApplication' }),
    ),
  },
  { description: 'DataProtectionApplicationStatus defines the observed state of DataProtectionApplication' },
);
export type DataProtectionApplicationStatus = Static<typeof DataProtectionApplicationStatus>;

export const DataProtectionApplication = kindSchema(
  DataProtectionApplicationSpec,
  DataProtectionApplicationStatus,
  {
    description:
      'DataProtectionApplication represents configuration to install a data protection application to safely backup and restore, perform disaster recovery and migrate Kubernetes cluster resources and persistent volumes.',
  },
);
export type DataProtectionApplication = KindObject<
  DataProtectionApplicationSpec,
  DataProtectionApplicationStatus
>;

export const dataProtectionApplicationKind: KindDefinition = {
  group,
  kind: 'DataProtectionApplication',
  plural: 'dataprotectionapplications',
  singular: 'dataprotectionapplication',
  shortNames: ['dpa'],
  scope: 'Namespaced',
  versions: [
    {
      name: version,
      schema: DataProtectionApplication,
      printerColumns: [
        {
          name: 'Reconciled',
          type: 'string',
          jsonPath: ".status.conditions[?(@.type=='Reconciled')].status",
          description: 'DataProtectionApplication Reconciled Status',
        },
        {
          name: 'Age',
          type: 'date',
          jsonPath: '.metadata.creationTimestamp',
          description: 'DataProtectionApplication creation timestamp',
        },
      ],
    },
  ],
};
