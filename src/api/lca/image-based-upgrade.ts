/** ImageBasedUpgrade (lca.openshift.io/v1): the target cluster's request to move through the IBU stages. */
import { Type, type Static } from '@sinclair/typebox';
import { Conditions, StringEnum, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import type { KindObject } from '../kube-types.ts';
import { group, stages, validationMessages, version } from './constants.ts';

export const ConfigMapRef = Type.Object(
  {
    name: Type.String(),
    namespace: Type.String(),
  },
  { description: 'ConfigMapRef defines a reference to a config map' },
);
export type ConfigMapRef = Static<typeof ConfigMapRef>;

const Stage = (description: string) => StringEnum(stages, { description });

export const SeedImageRef = Type.Object(
  {
    version: Type.Optional(
      Type.String({
        description:
          'Version defines the target platform version. The value must match the version of the seed image.',
      }),
    ),
    image: Type.Optional(
      Type.String({
        description: 'Image defines the full pull-spec of the seed container image to use.',
        minLength: 1,
        pattern: '^([a-z0-9]+://)?[\\S]+$',
      }),
    ),
    pullSecretRef: Type.Optional(
      Type.Object(
        { name: Type.String() },
        {
          description:
            'PullSecretRef defines the reference to a secret with credentials to pull container images.',
        },
      ),
    ),
  },
  { description: 'SeedImageRef defines the seed image and OCP version for the upgrade' },
);
export type SeedImageRef = Static<typeof SeedImageRef>;

export const AutoRollbackOnFailure = Type.Object(
  {
    // Seed 000: unset or 0 means 1800 seconds; the controller applies that, as upstream does.
    initMonitorTimeoutSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'InitMonitorTimeoutSeconds defines the time frame in seconds. If not defined or set to 0, the default value of 1800 seconds (30 minutes) is used.',
      }),
    ),
  },
  {
    description:
      'AutoRollbackOnFailure defines automatic rollback settings if the upgrade fails or if the upgrade does not complete within the specified time limit.',
  },
);

export const ImageBasedUpgradeSpec = Type.Object(
  {
    stage: Type.Optional(
      StringEnum(stages, {
        description: 'ImageBasedUpgradeStage defines the type for the IBU stage field',
        default: 'Idle',
      }),
    ),
    seedImageRef: Type.Optional(SeedImageRef),
    oadpContent: Type.Optional(
      Type.Array(ConfigMapRef, {
        description:
          'OADPContent defines the list of ConfigMap resources that contain the OADP Backup and Restore CRs.',
      }),
    ),
    extraManifests: Type.Optional(
      Type.Array(ConfigMapRef, {
        description:
          'ExtraManifests defines the list of ConfigMap resources that contain the user-specific extra manifests to be applied during the upgrade post-pivot stage.',
      }),
    ),
    autoRollbackOnFailure: Type.Optional(AutoRollbackOnFailure),
  },
  { description: 'ImageBasedUpgradeSpec defines the desired state of ImageBasedUpgrade' },
);
export type ImageBasedUpgradeSpec = Static<typeof ImageBasedUpgradeSpec>;

export const Phase = Type.Object({
  phase: Type.Optional(Type.String({ description: 'Phase current phase within a Stage' })),
  startTime: Type.Optional(
    Timestamp({ description: 'StartTime A timestamp indicating the Phase has started' }),
  ),
  completionTime: Type.Optional(
    Timestamp({ description: 'CompletionTime A timestamp indicating the phase completed.' }),
  ),
});

export const History = Type.Object({
  stage: Type.Optional(Stage('Stage The desired stage name read from spec')),
  phases: Type.Optional(
    Type.Array(Phase, {
      description:
        'Phase Allows for a more granular view of the important tasks that are performed when moving a desired Stage',
    }),
  ),
  startTime: Type.Optional(
    Timestamp({ description: 'StartTime A timestamp to indicate the Stage has started' }),
  ),
  completionTime: Type.Optional(
    Timestamp({ description: 'CompletionTime A timestamp indicating the Stage completed.' }),
  ),
});
export type History = Static<typeof History>;

export const ImageBasedUpgradeStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
    conditions: Type.Optional(Conditions()),
    validNextStages: Type.Optional(
      Type.Array(Stage('ImageBasedUpgradeStage defines the type for the IBU stage field')),
    ),
    rollbackAvailabilityExpiration: Type.Optional(
      Timestamp({
        description:
          'RollbackAvailabilityExpiration reflects the point at which rolling back may require manual recovery from expired control plane certificates.',
      }),
    ),
    history: Type.Optional(
      Type.Array(History, {
        description: 'History stores timing info of different IBU stages and their important phases',
      }),
    ),
  },
  { description: 'ImageBasedUpgradeStatus defines the observed state of ImageBasedUpgrade' },
);
export type ImageBasedUpgradeStatus = Static<typeof ImageBasedUpgradeStatus>;

/**
 * Upstream's rule for the fields that are frozen while an upgrade is under way: editable before
 * the first status, while Idle is True, when moving back to Idle, or when unchanged.
 */
function frozenWhileInProgress(field: string) {
  return {
    rule:
      `!has(oldSelf.status) || oldSelf.status.conditions.exists(c, c.type=='Idle' && c.status=='True') || ` +
      `self.spec.stage=='Idle' || has(oldSelf.spec.${field}) && has(self.spec.${field}) && ` +
      `oldSelf.spec.${field}==self.spec.${field} || !has(self.spec.${field}) && !has(oldSelf.spec.${field})`,
    message: validationMessages.inProgress(field),
  };
}

export const ImageBasedUpgrade = kindSchema(ImageBasedUpgradeSpec, ImageBasedUpgradeStatus, {
  description: 'ImageBasedUpgrade is the Schema for the ImageBasedUpgrades API',
  'x-kubernetes-validations': [
    { rule: "self.metadata.name == 'upgrade'", message: validationMessages.ibuSingleton },
    frozenWhileInProgress('seedImageRef'),
    frozenWhileInProgress('oadpContent'),
    frozenWhileInProgress('extraManifests'),
    frozenWhileInProgress('autoRollbackOnFailure'),
    {
      rule:
        '!has(oldSelf.status) || has(oldSelf.status.validNextStages) && self.spec.stage in oldSelf.status.validNextStages || ' +
        'has(oldSelf.spec.stage) && has(self.spec.stage) && oldSelf.spec.stage==self.spec.stage',
      message: validationMessages.stageTransition,
    },
  ],
});

export type ImageBasedUpgrade = KindObject<ImageBasedUpgradeSpec, ImageBasedUpgradeStatus>;

export const imageBasedUpgradeKind: KindDefinition = {
  group,
  kind: 'ImageBasedUpgrade',
  plural: 'imagebasedupgrades',
  singular: 'imagebasedupgrade',
  shortNames: ['ibu'],
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: ImageBasedUpgrade,
      printerColumns: [
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'Desired Stage', type: 'string', jsonPath: '.spec.stage' },
        { name: 'State', type: 'string', jsonPath: '.status.conditions[-1:].reason' },
        { name: 'Details', type: 'string', jsonPath: '.status.conditions[-1:].message' },
      ],
    },
  ],
};
