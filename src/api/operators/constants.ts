/** Strings of the operators.coreos.com API group (Operator Lifecycle Manager). */

export const group = 'operators.coreos.com';
export const v1 = 'v1';
export const v1alpha1 = 'v1alpha1';

export const Approvals = ['Automatic', 'Manual'] as const;
export type Approval = (typeof Approvals)[number];

export const SubscriptionState = {
  None: '',
  UpgradeFailed: 'UpgradeFailed',
  UpgradeAvailable: 'UpgradeAvailable',
  UpgradePending: 'UpgradePending',
  AtLatestKnown: 'AtLatestKnown',
} as const;

export const SubscriptionCondition = {
  CatalogSourcesUnhealthy: 'CatalogSourcesUnhealthy',
  InstallPlanMissing: 'InstallPlanMissing',
  InstallPlanPending: 'InstallPlanPending',
  InstallPlanFailed: 'InstallPlanFailed',
  ResolutionFailed: 'ResolutionFailed',
  BundleUnpacking: 'BundleUnpacking',
  BundleUnpackFailed: 'BundleUnpackFailed',
  Deprecated: 'Deprecated',
  PackageDeprecated: 'PackageDeprecated',
  ChannelDeprecated: 'ChannelDeprecated',
  BundleDeprecated: 'BundleDeprecated',
} as const;

export const CsvPhases = [
  '',
  'Pending',
  'InstallReady',
  'Installing',
  'Succeeded',
  'Failed',
  'Unknown',
  'Replacing',
  'Deleting',
] as const;
export type CsvPhase = (typeof CsvPhases)[number];

export const CsvReason = {
  RequirementsUnknown: 'RequirementsUnknown',
  RequirementsNotMet: 'RequirementsNotMet',
  RequirementsMet: 'AllRequirementsMet',
  OwnerConflict: 'OwnerConflict',
  ComponentFailed: 'InstallComponentFailed',
  InvalidStrategy: 'InvalidInstallStrategy',
  Waiting: 'InstallWaiting',
  InstallSuccessful: 'InstallSucceeded',
  InstallCheckFailed: 'InstallCheckFailed',
  ComponentUnhealthy: 'ComponentUnhealthy',
  BeingReplaced: 'BeingReplaced',
  Replaced: 'Replaced',
  NeedsReinstall: 'NeedsReinstall',
  Copied: 'Copied',
  NoOperatorGroup: 'NoOperatorGroup',
  TooManyOperatorGroups: 'TooManyOperatorGroups',
  OperatorConditionNotUpgradeable: 'OperatorConditionNotUpgradeable',
} as const;

export const SourceTypes = ['internal', 'configmap', 'grpc'] as const;
export const UpgradeStrategies = ['Default', 'TechPreviewUnsafeFailForward'] as const;

export const Annotation = {
  OperatorGroup: 'olm.operatorGroup',
  OperatorNamespace: 'olm.operatorNamespace',
  TargetNamespaces: 'olm.targetNamespaces',
  ProvidedAPIs: 'olm.providedAPIs',
  SkipRange: 'olm.skipRange',
} as const;

/** Where OpenShift's default catalog sources live (seed 003 §4.3 `sourceNamespace`). */
export const MarketplaceNamespace = 'openshift-marketplace';
