/** PreCachingConfig (ran.openshift.io/v1alpha1): extra pre-caching settings a ClusterGroupUpgrade refers to. */
import { Type, type Static } from '@sinclair/typebox';
import { kindSchema, type KindDefinition } from '../kind.ts';
import type { KindObject } from '../kube-types.ts';
import { group, version } from './constants.ts';

export const PreCachingConfigSpec = Type.Object(
  {
    overrides: Type.Optional(
      Type.Object(
        {
          platformImage: Type.Optional(Type.String()),
          operatorsIndexes: Type.Optional(Type.Array(Type.String())),
          operatorsPackagesAndChannels: Type.Optional(
            Type.Array(Type.String(), {
              description:
                'Override the pre-cached operator packages and channels derived by TALM (list of <package:channel> string entries)',
            }),
          ),
          preCacheImage: Type.Optional(Type.String()),
        },
        { description: 'Overrides modify the default pre-caching behaviour and values derived by TALM.' },
      ),
    ),
    spaceRequired: Type.Optional(
      Type.String({ description: 'Amount of space required for the pre-caching job' }),
    ),
    excludePrecachePatterns: Type.Optional(
      Type.Array(Type.String(), { description: 'List of patterns to exclude from pre-caching' }),
    ),
    additionalImages: Type.Optional(
      Type.Array(Type.String(), {
        description: 'List of additional image pull specs for the pre-caching job',
      }),
    ),
  },
  { description: 'PreCachingConfigSpec defines the desired state of PreCachingConfig' },
);
export type PreCachingConfigSpec = Static<typeof PreCachingConfigSpec>;

export const PreCachingConfig = kindSchema(PreCachingConfigSpec, undefined, {
  description: 'PreCachingConfig is the Schema for the precachingconfigs API',
});
export type PreCachingConfig = KindObject<PreCachingConfigSpec>;

export const preCachingConfigKind: KindDefinition = {
  group,
  kind: 'PreCachingConfig',
  plural: 'precachingconfigs',
  singular: 'precachingconfig',
  scope: 'Namespaced',
  versions: [{ name: version, schema: PreCachingConfig, status: false }],
};
