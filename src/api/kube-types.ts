/**
 * Kubernetes core/meta types that many of our kinds embed, and the TS shape of a stored object of
 * one of our kinds (`kindSchema` erases spec/status types, so kind modules declare
 * `type X = KindObject<Static<Spec>, Static<Status>>`).
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { StringMap } from './kind.ts';

/** metav1.LabelSelectorRequirement. */
export const LabelSelectorRequirement = Type.Object({
  key: Type.String({ description: 'key is the label key that the selector applies to.' }),
  operator: Type.String({
    description:
      "operator represents a key's relationship to a set of values (In, NotIn, Exists, DoesNotExist).",
  }),
  values: Type.Optional(
    Type.Array(Type.String(), {
      description: 'values is an array of string values.',
      'x-kubernetes-list-type': 'atomic',
    }),
  ),
});

/** metav1.LabelSelector. */
export const LabelSelector = Type.Object(
  {
    matchExpressions: Type.Optional(
      Type.Array(LabelSelectorRequirement, {
        description: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
        'x-kubernetes-list-type': 'atomic',
      }),
    ),
    matchLabels: Type.Optional(StringMap({ description: 'matchLabels is a map of {key,value} pairs.' })),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type LabelSelector = Static<typeof LabelSelector>;

/** corev1.SecretKeySelector. */
export const SecretKeySelector = Type.Object(
  {
    key: Type.String({ description: 'The key of the secret to select from.' }),
    name: Type.Optional(Type.String({ description: 'Name of the referent.' })),
    optional: Type.Optional(
      Type.Boolean({ description: 'Specify whether the Secret or its key must be defined' }),
    ),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type SecretKeySelector = Static<typeof SecretKeySelector>;

/** corev1.TypedLocalObjectReference. */
export const TypedLocalObjectReference = Type.Object(
  {
    apiGroup: Type.Optional(
      Type.String({ description: 'APIGroup is the group for the resource being referenced.' }),
    ),
    kind: Type.String({ description: 'Kind is the type of resource being referenced' }),
    name: Type.String({ description: 'Name is the name of resource being referenced' }),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

/** metav1.Duration: a Go duration string ("720h0m0s", "10m"). */
export function Duration(description: string) {
  return Type.String({ description });
}

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/**
 * metav1.ObjectMeta, once for the whole project: the server stores it, the client and the kinds
 * read it. Fields nobody here reads are kept as they came.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** A custom resource's TS shape from its spec and status types. */
export interface KindObject<Spec, Status = never> {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

/** Same as KindObject (the name the hosted-control-plane kinds use). */
export type Resource<Spec, Status = never> = KindObject<Spec, Status>;

/** A kindSchema whose spec is required, as upstream's `+required` spec fields make it. */
export function requireSpec<T extends TObject>(schema: T): T {
  return { ...schema, required: [...(schema.required ?? []), 'spec'] };
}
