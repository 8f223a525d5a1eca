/** ClusterServiceVersion: one installed version of an operator (seed 003 §4.3 `oc get csv`). */
import { Type, type Static } from '@sinclair/typebox';

import {
  FreeForm,
  StringEnum,
  StringMap,
  Timestamp,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { CsvPhases, group, v1alpha1 } from './constants.ts';

export const ClusterServiceVersionSpec = Type.Object({
  install: FreeForm({
    description:
      'NamedInstallStrategy represents the block of an ClusterServiceVersion resource where the install strategy is specified.',
  }),
  version: Type.Optional(Type.String({ description: 'The semantic version of the operator.' })),
  displayName: Type.String(),
  description: Type.Optional(Type.String()),
  maturity: Type.Optional(Type.String()),
  replaces: Type.Optional(Type.String({ description: 'The name of a CSV this one replaces.' })),
  skips: Type.Optional(
    Type.Array(Type.String(), {
      description: 'The name(s) of one or more CSV(s) that should be skipped in the upgrade graph.',
    }),
  ),
  customresourcedefinitions: Type.Optional(
    FreeForm({
      description:
        'CustomResourceDefinitions declares all of the CRDs managed or required by an operator being ran by ClusterServiceVersion.',
    }),
  ),
  apiservicedefinitions: Type.Optional(FreeForm()),
  installModes: Type.Optional(
    Type.Array(
      Type.Object({
        type: StringEnum(['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces']),
        supported: Type.Boolean(),
      }),
    ),
  ),
  minKubeVersion: Type.Optional(Type.String()),
  provider: Type.Optional(
    Type.Object({ name: Type.Optional(Type.String()), url: Type.Optional(Type.String()) }),
  ),
  keywords: Type.Optional(Type.Array(Type.String())),
  labels: Type.Optional(StringMap()),
  annotations: Type.Optional(StringMap()),
  selector: Type.Optional(FreeForm()),
  relatedImages: Type.Optional(Type.Array(Type.Object({ name: Type.String(), image: Type.String() }))),
});
export type ClusterServiceVersionSpec = Static<typeof ClusterServiceVersionSpec>;

export const CsvCondition = Type.Object({
  phase: Type.Optional(StringEnum(CsvPhases, { description: 'Condition of the ClusterServiceVersion' })),
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  lastUpdateTime: Type.Optional(Timestamp()),
  lastTransitionTime: Type.Optional(Timestamp()),
});

export const ClusterServiceVersionStatus = Type.Object({
  phase: Type.Optional(
    StringEnum(CsvPhases, { description: 'Current condition of the ClusterServiceVersion' }),
  ),
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  lastUpdateTime: Type.Optional(Timestamp()),
  lastTransitionTime: Type.Optional(Timestamp()),
  conditions: Type.Optional(
    Type.Array(CsvCondition, { description: 'List of conditions, a history of state transitions' }),
  ),
  requirementStatus: Type.Optional(Type.Array(FreeForm())),
  certsLastUpdated: Type.Optional(Timestamp()),
  certsRotateAt: Type.Optional(Timestamp()),
  cleanup: Type.Optional(FreeForm()),
});
export type ClusterServiceVersionStatus = Static<typeof ClusterServiceVersionStatus>;

export const ClusterServiceVersionSchema = kindSchema(
  ClusterServiceVersionSpec,
  ClusterServiceVersionStatus,
  {
    description: 'ClusterServiceVersion is a Custom Resource of type `ClusterServiceVersionSpec`.',
  },
);

export type ClusterServiceVersion = Resource<ClusterServiceVersionSpec, ClusterServiceVersionStatus>;

/** Seed 003 §4.3 output: NAME DISPLAY VERSION REPLACES PHASE. */
const printerColumns: readonly PrinterColumn[] = [
  { name: 'Display', type: 'string', jsonPath: '.spec.displayName', description: 'The name of the CSV' },
  { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'The version of the CSV' },
  {
    name: 'Replaces',
    type: 'string',
    jsonPath: '.spec.replaces',
    description: 'The name of a CSV that this one replaces',
  },
  { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
];

export const clusterServiceVersionKind: KindDefinition = {
  group,
  kind: 'ClusterServiceVersion',
  plural: 'clusterserviceversions',
  singular: 'clusterserviceversion',
  shortNames: ['csv', 'csvs'],
  categories: ['olm'],
  scope: 'Namespaced',
  versions: [{ name: v1alpha1, schema: ClusterServiceVersionSchema, printerColumns }],
};
