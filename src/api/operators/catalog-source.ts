/** CatalogSource: a repository of operator bundles OLM resolves Subscriptions against. */
import { Type, type Static } from '@sinclair/typebox';

import {
  Conditions,
  FreeForm,
  StringEnum,
  Timestamp,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { SourceTypes, group, v1alpha1 } from './constants.ts';

export const CatalogSourceSpec = Type.Object({
  sourceType: StringEnum(SourceTypes, { description: 'SourceType is the type of source' }),
  priority: Type.Optional(
    Type.Integer({
      description:
        'Priority field assigns a weight to the catalog source to prioritize them so that it can be consumed by the dependency resolver.',
    }),
  ),
  configMap: Type.Optional(
    Type.String({
      description: 'ConfigMap is the name of the ConfigMap to be used to back a configmap-server registry.',
    }),
  ),
  address: Type.Optional(
    Type.String({ description: 'Address is a host that OLM can use to connect to a pre-existing registry.' }),
  ),
  image: Type.Optional(
    Type.String({
      description: 'Image is an operator-registry container image to instantiate a registry-server with.',
    }),
  ),
  grpcPodConfig: Type.Optional(
    FreeForm({
      description: 'GrpcPodConfig exposes different overrides for the pod spec of the CatalogSource Pod.',
    }),
  ),
  updateStrategy: Type.Optional(
    Type.Object({
      registryPoll: Type.Optional(
        Type.Object({
          interval: Type.Optional(
            Type.String({
              description:
                'Interval is used to determine the time interval between checks of the latest catalog source version.',
            }),
          ),
        }),
      ),
    }),
  ),
  secrets: Type.Optional(Type.Array(Type.String())),
  displayName: Type.Optional(Type.String({ description: 'Metadata' })),
  description: Type.Optional(Type.String()),
  publisher: Type.Optional(Type.String()),
  icon: Type.Optional(Type.Object({ base64data: Type.String(), mediatype: Type.String() })),
});
export type CatalogSourceSpec = Static<typeof CatalogSourceSpec>;

export const CatalogSourceStatus = Type.Object({
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  latestImageRegistryPoll: Type.Optional(Timestamp()),
  configMapReference: Type.Optional(FreeForm()),
  registryService: Type.Optional(
    Type.Object({
      protocol: Type.Optional(Type.String()),
      serviceName: Type.Optional(Type.String()),
      serviceNamespace: Type.Optional(Type.String()),
      port: Type.Optional(Type.String()),
      createdAt: Type.Optional(Timestamp()),
    }),
  ),
  connectionState: Type.Optional(
    Type.Object({
      address: Type.Optional(Type.String()),
      lastObservedState: Type.String({
        description: 'The last observed gRPC connectivity state, e.g. READY.',
      }),
      lastConnect: Type.Optional(Timestamp()),
    }),
  ),
  conditions: Type.Optional(Conditions()),
});
export type CatalogSourceStatus = Static<typeof CatalogSourceStatus>;

export const CatalogSourceSchema = kindSchema(CatalogSourceSpec, CatalogSourceStatus, {
  description: 'CatalogSource is a repository of CSVs, CRDs, and operator packages.',
});

export type CatalogSource = Resource<CatalogSourceSpec, CatalogSourceStatus>;

const printerColumns: readonly PrinterColumn[] = [
  {
    name: 'Display',
    type: 'string',
    jsonPath: '.spec.displayName',
    description: 'The pretty name of the catalog',
  },
  { name: 'Type', type: 'string', jsonPath: '.spec.sourceType', description: 'The type of the catalog' },
  {
    name: 'Publisher',
    type: 'string',
    jsonPath: '.spec.publisher',
    description: 'The publisher of the catalog',
  },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export const catalogSourceKind: KindDefinition = {
  group,
  kind: 'CatalogSource',
  plural: 'catalogsources',
  singular: 'catalogsource',
  shortNames: ['catsrc'],
  categories: ['olm'],
  scope: 'Namespaced',
  versions: [{ name: v1alpha1, schema: CatalogSourceSchema, printerColumns }],
};
