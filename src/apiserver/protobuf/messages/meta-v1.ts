// Transcribed mechanically from k8s.io/apimachinery/pkg/apis/meta/v1: field numbers and types from generated.proto, JSON
// names, inline embedding and zero-value handling from the Go struct tags. Only the messages
// reachable from the kinds below are listed. Field syntax: see ../schema.ts.
import type { PackageSchema } from '../schema.ts';

export const metaV1: PackageSchema = {
  kinds: [
    'ApplyOptions',
    'CreateOptions',
    'DeleteOptions',
    'GetOptions',
    'ListOptions',
    'PatchOptions',
    'TableOptions',
    'UpdateOptions',
  ],
  messages: {
    ApplyOptions: {
      1: 'dryRun []string',
      2: 'force *bool',
      3: 'fieldManager *string',
    },
    Condition: {
      1: 'type *string',
      2: 'status *string',
      3: 'observedGeneration int64',
      4: 'lastTransitionTime Time',
      5: 'reason *string',
      6: 'message *string',
    },
    CreateOptions: {
      1: 'dryRun []string',
      3: 'fieldManager string',
      4: 'fieldValidation string',
    },
    DeleteOptions: {
      1: 'gracePeriodSeconds *int64',
      2: 'preconditions Preconditions',
      3: 'orphanDependents *bool',
      4: 'propagationPolicy *string',
      5: 'dryRun []string',
      6: 'ignoreStoreReadErrorWithClusterBreakingPotential *bool',
    },
    FieldSelectorRequirement: {
      1: 'key *string',
      2: 'operator *string',
      3: 'values []string',
    },
    GetOptions: {
      1: 'resourceVersion string',
    },
    LabelSelector: {
      1: 'matchLabels map[string]string',
      2: 'matchExpressions []LabelSelectorRequirement',
    },
    LabelSelectorRequirement: {
      1: 'key *string',
      2: 'operator *string',
      3: 'values []string',
    },
    ListOptions: {
      1: 'labelSelector string',
      2: 'fieldSelector string',
      3: 'watch bool',
      9: 'allowWatchBookmarks bool',
      4: 'resourceVersion string',
      10: 'resourceVersionMatch string',
      5: 'timeoutSeconds *int64',
      7: 'limit int64',
      8: 'continue string',
      11: 'sendInitialEvents *bool',
      15: 'shardSelector string',
    },
    ManagedFieldsEntry: {
      1: 'manager string',
      2: 'operation string',
      3: 'apiVersion string',
      4: 'time Time',
      6: 'fieldsType string',
      7: 'fieldsV1 RawJSON',
      8: 'subresource string',
    },
    ObjectMeta: {
      1: 'name string',
      2: 'generateName string',
      3: 'namespace string',
      4: 'selfLink string',
      5: 'uid string',
      6: 'resourceVersion string',
      7: 'generation int64',
      8: 'creationTimestamp Time',
      9: 'deletionTimestamp Time',
      10: 'deletionGracePeriodSeconds *int64',
      11: 'labels map[string]string',
      12: 'annotations map[string]string',
      13: 'ownerReferences []OwnerReference',
      14: 'finalizers []string',
      17: 'managedFields []ManagedFieldsEntry',
    },
    OwnerReference: {
      5: 'apiVersion *string',
      1: 'kind *string',
      3: 'name *string',
      4: 'uid *string',
      6: 'controller *bool',
      7: 'blockOwnerDeletion *bool',
    },
    PatchOptions: {
      1: 'dryRun []string',
      2: 'force *bool',
      3: 'fieldManager string',
      4: 'fieldValidation string',
    },
    Preconditions: {
      1: 'uid *string',
      2: 'resourceVersion *string',
    },
    TableOptions: {
      1: 'includeObject string',
    },
    UpdateOptions: {
      1: 'dryRun []string',
      2: 'fieldManager string',
      3: 'fieldValidation string',
    },
  },
};
