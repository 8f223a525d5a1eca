/**
 * ClusterConfiguration: the openshift config API (config.openshift.io/v1 specs) embedded in a
 * HostedCluster. OAuth and the feature gate are modelled (seed 003 ch. 3 and 5); the other sections
 * are large upstream structures kept as-is.
 */
import { Type, type Static } from '@sinclair/typebox';

import { FreeForm, StringEnum, StringMap } from '../kind.ts';
import { LocalObjectReference, localRef, rules } from './common.ts';

export const IdentityProviderTypes = [
  'BasicAuth',
  'GitHub',
  'GitLab',
  'Google',
  'HTPasswd',
  'Keystone',
  'LDAP',
  'OpenID',
  'RequestHeader',
] as const;
export type IdentityProviderType = (typeof IdentityProviderTypes)[number];

export const MappingMethods = ['claim', 'lookup', 'add'] as const;

const ConfigMapNameReference = Type.Object({ name: Type.String() });

export const OpenIDClaims = Type.Object({
  preferredUsername: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'preferredUsername is the list of claims whose values should be used as the preferred username.',
    }),
  ),
  name: Type.Optional(
    Type.Array(Type.String(), {
      description: 'name is the list of claims whose values should be used as the display name.',
    }),
  ),
  email: Type.Optional(
    Type.Array(Type.String(), {
      description: 'email is the list of claims whose values should be used as the email address.',
    }),
  ),
  groups: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      description:
        'groups is the list of claims value of which should be used to synchronize groups from the OIDC provider to OpenShift for the user.',
    }),
  ),
});

export const OpenIDIdentityProvider = Type.Object({
  clientID: Type.String({ description: 'clientID is the oauth client ID' }),
  clientSecret: localRef(
    'clientSecret is a required reference to the secret by name containing the oauth client secret.',
  ),
  ca: Type.Optional(ConfigMapNameReference),
  extraScopes: Type.Optional(Type.Array(Type.String())),
  extraAuthorizeParameters: Type.Optional(StringMap()),
  issuer: Type.String({
    description: 'issuer is the URL that the OpenID Provider asserts as its Issuer Identifier.',
    // Seed 003 §3.1: "クエリーまたはフラグメントコンポーネントのない https を使用する必要があります".
    ...rules({
      rule: "self.matches('^https://[^?#]+$')",
      message: 'issuer must use the https scheme with no query or fragment component',
    }),
  }),
  claims: OpenIDClaims,
});

export const HTPasswdIdentityProvider = Type.Object({
  fileData: localRef(
    'fileData is a required reference to a secret by name containing the data to use as the htpasswd file.',
  ),
});

export const IdentityProvider = Type.Object({
  name: Type.String({ description: 'name is used to qualify the identities returned by this provider.' }),
  mappingMethod: Type.Optional(
    StringEnum(MappingMethods, {
      description: 'mappingMethod determines how identities from this provider are mapped to users.',
    }),
  ),
  type: StringEnum(IdentityProviderTypes, {
    description: 'type identifies the identity provider type for this entry.',
  }),
  openID: Type.Optional(OpenIDIdentityProvider),
  htpasswd: Type.Optional(HTPasswdIdentityProvider),
  basicAuth: Type.Optional(FreeForm()),
  github: Type.Optional(FreeForm()),
  gitlab: Type.Optional(FreeForm()),
  google: Type.Optional(FreeForm()),
  keystone: Type.Optional(FreeForm()),
  ldap: Type.Optional(FreeForm()),
  requestHeader: Type.Optional(FreeForm()),
});
export type IdentityProvider = Static<typeof IdentityProvider>;

