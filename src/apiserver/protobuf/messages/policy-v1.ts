// Transcribed mechanically from k8s.io/api/policy/v1: field numbers and types from generated.proto, JSON
// names, inline embedding and zero-value handling from the Go struct tags. Only the messages
// reachable from the kinds below are listed. Field syntax: see ../schema.ts.
import type { PackageSchema } from '../schema.ts';

export const policyV1: PackageSchema = {
  kinds: ['Eviction', 'PodDisruptionBudget'],
  messages: {
    Eviction: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'deleteOptions meta.v1.DeleteOptions',
    },
    PodDisruptionBudget: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'spec PodDisruptionBudgetSpec',
      3: 'status PodDisruptionBudgetStatus',
    },
    PodDisruptionBudgetSpec: {
      1: 'minAvailable IntOrString',
      2: 'selector meta.v1.LabelSelector',
      3: 'maxUnavailable IntOrString',
      4: 'unhealthyPodEvictionPolicy *string',
    },
    PodDisruptionBudgetStatus: {
      1: 'observedGeneration int64',
      2: 'disruptedPods map[string]Time',
      3: 'disruptionsAllowed *int32',
      4: 'currentHealthy *int32',
      5: 'desiredHealthy *int32',
      6: 'expectedPods *int32',
      7: 'conditions []meta.v1.Condition',
    },
  },
};
