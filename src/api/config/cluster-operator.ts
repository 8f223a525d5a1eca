/** ClusterOperator (config.openshift.io/v1): one platform component's health as the CVO collects it. */
import { Type, type Static } from '@sinclair/typebox';
import { FreeForm, kindSchema, type KindDefinition } from '../kind.ts';
import { requireSpec, type KindObject } from '../kube-types.ts';
import { ClusterOperatorStatusConditions } from './cluster-version.ts';
import { group, version } from './constants.ts';

export const OperandVersion = Type.Object({
  name: Type.String({ description: 'name is the name of the particular operand this version is for.' }),
  version: Type.String({
    description: 'version indicates which version of a particular operand is currently being managed.',
  }),
});
export type OperandVersion = Static<typeof OperandVersion>;

export const RelatedObject = Type.Object({
  group: Type.String({ description: 'group of the referent.' }),
  resource: Type.String({ description: 'resource of the referent.' }),
  namespace: Type.Optional(Type.String({ description: 'namespace of the referent.' })),
  name: Type.String({ description: 'name of the referent.' }),
});
export type RelatedObject = Static<typeof RelatedObject>;

export const ClusterOperatorSpec = Type.Object(
  {},
  { description: 'spec holds configuration that could apply to any operator.' },
);

export const ClusterOperatorStatus = Type.Object(
  {
    conditions: Type.Optional(
      ClusterOperatorStatusConditions(
        "conditions describes the state of the operator's managed and monitored components.",
      ),
    ),
    versions: Type.Optional(
      Type.Array(OperandVersion, {
        description: 'versions is a slice of operator and operand version tuples.',
      }),
    ),
    relatedObjects: Type.Optional(
      Type.Array(RelatedObject, {
        description:
          'relatedObjects is a list of objects that are "interesting" or related to this operator.',
      }),
    ),
    extension: Type.Optional(
      FreeForm({
        nullable: true,
        description:
          'extension contains any additional status information specific to the operator which owns this status object.',
      }),
    ),
  },
  { description: 'status holds the information about the state of an operator.' },
);
export type ClusterOperatorStatus = Static<typeof ClusterOperatorStatus>;

export const ClusterOperator = requireSpec(
  kindSchema(ClusterOperatorSpec, ClusterOperatorStatus, {
    description:
      'ClusterOperator holds the status of a core or optional OpenShift component managed by the Cluster Version Operator (CVO).',
  }),
);
export type ClusterOperator = KindObject<Record<string, never>, ClusterOperatorStatus>;

export const clusterOperatorKind: KindDefinition = {
  group,
  kind: 'ClusterOperator',
  plural: 'clusteroperators',
  singular: 'clusteroperator',
  shortNames: ['co'],
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: ClusterOperator,
      printerColumns: [
        {
          name: 'Version',
          type: 'string',
          jsonPath: '.status.versions[?(@.name=="operator")].version',
          description: 'The version the operator is at.',
        },
        {
          name: 'Available',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Available")].status',
          description: 'Whether the operator is running and stable.',
        },
        {
          name: 'Progressing',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Progressing")].status',
          description: 'Whether the operator is processing changes.',
        },
        {
          name: 'Degraded',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Degraded")].status',
          description: 'Whether the operator is degraded.',
        },
        {
          name: 'Since',
          type: 'date',
          jsonPath: '.status.conditions[?(@.type=="Available")].lastTransitionTime',
          description: "The time the operator's Available status last changed.",
        },
        // Seed 002's `oc get clusteroperator` output ends with a MESSAGE column, which the
        // openshift/api CRD we read does not declare; it shows the Progressing message.
        {
          name: 'Message',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Progressing")].message',
          description: "The message of the operator's Progressing condition.",
        },
      ],
    },
  ],
};
