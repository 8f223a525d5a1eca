/** Backup (velero.io/v1): a capture of cluster state, as the IBU flow's OADP content declares it. */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, StringMap, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import { backupPhases, group, hookErrorModes, version } from './constants.ts';
import { Duration, LabelSelector, TypedLocalObjectReference, type KindObject } from '../kube-types.ts';

/** Upstream marks these lists `+nullable`: clients (and velero itself) send null for "unset". */
export const NullableStrings = (description: string) =>
  Type.Array(Type.String(), { description, nullable: true });

export const ExecHook = Type.Object({
  container: Type.Optional(
    Type.String({
      description: 'Container is the container in the pod where the command should be executed.',
    }),
  ),
  command: Type.Array(Type.String(), {
    minItems: 1,
    description: 'Command is the command and arguments to execute.',
  }),
  onError: Type.Optional(
    StringEnum(hookErrorModes, {
      description:
        'OnError specifies how Velero should behave if it encounters an error executing this hook.',
    }),
  ),
  timeout: Type.Optional(
    Duration('Timeout defines the maximum amount of time Velero should wait for the hook to complete.'),
  ),
});

const BackupResourceHook = Type.Object({ exec: ExecHook });

export const BackupResourceHookSpec = Type.Object({
  name: Type.String({ description: 'Name is the name of this hook.' }),
  includedNamespaces: Type.Optional(
    NullableStrings('IncludedNamespaces specifies the namespaces to which this hook spec applies.'),
  ),
  excludedNamespaces: Type.Optional(
    NullableStrings('ExcludedNamespaces specifies the namespaces to which this hook spec does not apply.'),
  ),
  includedResources: Type.Optional(
    NullableStrings('IncludedResources specifies the resources to which this hook spec applies.'),
  ),
  excludedResources: Type.Optional(
    NullableStrings('ExcludedResources specifies the resources to which this hook spec does not apply.'),
  ),
  labelSelector: Type.Optional({ ...LabelSelector, nullable: true }),
  pre: Type.Optional(
    Type.Array(BackupResourceHook, {
      description:
        'PreHooks is a list of BackupResourceHooks to execute prior to storing the item in the backup.',
    }),
  ),
  post: Type.Optional(
    Type.Array(BackupResourceHook, {
      description:
        'PostHooks is a list of BackupResourceHooks to execute after storing the item in the backup.',
    }),
  ),
});

export const BackupSpec = Type.Object(
  {
    metadata: Type.Optional(Type.Object({ labels: Type.Optional(StringMap()) })),
    includedNamespaces: Type.Optional(
      NullableStrings(
        'IncludedNamespaces is a slice of namespace names to include objects from. If empty, all namespaces are included.',
      ),
    ),
    excludedNamespaces: Type.Optional(
      NullableStrings(
        'ExcludedNamespaces contains a list of namespaces that are not included in the backup.',
      ),
    ),
    includedResources: Type.Optional(
      NullableStrings(
        'IncludedResources is a slice of resource names to include in the backup. If empty, all resources are included.',
      ),
    ),
    excludedResources: Type.Optional(
      NullableStrings('ExcludedResources is a slice of resource names that are not included in the backup.'),
    ),
    includedClusterScopedResources: Type.Optional(
      NullableStrings(
        'IncludedClusterScopedResources is a slice of cluster-scoped resource type names to include in the backup.',
      ),
    ),
    excludedClusterScopedResources: Type.Optional(
      NullableStrings(
        'ExcludedClusterScopedResources is a slice of cluster-scoped resource type names to exclude from the backup.',
      ),
    ),
    includedNamespaceScopedResources: Type.Optional(
      NullableStrings(
        'IncludedNamespaceScopedResources is a slice of namespace-scoped resource type names to include in the backup.',
      ),
    ),
    excludedNamespaceScopedResources: Type.Optional(
      NullableStrings(
        'ExcludedNamespaceScopedResources is a slice of namespace-scoped resource type names to exclude from the backup.',
      ),
    ),
    labelSelector: Type.Optional({
      ...LabelSelector,
      nullable: true,
      description:
        'LabelSelector is a metav1.LabelSelector to filter with when adding individual objects to the backup.',
    }),
    orLabelSelectors: Type.Optional(
      Type.Array(LabelSelector, {
        nullable: true,
        description:
          'OrLabelSelectors is list of metav1.LabelSelector to filter with when adding individual objects to the backup.',
      }),
    ),
    snapshotVolumes: Type.Optional(Type.Boolean({ nullable: true })),
    ttl: Type.Optional(
      Duration(
        'TTL is a time.Duration-parseable string describing how long the Backup should be retained for.',
      ),
    ),
    includeClusterResources: Type.Optional(Type.Boolean({ nullable: true })),
    hooks: Type.Optional(
      Type.Object(
        { resources: Type.Optional(Type.Array(BackupResourceHookSpec, { nullable: true })) },
        {
          description:
            'Hooks represent custom behaviors that should be executed at different phases of the backup.',
        },
      ),
    ),
    storageLocation: Type.Optional(
      Type.String({
        description:
          'StorageLocation is a string containing the name of a BackupStorageLocation where the backup should be stored.',
      }),
    ),
    volumeSnapshotLocations: Type.Optional(Type.Array(Type.String())),
    defaultVolumesToRestic: Type.Optional(Type.Boolean({ nullable: true })),
    defaultVolumesToFsBackup: Type.Optional(Type.Boolean({ nullable: true })),
    orderedResources: Type.Optional({ ...StringMap(), nullable: true }),
    csiSnapshotTimeout: Type.Optional(
      Duration(
        'CSISnapshotTimeout specifies the time used to wait for CSI VolumeSnapshot status turns to ReadyToUse.',
      ),
    ),
    itemOperationTimeout: Type.Optional(
      Duration(
        'ItemOperationTimeout specifies the time used to wait for asynchronous BackupItemAction operations.',
      ),
    ),
    resourcePolicy: Type.Optional(TypedLocalObjectReference),
    snapshotMoveData: Type.Optional(Type.Boolean({ nullable: true })),
    datamover: Type.Optional(Type.String()),
    uploaderConfig: Type.Optional(
      Type.Object({ parallelFilesUpload: Type.Optional(Type.Integer()) }, { nullable: true }),
    ),
  },
  { description: 'BackupSpec defines the specification for a Velero backup.' },
);
export type BackupSpec = Static<typeof BackupSpec>;

