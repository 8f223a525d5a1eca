/**
 * SiteConfig (ran.openshift.io/v1, GitOps ZTP): how a single-node cluster is installed. Seed 002
 * uses its `diskPartition` to create the `/var/recovery` partition that `upgrade-recovery.sh`
 * restores from; the nodes' fields the seeds and recovery need are modelled, the rest is kept.
 */
import { Type, type Static } from '@sinclair/typebox';
import { FreeForm, kindSchema, StringEnum, StringMap, type KindDefinition } from '../kind.ts';
import type { KindObject } from '../kube-types.ts';
import { group } from './constants.ts';

export const Partition = Type.Object({
  mount_point: Type.String({ description: 'Where the partition is mounted, e.g. /var/recovery.' }),
  size: Type.Integer({ minimum: 1, description: 'Size in MiB.' }),
  start: Type.Integer({ minimum: 0, description: 'Start on the device in MiB.' }),
  label: Type.Optional(Type.String()),
  format: Type.Optional(Type.String()),
});

export const DiskPartition = Type.Object({
  device: Type.String({ description: 'The disk, e.g. /dev/sda.' }),
  partitions: Type.Array(Partition),
});

export const RootDeviceHints = Type.Object({
  deviceName: Type.Optional(Type.String()),
  hctl: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  vendor: Type.Optional(Type.String()),
  serialNumber: Type.Optional(Type.String()),
  minSizeGigabytes: Type.Optional(Type.Integer()),
  wwn: Type.Optional(Type.String()),
  rotational: Type.Optional(Type.Boolean()),
});

export const SiteConfigNode = Type.Object({
  hostName: Type.String(),
  role: Type.Optional(StringEnum(['master', 'worker'])),
  bmcAddress: Type.Optional(Type.String()),
  bmcCredentialsName: Type.Optional(Type.Object({ name: Type.String() })),
  bootMACAddress: Type.Optional(Type.String()),
  bootMode: Type.Optional(StringEnum(['UEFI', 'UEFISecureBoot', 'legacy'])),
  rootDeviceHints: Type.Optional(RootDeviceHints),
  diskPartition: Type.Optional(Type.Array(DiskPartition)),
  nodeNetwork: Type.Optional(FreeForm()),
  nodeLabels: Type.Optional(StringMap()),
  installerArgs: Type.Optional(Type.String()),
  ignitionConfigOverride: Type.Optional(Type.String()),
  automatedCleaningMode: Type.Optional(StringEnum(['disabled', 'metadata'])),
  cpuset: Type.Optional(Type.String()),
});
export type SiteConfigNode = Static<typeof SiteConfigNode>;

export const SiteConfigCluster = Type.Object({
  clusterName: Type.String(),
  networkType: Type.Optional(Type.String()),
  clusterLabels: Type.Optional(StringMap()),
  clusterNetwork: Type.Optional(Type.Array(FreeForm())),
  machineNetwork: Type.Optional(Type.Array(FreeForm())),
  serviceNetwork: Type.Optional(Type.Array(Type.String())),
  installConfigOverrides: Type.Optional(Type.String()),
  holdInstallation: Type.Optional(Type.Boolean()),
  nodes: Type.Array(SiteConfigNode),
});

export const SiteConfigSpec = Type.Object({
  baseDomain: Type.Optional(Type.String()),
  pullSecretRef: Type.Optional(Type.Object({ name: Type.String() })),
  clusterImageSetNameRef: Type.Optional(Type.String()),
  sshPublicKey: Type.Optional(Type.String()),
  sshPrivateKeySecretRef: Type.Optional(Type.Object({ name: Type.String() })),
  clusters: Type.Array(SiteConfigCluster),
});
export type SiteConfigSpec = Static<typeof SiteConfigSpec>;

export const SiteConfig = kindSchema(SiteConfigSpec, undefined, {
  description: 'SiteConfig describes the clusters of a site.',
});
export type SiteConfig = KindObject<SiteConfigSpec>;

export const siteConfigKind: KindDefinition = {
  group,
  kind: 'SiteConfig',
  plural: 'siteconfigs',
  singular: 'siteconfig',
  scope: 'Namespaced',
  versions: [{ name: 'v1', schema: SiteConfig, status: false }],
};
