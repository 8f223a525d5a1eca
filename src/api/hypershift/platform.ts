/**
 * Platform specs. The seed's platforms (Agent/bare metal, KubeVirt, AWS, IBM Z, IBM Power) are named
 * by `type`; only the Agent fields are modelled, the other providers' large structures are kept as-is.
 */
import { Type, type Static } from '@sinclair/typebox';

import { FreeForm, StringEnum } from '../kind.ts';
import { immutable, labelSelector, rules } from './common.ts';

export const PlatformTypes = [
  'AWS',
  'None',
  'IBMCloud',
  'Agent',
  'KubeVirt',
  'Azure',
  'PowerVS',
  'OpenStack',
] as const;
export type PlatformType = (typeof PlatformTypes)[number];

const PlatformTypeField = StringEnum(PlatformTypes, {
  description: 'type is the type of infrastructure provider for the cluster.',
  ...rules(immutable('Type is immutable')),
});

export const AgentPlatformSpec = Type.Object({
  agentNamespace: Type.String({
    maxLength: 63,
    description: 'agentNamespace is the namespace where to search for Agents for this cluster',
  }),
});

export const PlatformSpec = Type.Object({
  type: PlatformTypeField,
  agent: Type.Optional(AgentPlatformSpec),
  aws: Type.Optional(
    FreeForm({ description: 'aws specifies configuration for clusters running on Amazon Web Services.' }),
  ),
  ibmcloud: Type.Optional(
    FreeForm({ description: 'ibmcloud defines IBMCloud specific settings for components' }),
  ),
  azure: Type.Optional(FreeForm({ description: 'azure defines azure specific settings' })),
  powervs: Type.Optional(
    FreeForm({
      description: 'powervs specifies configuration for clusters running on IBMCloud Power VS Service.',
    }),
  ),
  kubevirt: Type.Optional(
    FreeForm({ description: 'kubevirt defines KubeVirt specific settings for cluster components.' }),
  ),
  openstack: Type.Optional(
    FreeForm({ description: 'openstack specifies configuration for clusters running on OpenStack.' }),
  ),
});
export type PlatformSpec = Static<typeof PlatformSpec>;

export const AgentNodePoolPlatform = Type.Object({
  agentLabelSelector: Type.Optional(
    labelSelector(
      'agentLabelSelector contains labels that must be set on an Agent in order to be selected for a Machine.',
    ),
  ),
});

export const NodePoolPlatform = Type.Object({
  type: PlatformTypeField,
  agent: Type.Optional(AgentNodePoolPlatform),
  aws: Type.Optional(
    FreeForm({ description: 'aws specifies the configuration used when operating on AWS.' }),
  ),
  ibmcloud: Type.Optional(
    FreeForm({ description: 'ibmcloud defines IBMCloud specific settings for components' }),
  ),
  kubevirt: Type.Optional(
    FreeForm({
      description: 'kubevirt specifies the configuration used when operating on KubeVirt platform.',
    }),
  ),
  azure: Type.Optional(
    FreeForm({ description: 'azure specifies the configuration used when using Azure platform.' }),
  ),
  powervs: Type.Optional(
    FreeForm({
      description: 'powervs specifies the configuration used when using IBMCloud PowerVS platform.',
    }),
  ),
  openstack: Type.Optional(
    FreeForm({ description: 'openstack specifies the configuration used when using OpenStack platform.' }),
  ),
});
export type NodePoolPlatform = Static<typeof NodePoolPlatform>;
