/** SeedGenerator (lca.openshift.io/v1): on a seed cluster, builds and pushes the seed image. */
import { Type, type Static } from '@sinclair/typebox';
import { Conditions, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import type { KindObject } from '../kube-types.ts';
import { group, validationMessages, version } from './constants.ts';

const imagePullSpec = { minLength: 1, pattern: '^([a-z0-9]+://)?[\\S]+$' } as const;

export const SeedGeneratorSpec = Type.Object(
  {
    seedImage: Type.Optional(
      Type.String({
        ...imagePullSpec,
        description: 'SeedImage defines the full pull-spec of the seed container image to be created.',
      }),
    ),
    recertImage: Type.Optional(
      Type.String({
        ...imagePullSpec,
        description: 'RecertImage defines the full pull-spec of the recert container image to use.',
      }),
    ),
  },
  {
    description: 'SeedGeneratorSpec defines the desired state of SeedGenerator',
    'x-kubernetes-validations': [
      { rule: 'self == oldSelf', message: validationMessages.seedGenSpecImmutable },
    ],
  },
);
export type SeedGeneratorSpec = Static<typeof SeedGeneratorSpec>;

export const SeedGeneratorStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
    startedAt: Type.Optional(Timestamp()),
    completedAt: Type.Optional(Timestamp()),
    conditions: Type.Optional(Conditions()),
  },
  { description: 'SeedGeneratorStatus defines the observed state of SeedGenerator' },
);
export type SeedGeneratorStatus = Static<typeof SeedGeneratorStatus>;

export const SeedGenerator = kindSchema(SeedGeneratorSpec, SeedGeneratorStatus, {
  description: 'SeedGenerator is the Schema for the seedgenerators API',
  'x-kubernetes-validations': [
    { rule: "self.metadata.name == 'seedimage'", message: validationMessages.seedGenSingleton },
  ],
});
export type SeedGenerator = KindObject<SeedGeneratorSpec, SeedGeneratorStatus>;

export const seedGeneratorKind: KindDefinition = {
  group,
  kind: 'SeedGenerator',
  plural: 'seedgenerators',
  singular: 'seedgenerator',
  shortNames: ['seedgen'],
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: SeedGenerator,
      printerColumns: [
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'State', type: 'string', jsonPath: '.status.conditions[-1:].type' },
        { name: 'Details', type: 'string', jsonPath: '.status.conditions[-1:].message' },
      ],
    },
  ],
};
