/**
 * HostedCluster: a control plane (etcd, API server, controllers) running as workloads of the
 * management cluster, with no nodes of its own (seed 003 ch. 1).
 *
 * Upstream requires release, platform, networking, services, pullSecret and sshKey. Seed 003 shows
 * partial HostedClusters (only `spec.configuration`) as complete manifests, so the schema leaves the
 * top-level spec fields optional; the HostedCluster controller reports `ValidConfiguration=False`
 * for a cluster that lacks one.
 */
import { Type, type Static } from '@sinclair/typebox';

import {
  Conditions,
  FreeForm,
  StringEnum,
  StringMap,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import { ClusterConfiguration } from './cluster-configuration.ts';
import { ClusterVersionStatus } from './cluster-version-status.ts';
import {
  APIEndpoint,
  AvailabilityPolicies,
  ImageContentSource,
  OLMCatalogPlacement,
  PausedUntil,
  release,
  SecretEncryptionSpec,
  Toleration,
  immutable,
  immutableOnceSet,
  localRef,
  rules,
} from './common.ts';
import { group, servedVersions, storageVersion } from './constants.ts';
import { DNSSpec } from './dns.ts';
import { EtcdSpec } from './etcd.ts';
import { ClusterNetworking } from './networking.ts';
import { PlatformSpec } from './platform.ts';
import type { Resource } from '../kube-types.ts';
import { ServicePublishingStrategyMapping } from './services.ts';

export const ClusterAutoscaling = Type.Object({
  maxNodesTotal: Type.Optional(Type.Integer({ format: 'int32', minimum: 0 })),
  maxPodGracePeriod: Type.Optional(Type.Integer({ format: 'int32', minimum: 0 })),
  maxNodeProvisionTime: Type.Optional(Type.String({ pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' })),
  podPriorityThreshold: Type.Optional(Type.Integer({ format: 'int32' })),
});

export const HostedClusterSpec = Type.Object(
  {
    release: Type.Optional(
      release('release specifies the desired OCP release payload for all the hosted cluster components.'),
    ),
    controlPlaneRelease: Type.Optional(
      release(
        'controlPlaneRelease is like spec.release but only for the components running on the management cluster.',
      ),
    ),
    clusterID: Type.Optional(
      Type.String({
        description: 'clusterID uniquely identifies this cluster.',
        ...rules(
          {
            rule: "self.matches('[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}')",
            message:
              'clusterID must be an RFC4122 UUID value (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal digits)',
          },
          immutableOnceSet('clusterID is immutable'),
        ),
      }),
    ),
    infraID: Type.Optional(
      Type.String({
        description: 'infraID is a globally unique identifier for the cluster.',
        ...rules(
          {
            rule: "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
            message:
              "infraID must consist of lowercase alphanumeric characters or '-', start and end with an alphanumeric character, and be between 1 and 253 characters",
          },
          immutableOnceSet('infraID is immutable'),
        ),
      }),
    ),
    updateService: Type.Optional(
      Type.String({
        description: 'updateService may be used to specify the preferred upstream update service.',
      }),
    ),
    channel: Type.Optional(
      Type.String({
        description:
          'channel is an identifier for explicitly requesting that a non-default set of updates be applied to this cluster.',
      }),
    ),
    platform: Type.Optional(PlatformSpec),
    controllerAvailabilityPolicy: Type.Optional(
      StringEnum(AvailabilityPolicies, {
        description:
          'controllerAvailabilityPolicy specifies the availability policy applied to critical control plane components.',
        default: 'HighlyAvailable',
        ...rules(immutable('ControllerAvailabilityPolicy is immutable')),
      }),
    ),
    infrastructureAvailabilityPolicy: Type.Optional(
      StringEnum(AvailabilityPolicies, {
        description:
          'infrastructureAvailabilityPolicy specifies the availability policy applied to infrastructure services which run on the hosted cluster.',
        default: 'SingleReplica',
      }),
    ),
    dns: Type.Optional(DNSSpec),
    networking: Type.Optional(ClusterNetworking),
    autoscaling: Type.Optional(ClusterAutoscaling),
    etcd: Type.Optional(EtcdSpec),
    services: Type.Optional(
      Type.Array(ServicePublishingStrategyMapping, {
        description:
          'services specifies how individual control plane services endpoints are published for consumption.',
      }),
    ),
    pullSecret: Type.Optional(
      localRef('pullSecret is a local reference to a Secret that must have a ".dockerconfigjson" key.'),
    ),
    sshKey: Type.Optional(
      localRef('sshKey is a local reference to a Secret that must have a "id_rsa.pub" key.'),
    ),
    issuerURL: Type.Optional(
      Type.String({
        description:
          'issuerURL is an OIDC issuer URL which will be used as the issuer in all ServiceAccount tokens generated by the control plane API server.',
        default: 'https://kubernetes.default.svc',
        ...rules(immutable('issuerURL is immutable')),
      }),
    ),
    serviceAccountSigningKey: Type.Optional(
      localRef('serviceAccountSigningKey is a local reference to a secret that must have a "key" key.'),
    ),
    configuration: Type.Optional(ClusterConfiguration),
    auditWebhook: Type.Optional(
      localRef('auditWebhook contains metadata for configuring an audit webhook endpoint.'),
    ),
    imageContentSources: Type.Optional(Type.Array(ImageContentSource)),
    additionalTrustBundle: Type.Optional(
      localRef(
        'additionalTrustBundle is a local reference to a ConfigMap that must have a "ca-bundle.crt" key.',
      ),
    ),
    secretEncryption: Type.Optional(SecretEncryptionSpec),
    fips: Type.Optional(
      Type.Boolean({
        description: 'fips indicates whether this cluster’s nodes will be running in FIPS mode.',
        ...rules(immutable('fips is immutable')),
      }),
    ),
    pausedUntil: Type.Optional(
      PausedUntil(
        'pausedUntil is a field that can be used to pause reconciliation on the HostedCluster controller, resulting in any change to the HostedCluster being ignored.',
      ),
    ),
    olmCatalogPlacement: Type.Optional(OLMCatalogPlacement),
    nodeSelector: Type.Optional(
      StringMap({
        description:
          'nodeSelector when specified, is propagated to all control plane Deployments and Stateful sets running management side.',
        ...rules({ rule: 'size(self) <= 20', message: 'nodeSelector map can have at most 20 entries' }),
      }),
    ),
    tolerations: Type.Optional(Type.Array(Toleration)),
    labels: Type.Optional(StringMap()),
  },
  {
    description: 'spec is the desired behavior of the HostedCluster.',
    ...rules({
      rule: '!has(oldSelf.secretEncryption) || has(self.secretEncryption)',
      message: 'secretEncryption cannot be removed once configured',
    }),
  },
);
export type HostedClusterSpec = Static<typeof HostedClusterSpec>;

export const PayloadArchTypes = ['Multi', 'ARM64', 'AMD64', 'PPC64LE', 'S390X'] as const;

export const HostedClusterStatus = Type.Object({
  conditions: Type.Optional(
    Conditions({
      description:
        'conditions represents the latest available observations of a control plane’s current state.',
    }),
  ),
  version: Type.Optional(ClusterVersionStatus),
  kubeconfig: Type.Optional(
    localRef('kubeconfig is a reference to the secret containing the default kubeconfig for the cluster.'),
  ),
  customKubeconfig: Type.Optional(
    localRef('customKubeconfig is a local secret reference to the external custom kubeconfig.'),
  ),
  kubeadminPassword: Type.Optional(
    localRef(
      'kubeadminPassword is a reference to the secret that contains the initial kubeadmin user password for the guest cluster.',
    ),
  ),
  ignitionEndpoint: Type.Optional(
    Type.String({ description: 'ignitionEndpoint is the endpoint injected in the ign config userdata.' }),
  ),
  controlPlaneEndpoint: Type.Optional(APIEndpoint),
  oauthCallbackURLTemplate: Type.Optional(
    Type.String({
      description:
        'oauthCallbackURLTemplate contains a template for the URL to use as a callback for identity providers.',
    }),
  ),
  payloadArch: Type.Optional(
    StringEnum(PayloadArchTypes, {
      description:
        'payloadArch represents the CPU architecture type of the HostedCluster.Spec.Release.Image.',
    }),
  ),
  platform: Type.Optional(
    FreeForm({ description: 'platform contains platform-specific status of the HostedCluster' }),
  ),
  configuration: Type.Optional(
    FreeForm({ description: 'configuration contains the cluster configuration status of the HostedCluster' }),
  ),
});
export type HostedClusterStatus = Static<typeof HostedClusterStatus>;

export const HostedClusterSchema = kindSchema(HostedClusterSpec, HostedClusterStatus, {
  description:
    'HostedCluster is the primary representation of a HyperShift cluster and encapsulates the control plane and common data plane configuration.',
  ...rules(
    {
      rule: '!has(oldSelf.spec) || !has(oldSelf.spec.infraID) || (has(self.spec) && has(self.spec.infraID))',
      message: 'infraID cannot be removed once set',
    },
    {
      rule: '!has(oldSelf.spec) || !has(oldSelf.spec.clusterID) || (has(self.spec) && has(self.spec.clusterID))',
      message: 'clusterID cannot be removed once set',
    },
  ),
});

export type HostedCluster = Resource<HostedClusterSpec, HostedClusterStatus>;

const printerColumns: readonly PrinterColumn[] = [
  {
    name: 'Version',
    type: 'string',
    jsonPath: '.status.version.history[?(@.state=="Completed")].version',
    description: 'Version',
  },
  {
    name: 'KubeConfig',
    type: 'string',
    jsonPath: '.status.kubeconfig.name',
    description: 'KubeConfig Secret',
  },
  {
    name: 'Progress',
    type: 'string',
    jsonPath: '.status.version.history[?(@.state!="")].state',
    description: 'Progress',
  },
  {
    name: 'Available',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Available")].status',
    description: 'Available',
  },
  {
    name: 'Progressing',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Progressing")].status',
    description: 'Progressing',
  },
  {
    name: 'Message',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Available")].message',
    description: 'Message',
  },
];

export const hostedClusterKind: KindDefinition = {
  group,
  kind: 'HostedCluster',
  plural: 'hostedclusters',
  singular: 'hostedcluster',
  shortNames: ['hc', 'hcs'],
  scope: 'Namespaced',
  versions: servedVersions.map((name) => ({
    name,
    schema: HostedClusterSchema,
    storage: name === storageVersion,
    printerColumns,
  })),
};
