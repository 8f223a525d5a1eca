/** How control-plane services (API server, OAuth, Konnectivity, Ignition…) are published. */
import { Type, type Static } from '@sinclair/typebox';

import { StringEnum } from '../kind.ts';
import { rules } from './common.ts';

export const ServiceTypes = [
  'APIServer',
  'OAuthServer',
  'OIDC',
  'Konnectivity',
  'Ignition',
  'OVNSbDb',
] as const;
export const PublishingStrategyTypes = ['LoadBalancer', 'NodePort', 'Route', 'None', 'S3'] as const;

const Hostname = Type.String({
  description: 'hostname is the name of the DNS record that will be created pointing to the service.',
  ...rules({
    rule: "self.matches('^(?:[a-zA-Z0-9-]+\\\\.)+[a-zA-Z]{2,}$')",
    message: 'hostname must be a valid domain name (e.g., example.com)',
  }),
});

export const ServicePublishingStrategy = Type.Object(
  {
    type: StringEnum(PublishingStrategyTypes, {
      description: 'type is the publishing strategy used for the service.',
    }),
    nodePort: Type.Optional(
      Type.Object({
        address: Type.String({
          description: 'address is the host/ip that the NodePort service is exposed over.',
        }),
        port: Type.Optional(
          Type.Integer({ format: 'int32', description: 'port is the port of the NodePort service.' }),
        ),
      }),
    ),
    loadBalancer: Type.Optional(Type.Object({ hostname: Type.Optional(Hostname) })),
    route: Type.Optional(Type.Object({ hostname: Type.Optional(Hostname) })),
  },
  rules(
    {
      rule: "self.type == 'NodePort' ? has(self.nodePort) : !has(self.nodePort)",
      message: 'nodePort is required when type is NodePort, and forbidden otherwise',
    },
    {
      rule: "self.type == 'Route' ? !has(self.nodePort) && !has(self.loadBalancer) : !has(self.route)",
      message: 'only route is allowed when type is Route, and forbidden otherwise',
    },
    {
      rule: "self.type == 'LoadBalancer' ? !has(self.nodePort) && !has(self.route) : !has(self.loadBalancer)",
      message: 'only loadBalancer is required when type is LoadBalancer, and forbidden otherwise',
    },
    {
      rule: "self.type == 'None' ? !has(self.nodePort) && !has(self.route) && !has(self.loadBalancer) : true",
      message: 'None does not allowed any configuration for loadBalancer, nodePort, or route',
    },
    {
      rule: "self.type == 'S3' ? !has(self.nodePort) && !has(self.route) && !has(self.loadBalancer) : true",
      message: 'S3 does not allowed any configuration for loadBalancer, nodePort, or route',
    },
  ),
);

export const ServicePublishingStrategyMapping = Type.Object({
  service: StringEnum(ServiceTypes, {
    description: 'service identifies the type of service being published.',
  }),
  servicePublishingStrategy: ServicePublishingStrategy,
});
export type ServicePublishingStrategyMapping = Static<typeof ServicePublishingStrategyMapping>;
