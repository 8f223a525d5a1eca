/** ClusterNetworking of a HostedCluster / HostedControlPlane. */
import { Type, type Static } from '@sinclair/typebox';

import { StringEnum } from '../kind.ts';
import { immutable, rules } from './common.ts';

const Cidr = Type.String({ description: 'An IPv4 or IPv6 network in CIDR notation.' });

export const ClusterNetworkEntry = Type.Object({
  cidr: Cidr,
  hostPrefix: Type.Optional(
    Type.Integer({
      format: 'int32',
      description: 'hostPrefix is the prefix size to allocate to each node from the CIDR.',
    }),
  ),
});

export const ServiceNetworkEntry = Type.Object({ cidr: Cidr });
export const MachineNetworkEntry = Type.Object({ cidr: Cidr });

export const NetworkType = StringEnum(['OpenShiftSDN', 'Calico', 'OVNKubernetes', 'Other'], {
  description: 'networkType specifies the SDN provider used for cluster networking.',
  default: 'OVNKubernetes',
});

export const APIServerNetworking = Type.Object({
  advertiseAddress: Type.Optional(
    Type.String({
      description:
        'advertiseAddress is the address that pods within the nodes will use to talk to the API server.',
      ...rules(immutable('advertiseAddress is immutable')),
    }),
  ),
  port: Type.Optional(
    Type.Integer({
      format: 'int32',
      description: 'port is the port at which the APIServer is exposed inside a node.',
      ...rules(immutable('port is immutable')),
    }),
  ),
  allowedCIDRBlocks: Type.Optional(Type.Array(Cidr)),
});

export const ClusterNetworking = Type.Object(
  {
    machineNetwork: Type.Optional(
      Type.Array(MachineNetworkEntry, {
        description: 'machineNetwork is the list of IP address pools for machines.',
        ...rules(immutable('machineNetwork is immutable and cannot be modified once set.')),
      }),
    ),
    clusterNetwork: Type.Optional(
      Type.Array(ClusterNetworkEntry, {
        description: 'clusterNetwork is the list of IP address pools for pods.',
        default: [{ cidr: '10.132.0.0/14' }],
        ...rules(immutable('clusterNetwork is immutable and cannot be modified once set.')),
      }),
    ),
    serviceNetwork: Type.Optional(
      Type.Array(ServiceNetworkEntry, {
        description: 'serviceNetwork is the list of IP address pools for services.',
        default: [{ cidr: '172.31.0.0/16' }],
        ...rules(immutable('serviceNetwork is immutable and cannot be modified once set.')),
      }),
    ),
    networkType: Type.Optional(NetworkType),
    apiServer: Type.Optional(APIServerNetworking),
  },
  {
    description: 'networking specifies network configuration for the hosted cluster.',
    default: {
      networkType: 'OVNKubernetes',
      clusterNetwork: [{ cidr: '10.132.0.0/14' }],
      serviceNetwork: [{ cidr: '172.31.0.0/16' }],
    },
  },
);
export type ClusterNetworking = Static<typeof ClusterNetworking>;
