/** Small schemas shared by HostedCluster, HostedControlPlane and NodePool. */
import { Type, type Static, type SchemaOptions } from '@sinclair/typebox';

import { StringEnum, StringMap } from '../kind.ts';

export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
}

/** Options carrying CEL rules (`x-kubernetes-validations`). */
export function rules(...list: ValidationRule[]): SchemaOptions {
  return { 'x-kubernetes-validations': list };
}

/** `self == oldSelf`: the field cannot change once set (upstream's wording in `message`). */
export function immutable(message: string): ValidationRule {
  return { rule: 'self == oldSelf', message };
}

/** Like `immutable`, but an empty value may still be filled in once (clusterID, infraID, DNS zones). */
export function immutableOnceSet(message: string): ValidationRule {
  return { rule: 'oldSelf == "" || self == oldSelf', message };
}

/** A field that may be null (`+nullable`), typed accordingly. */
export { Nullable } from '../kind.ts';

/** A `{name}` reference to an object in the same namespace (corev1.LocalObjectReference). */
export function localRef(description?: string) {
  return Type.Object(
    { name: Type.String({ description: 'Name of the referent.' }) },
    description ? { description } : {},
  );
}
export const LocalObjectReference = localRef();
export type LocalObjectReference = Static<typeof LocalObjectReference>;

/** An OCP release payload reference (`{image}`). */
export function release(description?: string) {
  return Type.Object(
    {
      image: Type.String({
        description: 'image is the image pullspec of an OCP release payload image.',
        ...rules({
          rule: "self.matches('^(\\\\w+\\\\S+)$')",
          message:
            'Image must start with a word character (letters, digits, or underscores) and contain no white spaces',
        }),
      }),
    },
    description ? { description } : {},
  );
}
export const Release = release();
export type Release = Static<typeof Release>;

/** "true" pauses until the field is removed; an RFC 3339 date pauses until then (seed 003 §9.2). */
export function PausedUntil(description: string) {
  return Type.String({
    description,
    ...rules({
      rule: "self.matches('^\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}.*$') || self in ['true', 'false', 'True', 'False']",
      message: "PausedUntil must be a date in RFC3339 format or 'True', 'true', 'False' or 'false'",
    }),
  });
}

/** metav1.Duration as JSON: a Go duration string such as `0s`, `60s`, `1m`. */
export function Duration(description: string) {
  return Type.String({ description });
}

export const LabelSelectorRequirement = Type.Object({
  key: Type.String(),
  operator: Type.String(),
  values: Type.Optional(Type.Array(Type.String())),
});

export function labelSelector(description?: string) {
  return Type.Object(
    {
      matchLabels: Type.Optional(StringMap()),
      matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirement)),
    },
    { 'x-kubernetes-map-type': 'atomic', ...(description ? { description } : {}) },
  );
}
export const LabelSelector = labelSelector();
export type LabelSelector = Static<typeof LabelSelector>;

export const Toleration = Type.Object({
  key: Type.Optional(Type.String()),
  operator: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  effect: Type.Optional(Type.String()),
  tolerationSeconds: Type.Optional(Type.Integer({ format: 'int64' })),
});

export const AvailabilityPolicies = ['HighlyAvailable', 'SingleReplica'] as const;
export type AvailabilityPolicy = (typeof AvailabilityPolicies)[number];

export const ImageContentSource = Type.Object({
  source: Type.String({
    description: 'source is the repository that users refer to, e.g. in image pull specifications.',
  }),
  mirrors: Type.Optional(Type.Array(Type.String())),
});

export const AESCBCSpec = Type.Object({
  activeKey: LocalObjectReference,
  backupKey: Type.Optional(LocalObjectReference),
});

export const SecretEncryptionSpec = Type.Object({
  type: StringEnum(['kms', 'aescbc'], {
    description: 'type defines the type of kube secret encryption being used.',
  }),
  kms: Type.Optional(Type.Object({}, { 'x-kubernetes-preserve-unknown-fields': true })),
  aescbc: Type.Optional(AESCBCSpec),
});
export type SecretEncryptionSpec = Static<typeof SecretEncryptionSpec>;

export const APIEndpoint = Type.Object({
  host: Type.String({ description: 'host is the hostname on which the API server is serving.' }),
  port: Type.Integer({
    format: 'int32',
    description: 'port is the port on which the API server is serving.',
  }),
});

export const OLMCatalogPlacement = StringEnum(['management', 'guest'], {
  description: 'olmCatalogPlacement specifies the placement of OLM catalog components.',
  default: 'management',
  ...rules(immutable('OLMCatalogPlacement is immutable')),
});
