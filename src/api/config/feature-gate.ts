/** FeatureGate (config.openshift.io/v1, named `cluster`): which feature set the cluster runs. */
import { Type, type Static } from '@sinclair/typebox';
import { Conditions, StringEnum, kindSchema, type KindDefinition } from '../kind.ts';
import { requireSpec, type KindObject } from '../kube-types.ts';
import { featureSets, group, version } from './constants.ts';

const FeatureGateName = Type.String({ pattern: '^([A-Za-z0-9-]+\\.)*[A-Za-z0-9-]+\\.?$' });

// Seed 003 (HCP-8): the no-upgrade feature sets are irreversible; upstream enforces it with these rules.
const featureSetRules = [
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
];

export const FeatureGateSpec = Type.Object(
  {
    featureSet: Type.Optional(
      StringEnum(featureSets, {
        description:
          'featureSet changes the list of features in the cluster. The default is empty. Be very careful adjusting this setting.',
        'x-kubernetes-validations': featureSetRules,
      }),
    ),
    customNoUpgrade: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(
            Type.Array(FeatureGateName, {
              description: 'enabled is a list of all feature gates that you want to force on',
            }),
          ),
          disabled: Type.Optional(
            Type.Array(FeatureGateName, {
              description: 'disabled is a list of all feature gates that you want to force off',
            }),
          ),
        },
        { nullable: true, description: 'customNoUpgrade allows the enabling or disabling of any feature.' },
      ),
    ),
  },
  {
    description: 'spec holds user settable values for configuration',
    'x-kubernetes-validations': [
      {
        rule: 'has(oldSelf.featureSet) ? has(self.featureSet) : true',
        message: '.spec.featureSet cannot be removed',
      },
    ],
  },
);
export type FeatureGateSpec = Static<typeof FeatureGateSpec>;

const FeatureGateAttributes = Type.Object({ name: FeatureGateName });

export const FeatureGateStatus = Type.Object(
  {
    conditions: Type.Optional(
      Conditions({ description: 'conditions represent the observations of the current state.' }),
    ),
    featureGates: Type.Optional(
      Type.Array(
        Type.Object({
          version: Type.String({
            description:
              'version matches the version provided by the ClusterVersion and in the ClusterOperator.Status.Versions field.',
          }),
          enabled: Type.Optional(Type.Array(FeatureGateAttributes)),
          disabled: Type.Optional(Type.Array(FeatureGateAttributes)),
        }),
        {
          description:
            'featureGates contains a list of enabled and disabled featureGates that are keyed by payloadVersion.',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['version'],
        },
      ),
    ),
  },
  { description: 'status holds observed values from the cluster. They may not be overridden.' },
);
export type FeatureGateStatus = Static<typeof FeatureGateStatus>;

export const FeatureGate = requireSpec(
  kindSchema(FeatureGateSpec, FeatureGateStatus, {
    description: 'Feature holds cluster-wide information about feature gates.',
  }),
);
export type FeatureGate = KindObject<FeatureGateSpec, FeatureGateStatus>;

export const featureGateKind: KindDefinition = {
  group,
  kind: 'FeatureGate',
  plural: 'featuregates',
  singular: 'featuregate',
  scope: 'Cluster',
  versions: [{ name: version, schema: FeatureGate }],
};
