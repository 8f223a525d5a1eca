/** BackupStorageLocation (velero.io/v1): the object store Backups are written to. */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, StringMap, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import {
  backupStorageLocationAccessModes,
  backupStorageLocationPhases,
  group,
  version,
} from './constants.ts';
import { Duration, SecretKeySelector, type KindObject } from '../kube-types.ts';

export const ObjectStorageLocation = Type.Object(
  {
    bucket: Type.String({ description: 'Bucket is the bucket to use for object storage.' }),
    prefix: Type.Optional(
      Type.String({ description: 'Prefix is the path inside a bucket to use for Velero storage. Optional.' }),
    ),
    caCert: Type.Optional(
      Type.String({
        format: 'byte',
        description: 'CACert defines a CA bundle to use when verifying TLS connections to the provider.',
      }),
    ),
    caCertRef: Type.Optional(SecretKeySelector),
  },
  {
    description:
      "ObjectStorageLocation specifies the settings necessary to connect to a provider's object storage.",
  },
);

/** Shared with OADP's DataProtectionApplication, whose backupLocations[].velero is this spec. */
export const BackupStorageLocationSpec = Type.Object(
  {
    provider: Type.String({ description: 'Provider is the provider of the backup storage.' }),
    config: Type.Optional(
      StringMap({ description: 'Config is for provider-specific configuration fields.' }),
    ),
    credential: Type.Optional(SecretKeySelector),
    objectStorage: ObjectStorageLocation,
    default: Type.Optional(
      Type.Boolean({
        description: 'Default indicates this location is the default backup storage location.',
      }),
    ),
    accessMode: Type.Optional(
      StringEnum(backupStorageLocationAccessModes, {
        description: 'AccessMode defines the permissions for the backup storage location.',
      }),
    ),
    backupSyncPeriod: Type.Optional({
      ...Duration('BackupSyncPeriod defines how frequently to sync backup API objects from object storage.'),
      nullable: true,
    }),
    validationFrequency: Type.Optional({
      ...Duration('ValidationFrequency defines how frequently to validate the corresponding object storage.'),
      nullable: true,
    }),
  },
  { description: 'BackupStorageLocationSpec defines the desired state of a Velero BackupStorageLocation' },
);
export type BackupStorageLocationSpec = Static<typeof BackupStorageLocationSpec>;

export const BackupStorageLocationStatus = Type.Object(
  {
    phase: Type.Optional(
      StringEnum(backupStorageLocationPhases, {
        description: 'Phase is the current state of the BackupStorageLocation.',
      }),
    ),
    lastSyncedTime: Type.Optional(Timestamp({ nullable: true })),
    lastValidationTime: Type.Optional(
      Timestamp({
        nullable: true,
        description:
          'LastValidationTime is the last time the backup store location was validated the cluster.',
      }),
    ),
    message: Type.Optional(
      Type.String({ description: "Message is a message about the backup storage location's status." }),
    ),
    lastSyncedRevision: Type.Optional(Type.String()),
    accessMode: Type.Optional(StringEnum(backupStorageLocationAccessModes)),
  },
  { description: 'BackupStorageLocationStatus defines the observed state of BackupStorageLocation' },
);
export type BackupStorageLocationStatus = Static<typeof BackupStorageLocationStatus>;

export const BackupStorageLocation = kindSchema(BackupStorageLocationSpec, BackupStorageLocationStatus, {
  description: 'BackupStorageLocation is a location where Velero stores backup objects',
});
export type BackupStorageLocation = KindObject<BackupStorageLocationSpec, BackupStorageLocationStatus>;

export const backupStorageLocationKind: KindDefinition = {
  group,
  kind: 'BackupStorageLocation',
  plural: 'backupstoragelocations',
  singular: 'backupstoragelocation',
  shortNames: ['bsl'],
  scope: 'Namespaced',
  versions: [
    {
      name: version,
      schema: BackupStorageLocation,
      status: false,
      printerColumns: [
        {
          name: 'Phase',
          type: 'string',
          jsonPath: '.status.phase',
          description: 'Backup Storage Location status such as Available/Unavailable',
        },
        {
          name: 'Last Validated',
          type: 'date',
          jsonPath: '.status.lastValidationTime',
          description: 'LastValidationTime is the last time the backup store location was validated',
        },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        {
          name: 'Default',
          type: 'boolean',
          jsonPath: '.spec.default',
          description: 'Default backup storage location',
        },
      ],
    },
  ],
};
