/** Policy: configuration templates RHACM applies to (enforce) or checks on (inform) managed clusters. */
import { Type, type Static } from '@sinclair/typebox';

import {
  FreeForm,
  StringEnum,
  Timestamp,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { ComplianceStates, RemediationActions, group, version } from './constants.ts';

export const PolicyDependency = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  name: Type.String({ description: 'The name of the object to be checked' }),
  namespace: Type.Optional(
    Type.String({ description: 'The namespace of the object to be checked (optional)' }),
  ),
  compliance: StringEnum(ComplianceStates, {
    description:
      'The ComplianceState (at path .status.compliant) required before the policy should be created',
  }),
});

export const PolicyTemplate = Type.Object({
  objectDefinition: FreeForm({
    description: 'A Kubernetes object defining the policy to apply to a managed cluster',
  }),
  extraDependencies: Type.Optional(
    Type.Array(PolicyDependency, {
      description: 'Additional PolicyDependencies that only apply to this template',
    }),
  ),
  ignorePending: Type.Optional(
    Type.Boolean({
      description: "Ignore this template's Pending status when calculating the overall Policy status",
    }),
  ),
});
export type PolicyTemplate = Static<typeof PolicyTemplate>;

export const PolicySpec = Type.Object({
  disabled: Type.Optional(
    Type.Boolean({ description: 'This provides the ability to enable and disable your policies.' }),
  ),
  remediationAction: Type.Optional(
    StringEnum(RemediationActions, {
      description: 'This value (Enforce or Inform) will override the remediationAction on each template',
    }),
  ),
  'policy-templates': Type.Array(PolicyTemplate, {
    description: 'Used to create one or more policies to apply to a managed cluster',
  }),
  dependencies: Type.Optional(
    Type.Array(PolicyDependency, {
      description: 'PolicyDependencies that apply to each template in this Policy',
    }),
  ),
});
export type PolicySpec = Static<typeof PolicySpec>;

export const CompliancePerClusterStatus = Type.Object({
  compliant: Type.Optional(StringEnum(ComplianceStates)),
  clustername: Type.Optional(Type.String()),
  clusternamespace: Type.Optional(Type.String()),
});

export const PolicyStatus = Type.Object({
  placement: Type.Optional(
    Type.Array(
      Type.Object({
        placementBinding: Type.Optional(Type.String()),
        placementRule: Type.Optional(Type.String()),
        placement: Type.Optional(Type.String()),
        policySet: Type.Optional(Type.String()),
        decisions: Type.Optional(
          Type.Array(
            Type.Object({
              clusterName: Type.Optional(Type.String()),
              clusterNamespace: Type.Optional(Type.String()),
            }),
          ),
        ),
      }),
    ),
  ),
  status: Type.Optional(
    Type.Array(CompliancePerClusterStatus, { description: 'Compliance per cluster (root policy).' }),
  ),
  compliant: Type.Optional(
    StringEnum(ComplianceStates, { description: 'Overall compliance (replicated policy).' }),
  ),
  details: Type.Optional(
    Type.Array(
      Type.Object({
        templateMeta: Type.Optional(FreeForm()),
        compliant: Type.Optional(StringEnum(ComplianceStates)),
        history: Type.Optional(
          Type.Array(
            Type.Object({
              lastTimestamp: Type.Optional(Timestamp()),
              message: Type.Optional(Type.String()),
              eventName: Type.Optional(Type.String()),
            }),
          ),
        ),
      }),
    ),
  ),
});
export type PolicyStatus = Static<typeof PolicyStatus>;

export const PolicySchema = kindSchema(PolicySpec, PolicyStatus, {
  description: 'Policy is the Schema for the policies API',
});

export type Policy = Resource<PolicySpec, PolicyStatus>;

const printerColumns: readonly PrinterColumn[] = [
  { name: 'Remediation action', type: 'string', jsonPath: '.spec.remediationAction' },
  { name: 'Compliance state', type: 'string', jsonPath: '.status.compliant' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export const policyKind: KindDefinition = {
  group,
  kind: 'Policy',
  plural: 'policies',
  singular: 'policy',
  shortNames: ['plc'],
  scope: 'Namespaced',
  versions: [{ name: version, schema: PolicySchema, printerColumns }],
};