export const BackupStatus = Type.Object(
  {
    version: Type.Optional(Type.Integer()),
    formatVersion: Type.Optional(Type.String()),
    expiration: Type.Optional(
      Timestamp({
        nullable: true,
        description: 'Expiration is when this Backup is eligible for garbage-collection.',
      }),
    ),
    phase: Type.Optional(
      StringEnum(backupPhases, { description: 'Phase is the current state of the Backup.' }),
    ),
    queuePosition: Type.Optional(Type.Integer()),
    validationErrors: Type.Optional(
      NullableStrings('ValidationErrors is a slice of all validation errors (if applicable).'),
    ),
    startTimestamp: Type.Optional(
      Timestamp({ nullable: true, description: 'StartTimestamp records the time a backup was started.' }),
    ),
    completionTimestamp: Type.Optional(
      Timestamp({
        nullable: true,
        description: 'CompletionTimestamp records the time a backup was completed.',
      }),
    ),
    volumeSnapshotsAttempted: Type.Optional(Type.Integer()),
    volumeSnapshotsCompleted: Type.Optional(Type.Integer()),
    failureReason: Type.Optional(
      Type.String({ description: 'FailureReason is an error that caused the entire backup to fail.' }),
    ),
    warnings: Type.Optional(Type.Integer()),
    errors: Type.Optional(Type.Integer()),
    progress: Type.Optional(
      Type.Object(
        {
          totalItems: Type.Optional(
            Type.Integer({ description: 'TotalItems is the total number of items to be backed up.' }),
          ),
          itemsBackedUp: Type.Optional(
            Type.Integer({
              description:
                'ItemsBackedUp is the number of items that have actually been written to the backup tarball so far.',
            }),
          ),
        },
        {
          nullable: true,
          description: "Progress contains information about the backup's execution progress.",
        },
      ),
    ),
    csiVolumeSnapshotsAttempted: Type.Optional(Type.Integer()),
    csiVolumeSnapshotsCompleted: Type.Optional(Type.Integer()),
    backupItemOperationsAttempted: Type.Optional(Type.Integer()),
    backupItemOperationsCompleted: Type.Optional(Type.Integer()),
    backupItemOperationsFailed: Type.Optional(Type.Integer()),
    hookStatus: Type.Optional(
      Type.Object(
        { hooksAttempted: Type.Optional(Type.Integer()), hooksFailed: Type.Optional(Type.Integer()) },
        { nullable: true },
      ),
    ),
  },
  { description: 'BackupStatus captures the current status of a Velero backup.' },
);
export type BackupStatus = Static<typeof BackupStatus>;

export const Backup = kindSchema(BackupSpec, BackupStatus, {
  description:
    'Backup is a Velero resource that represents the capture of Kubernetes cluster state at a point in time (API objects and associated volume state).',
});
export type Backup = KindObject<BackupSpec, BackupStatus>;

export const backupKind: KindDefinition = {
  group,
  kind: 'Backup',
  plural: 'backups',
  singular: 'backup',
  scope: 'Namespaced',
  // Velero's CRDs have no status subresource: its controllers update the whole object.
  versions: [{ name: version, schema: Backup, status: false }],
};
