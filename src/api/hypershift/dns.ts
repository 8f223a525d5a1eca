/** DNSSpec: the base domain and Route53-style zones of a hosted cluster. */
import { Type } from '@sinclair/typebox';

import { immutable, immutableOnceSet, rules } from './common.ts';

const DomainName = "'^(?:(?:[a-zA-Z0-9-]+\\\\.)+[a-zA-Z]{2,}|[a-zA-Z0-9-]+)$'";

export const DNSSpec = Type.Object({
  baseDomain: Type.String({
    description: 'baseDomain is the base domain of the hosted cluster.',
    ...rules(
      {
        rule: `self == "" || self.matches(${DomainName})`,
        message: 'baseDomain must be a valid domain name (e.g., example, example.com, sub.example.com)',
      },
      immutableOnceSet('baseDomain is immutable'),
    ),
  }),
  baseDomainPrefix: Type.Optional(
    Type.String({
      description: 'baseDomainPrefix is the base domain prefix for the hosted cluster ingress.',
      ...rules(immutable('baseDomainPrefix is immutable')),
    }),
  ),
  publicZoneID: Type.Optional(
    Type.String({
      description:
        'publicZoneID is the Hosted Zone ID where all the DNS records that are publicly accessible to the internet exist.',
      ...rules(immutableOnceSet('publicZoneID is immutable')),
    }),
  ),
  privateZoneID: Type.Optional(
    Type.String({
      description:
        'privateZoneID is the Hosted Zone ID where all the DNS records that are only available internally to the cluster exist.',
      ...rules(immutableOnceSet('privateZoneID is immutable')),
    }),
  ),
});