export const OAuthSpec = Type.Object(
  {
    identityProviders: Type.Optional(
      Type.Array(IdentityProvider, {
        description: 'identityProviders is an ordered list of ways for a user to identify themselves.',
      }),
    ),
    tokenConfig: Type.Optional(
      Type.Object({
        accessTokenMaxAgeSeconds: Type.Optional(Type.Integer({ format: 'int32' })),
        accessTokenInactivityTimeoutSeconds: Type.Optional(Type.Integer({ format: 'int32' })),
        accessTokenInactivityTimeout: Type.Optional(Type.String()),
      }),
    ),
    templates: Type.Optional(
      Type.Object({
        login: Type.Optional(LocalObjectReference),
        providerSelection: Type.Optional(LocalObjectReference),
        error: Type.Optional(LocalObjectReference),
      }),
    ),
  },
  {
    description: 'oauth holds cluster-wide information about OAuth.',
    ...rules({
      rule: '!has(self.tokenConfig) || !has(self.tokenConfig.accessTokenInactivityTimeout) || duration(self.tokenConfig.accessTokenInactivityTimeout).getSeconds() >= 300',
      message:
        'spec.configuration.oauth.tokenConfig.accessTokenInactivityTimeout minimum acceptable token timeout value is 300 seconds',
    }),
  },
);
export type OAuthSpec = Static<typeof OAuthSpec>;

export const FeatureSets = [
  'CustomNoUpgrade',
  'DevPreviewNoUpgrade',
  'TechPreviewNoUpgrade',
  'OKD',
  '',
] as const;

export const FeatureGateSpec = Type.Object({
  featureSet: Type.Optional(
    StringEnum(FeatureSets, {
      description: 'featureSet changes the list of features in the cluster.',
      // Seed 003 ch. 5: enabling TechPreviewNoUpgrade cannot be undone.
      ...rules(
        {
          rule: "oldSelf == 'CustomNoUpgrade' ? self == 'CustomNoUpgrade' : true",
          message: 'CustomNoUpgrade may not be changed',
        },
        {
          rule: "oldSelf == 'TechPreviewNoUpgrade' ? self == 'TechPreviewNoUpgrade' : true",
          message: 'TechPreviewNoUpgrade may not be changed',
        },
        {
          rule: "oldSelf == 'DevPreviewNoUpgrade' ? self == 'DevPreviewNoUpgrade' : true",
          message: 'DevPreviewNoUpgrade may not be changed',
        },
        { rule: "oldSelf == 'OKD' ? self != '' : true", message: 'OKD cannot transition to Default' },
      ),
    }),
  ),
  customNoUpgrade: Type.Optional(
    Type.Object(
      {
        enabled: Type.Optional(Type.Array(Type.String())),
        disabled: Type.Optional(Type.Array(Type.String())),
      },
      { nullable: true },
    ),
  ),
});

export const ProxySpec = Type.Object({
  httpProxy: Type.Optional(Type.String()),
  httpsProxy: Type.Optional(Type.String()),
  noProxy: Type.Optional(Type.String()),
  readinessEndpoints: Type.Optional(Type.Array(Type.String())),
  trustedCA: Type.Optional(ConfigMapNameReference),
});

export const ClusterConfiguration = Type.Object(
  {
    apiServer: Type.Optional(
      FreeForm({ description: 'apiServer holds configuration shared by all API servers in the system.' }),
    ),
    authentication: Type.Optional(
      FreeForm({ description: 'authentication specifies cluster-wide settings for authentication.' }),
    ),
    featureGate: Type.Optional(FeatureGateSpec),
    image: Type.Optional(
      FreeForm({
        description:
          'image governs policies related to imagestream imports and runtime configuration for external registries.',
      }),
    ),
    ingress: Type.Optional(
      FreeForm({ description: 'ingress holds cluster-wide information about ingress.' }),
    ),
    network: Type.Optional(
      FreeForm({ description: 'network holds cluster-wide information about the network.' }),
    ),
    oauth: Type.Optional(OAuthSpec),
    operatorhub: Type.Optional(
      FreeForm({
        description:
          'operatorhub specifies the configuration for the Operator Lifecycle Manager in the HostedCluster.',
      }),
    ),
    scheduler: Type.Optional(
      FreeForm({
        description: 'scheduler holds cluster-wide config information to run the Kubernetes Scheduler.',
      }),
    ),
    proxy: Type.Optional(ProxySpec),
  },
  { description: 'configuration specifies configuration for individual OCP components in the cluster.' },
);
export type ClusterConfiguration = Static<typeof ClusterConfiguration>;
