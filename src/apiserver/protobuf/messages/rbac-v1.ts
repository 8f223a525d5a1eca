// Transcribed mechanically from k8s.io/api/rbac/v1: field numbers and types from generated.proto, JSON
// names, inline embedding and zero-value handling from the Go struct tags. Only the messages
// reachable from the kinds below are listed. Field syntax: see ../schema.ts.
import type { PackageSchema } from '../schema.ts';

export const rbacV1: PackageSchema = {
  kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  messages: {
    AggregationRule: {
      1: 'clusterRoleSelectors []meta.v1.LabelSelector',
    },
    ClusterRole: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'rules []PolicyRule',
      3: 'aggregationRule AggregationRule',
    },
    ClusterRoleBinding: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'subjects []Subject',
      3: 'roleRef RoleRef',
    },
    PolicyRule: {
      1: 'verbs []string',
      2: 'apiGroups []string',
      3: 'resources []string',
      4: 'resourceNames []string',
      5: 'nonResourceURLs []string',
    },
    Role: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'rules []PolicyRule',
    },
    RoleBinding: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'subjects []Subject',
      3: 'roleRef RoleRef',
    },
    RoleRef: {
      1: 'apiGroup *string',
      2: 'kind *string',
      3: 'name *string',
    },
    Subject: {
      1: 'kind *string',
      2: 'apiGroup string',
      3: 'name *string',
      4: 'namespace string',
    },
  },
};
