/** EtcdSpec: managed (a StatefulSet on the management cluster) or unmanaged (user-supplied) etcd. */
import { Type, type Static } from '@sinclair/typebox';

import { Quantity, StringEnum } from '../kind.ts';
import { LocalObjectReference, immutable, rules } from './common.ts';

export const PersistentVolumeEtcdStorageSpec = Type.Object({
  storageClassName: Type.Optional(
    Type.String({
      description: 'storageClassName is the StorageClass of the data volume for each etcd member.',
      ...rules(immutable('storageClassName is immutable')),
    }),
  ),
  size: Type.Optional(
    Quantity({
      description: 'size is the minimum size of the data volume for each etcd member.',
      default: '8Gi',
      ...rules(immutable('Etcd PV storage size is immutable')),
    }),
  ),
});

export const ManagedEtcdStorageSpec = Type.Object(
  {
    type: StringEnum(['PersistentVolume'], {
      description: 'type is the kind of persistent storage implementation to use for etcd.',
    }),
    persistentVolume: Type.Optional(PersistentVolumeEtcdStorageSpec),
    restoreSnapshotURL: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'restoreSnapshotURL allows an optional URL to be provided where an etcd snapshot can be downloaded.',
        ...rules(
          { rule: 'self.size() <= 1', message: "RestoreSnapshotURL shouldn't contain more than 1 entry" },
          immutable('restoreSnapshotURL is immutable'),
          {
            rule: "self.size() == 0 || self[0].matches('^(https|s3)://.*')",
            message: 'restoreSnapshotURL must be a valid URL with scheme https or s3',
          },
        ),
      }),
    ),
  },
  {
    description: 'storage specifies how etcd data is persisted.',
    ...rules({
      rule: 'has(self.restoreSnapshotURL) == has(oldSelf.restoreSnapshotURL)',
      message: 'restoreSnapshotURL cannot be added or removed after creation',
    }),
  },
);

export const ManagedEtcdSpec = Type.Object({ storage: ManagedEtcdStorageSpec });

export const UnmanagedEtcdSpec = Type.Object({
  endpoint: Type.String({
    description: 'endpoint is the full etcd cluster client endpoint URL.',
    pattern: '^https://',
  }),
  tls: Type.Object({ clientSecret: LocalObjectReference }),
});

export const EtcdSpec = Type.Object(
  {
    managementType: StringEnum(['Managed', 'Unmanaged'], {
      description: 'managementType defines how the etcd cluster is managed.',
      ...rules(immutable('managementType is immutable')),
    }),
    managed: Type.Optional(ManagedEtcdSpec),
    unmanaged: Type.Optional(UnmanagedEtcdSpec),
  },
  {
    description: 'etcd specifies configuration for the control plane etcd cluster.',
    default: {
      managementType: 'Managed',
      managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } },
    },
    ...rules(
      {
        rule: "self.managementType == 'Managed' ? has(self.managed) : !has(self.managed)",
        message: 'Only managed configuration must be set when managementType is Managed',
      },
      {
        rule: "self.managementType == 'Unmanaged' ? has(self.unmanaged) : !has(self.unmanaged)",
        message: 'Only unmanaged configuration must be set when managementType is Unmanaged',
      },
    ),
  },
);
export type EtcdSpec = Static<typeof EtcdSpec>;
