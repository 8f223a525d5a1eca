/** Restore (velero.io/v1): applies a Backup's resources back to the cluster (IBU post-pivot). */
import { Type, type Static } from '@sinclair/typebox';
import { FreeForm, StringEnum, StringMap, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import { NullableStrings } from './backup.ts';
import { group, restorePhases, version } from './constants.ts';
import { Duration, LabelSelector, TypedLocalObjectReference, type KindObject } from '../kube-types.ts';

export const RestoreSpec = Type.Object(
  {
    backupName: Type.Optional(
      Type.String({ description: 'BackupName is the unique name of the Velero backup to restore from.' }),
    ),
    scheduleName: Type.Optional(
      Type.String({ description: 'ScheduleName is the unique name of the Velero schedule to restore from.' }),
    ),
    includedNamespaces: Type.Optional(
      NullableStrings('IncludedNamespaces is a slice of namespace names to include objects from.'),
    ),
    excludedNamespaces: Type.Optional(
      NullableStrings(
        'ExcludedNamespaces contains a list of namespaces that are not included in the restore.',
      ),
    ),
    includedResources: Type.Optional(
      NullableStrings('IncludedResources is a slice of resource names to include in the restore.'),
    ),
    excludedResources: Type.Optional(
      NullableStrings('ExcludedResources is a slice of resource names that are not included in the restore.'),
    ),
    namespaceMapping: Type.Optional(
      StringMap({
        description:
          'NamespaceMapping is a map of source namespace names to target namespace names to restore into.',
      }),
    ),
    labelSelector: Type.Optional({ ...LabelSelector, nullable: true }),
    orLabelSelectors: Type.Optional(Type.Array(LabelSelector, { nullable: true })),
    restorePVs: Type.Optional(
      Type.Boolean({
        nullable: true,
        description: 'RestorePVs specifies whether to restore all included PVs from snapshot',
      }),
    ),
    restoreStatus: Type.Optional(
      Type.Object(
        {
          includedResources: Type.Optional(
            NullableStrings('IncludedResources specifies the resources to which will restore the status.'),
          ),
          excludedResources: Type.Optional(
            NullableStrings(
              'ExcludedResources specifies the resources to which will not restore the status.',
            ),
          ),
        },
        { nullable: true },
      ),
    ),
    preserveNodePorts: Type.Optional(Type.Boolean({ nullable: true })),
    includeClusterResources: Type.Optional(Type.Boolean({ nullable: true })),
    // Exec and init hooks carry whole container specs; kept as written rather than modelled.
    hooks: Type.Optional(
      FreeForm({
        description: 'Hooks represent custom behaviors that should be executed during or post restore.',
      }),
    ),
    existingResourcePolicy: Type.Optional(
      Type.String({
        nullable: true,
        description:
          'ExistingResourcePolicy specifies the restore behavior for the Kubernetes resource to be restored',
      }),
    ),
    itemOperationTimeout: Type.Optional(
      Duration('ItemOperationTimeout specifies the time used to wait for RestoreItemAction operations.'),
    ),
    resourceModifier: Type.Optional({ ...TypedLocalObjectReference, nullable: true }),
    uploaderConfig: Type.Optional(
      Type.Object(
        {
          writeSparseFiles: Type.Optional(Type.Boolean({ nullable: true })),
          parallelFilesDownload: Type.Optional(Type.Integer()),
        },
        { nullable: true },
      ),
    ),
  },
  { description: 'RestoreSpec defines the specification for a Velero restore.' },
);
export type RestoreSpec = Static<typeof RestoreSpec>;

export const RestoreStatus = Type.Object(
  {
    phase: Type.Optional(
      StringEnum(restorePhases, { description: 'Phase is the current state of the Restore' }),
    ),
    validationErrors: Type.Optional(
      NullableStrings('ValidationErrors is a slice of all validation errors (if applicable)'),
    ),
    warnings: Type.Optional(Type.Integer()),
    errors: Type.Optional(Type.Integer()),
    failureReason: Type.Optional(
      Type.String({ description: 'FailureReason is an error that caused the entire restore to fail.' }),
    ),
    startTimestamp: Type.Optional(Timestamp({ nullable: true })),
    completionTimestamp: Type.Optional(Timestamp({ nullable: true })),
    progress: Type.Optional(
      Type.Object(
        { totalItems: Type.Optional(Type.Integer()), itemsRestored: Type.Optional(Type.Integer()) },
        {
          nullable: true,
          description: "Progress contains information about the restore's execution progress.",
        },
      ),
    ),
    restoreItemOperationsAttempted: Type.Optional(Type.Integer()),
    restoreItemOperationsCompleted: Type.Optional(Type.Integer()),
    restoreItemOperationsFailed: Type.Optional(Type.Integer()),
    hookStatus: Type.Optional(
      Type.Object(
        { hooksAttempted: Type.Optional(Type.Integer()), hooksFailed: Type.Optional(Type.Integer()) },
        { nullable: true },
      ),
    ),
  },
  { description: 'RestoreStatus captures the current status of a Velero restore' },
);
export type RestoreStatus = Static<typeof RestoreStatus>;

export const Restore = kindSchema(RestoreSpec, RestoreStatus, {
  description:
    'Restore is a Velero resource that represents the application of resources from a Velero backup to a target Kubernetes cluster.',
});
export type Restore = KindObject<RestoreSpec, RestoreStatus>;

export const restoreKind: KindDefinition = {
  group,
  kind: 'Restore',
  plural: 'restores',
  singular: 'restore',
  scope: 'Namespaced',
  versions: [{ name: version, schema: Restore, status: false }],
};
