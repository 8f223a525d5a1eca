/**
 * HostedControlPlane: the control plane namespace's view of a HostedCluster, which the HostedCluster
 * controller writes and the control-plane operator reconciles (seed 003 §6.4, §6.7, §8.4).
 */
import { Type, type Static } from '@sinclair/typebox';

import {
  Conditions,
  FreeForm,
  StringEnum,
  StringMap,
  Timestamp,
  kindSchema,
  type KindDefinition,
} from '../kind.ts';
import { ClusterConfiguration } from './cluster-configuration.ts';
import { ClusterVersionStatus } from './cluster-version-status.ts';
import {
  APIEndpoint,
  AvailabilityPolicies,
  ImageContentSource,
  OLMCatalogPlacement,
  PausedUntil,
  SecretEncryptionSpec,
  Toleration,
  localRef,
  release,
} from './common.ts';
import { group, servedVersions, storageVersion } from './constants.ts';
import { EtcdSpec } from './etcd.ts';
import { DNSSpec } from './dns.ts';
import { ClusterNetworking } from './networking.ts';
import { PlatformSpec } from './platform.ts';
import type { Resource } from '../kube-types.ts';
import { ServicePublishingStrategyMapping } from './services.ts';

const KubeconfigSecretRef = Type.Object({
  name: Type.String(),
  key: Type.String(),
});

export const HostedControlPlaneSpec = Type.Object(
  {
    releaseImage: Type.Optional(
      Type.String({ description: 'releaseImage is the release image applied to the hosted control plane.' }),
    ),
    // Seed 003 §6.4 names the field `HostedControlPlane.spec.release`; the HostedCluster controller
    // writes both it and upstream's `releaseImage`.
    release: Type.Optional(release('release mirrors HostedCluster.spec.release (seed 003 §6.4).')),
    controlPlaneReleaseImage: Type.Optional(Type.String()),
    updateService: Type.Optional(Type.String()),
    channel: Type.Optional(
      Type.String({
        description:
          'channel is an identifier for explicitly requesting that a non-default set of updates be applied to this cluster.',
      }),
    ),
    pullSecret: Type.Optional(localRef()),
    issuerURL: Type.Optional(Type.String()),
    networking: Type.Optional(ClusterNetworking),
    sshKey: Type.Optional(localRef()),
    clusterID: Type.Optional(Type.String()),
    infraID: Type.Optional(Type.String()),
    platform: Type.Optional(PlatformSpec),
    dns: Type.Optional(DNSSpec),
    serviceAccountSigningKey: Type.Optional(localRef()),
    controllerAvailabilityPolicy: Type.Optional(
      StringEnum(AvailabilityPolicies, { default: 'HighlyAvailable' }),
    ),
    infrastructureAvailabilityPolicy: Type.Optional(
      StringEnum(AvailabilityPolicies, { default: 'SingleReplica' }),
    ),
    fips: Type.Optional(Type.Boolean()),
    kubeconfig: Type.Optional(KubeconfigSecretRef),
    services: Type.Optional(Type.Array(ServicePublishingStrategyMapping)),
    auditWebhook: Type.Optional(localRef()),
    etcd: Type.Optional(EtcdSpec),
    configuration: Type.Optional(ClusterConfiguration),
    imageContentSources: Type.Optional(Type.Array(ImageContentSource)),
    additionalTrustBundle: Type.Optional(localRef()),
    secretEncryption: Type.Optional(SecretEncryptionSpec),
    // Seed 003 §9.2: set automatically from the HostedCluster's pausedUntil.
    pausedUntil: Type.Optional(
      PausedUntil('pausedUntil is a field that can be used to pause reconciliation on a resource.'),
    ),
    olmCatalogPlacement: Type.Optional(OLMCatalogPlacement),
    nodeSelector: Type.Optional(StringMap()),
    tolerations: Type.Optional(Type.Array(Toleration)),
    labels: Type.Optional(StringMap()),
  },
  { description: 'HostedControlPlaneSpec defines the desired state of HostedControlPlane' },
);
export type HostedControlPlaneSpec = Static<typeof HostedControlPlaneSpec>;

export const HostedControlPlaneStatus = Type.Object({
  conditions: Type.Optional(Conditions()),
  ready: Type.Optional(
    Type.Boolean({
      default: false,
      description: 'ready denotes that the HostedControlPlane API Server is ready to receive requests',
    }),
  ),
  initialized: Type.Optional(
    Type.Boolean({
      default: false,
      description: 'initialized denotes whether or not the control plane has provided a kubeadm-config.',
    }),
  ),
  externalManagedControlPlane: Type.Optional(Type.Boolean({ default: true })),
  controlPlaneEndpoint: Type.Optional(APIEndpoint),
  oauthCallbackURLTemplate: Type.Optional(Type.String()),
  versionStatus: Type.Optional(ClusterVersionStatus),
  version: Type.Optional(
    Type.String({
      description:
        'version is the semantic version of the release applied by the hosted control plane operator',
    }),
  ),
  releaseImage: Type.Optional(
    Type.String({ description: 'releaseImage is the release image applied to the hosted control plane.' }),
  ),
  lastReleaseImageTransitionTime: Type.Optional(Timestamp()),
  kubeConfig: Type.Optional(KubeconfigSecretRef),
  kubeadminPassword: Type.Optional(localRef()),
  platform: Type.Optional(FreeForm()),
  nodeCount: Type.Optional(Type.Integer()),
  configuration: Type.Optional(FreeForm()),
});
export type HostedControlPlaneStatus = Static<typeof HostedControlPlaneStatus>;

export const HostedControlPlaneSchema = kindSchema(HostedControlPlaneSpec, HostedControlPlaneStatus, {
  description: 'HostedControlPlane defines the desired state of HostedControlPlane',
});

export type HostedControlPlane = Resource<HostedControlPlaneSpec, HostedControlPlaneStatus>;

export const hostedControlPlaneKind: KindDefinition = {
  group,
  kind: 'HostedControlPlane',
  plural: 'hostedcontrolplanes',
  singular: 'hostedcontrolplane',
  shortNames: ['hcp', 'hcps'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  versions: servedVersions.map((name) => ({
    name,
    schema: HostedControlPlaneSchema,
    storage: name === storageVersion,
  })),
};
