// Transcribed mechanically from k8s.io/api/scheduling/v1: field numbers and types from generated.proto, JSON
// names, inline embedding and zero-value handling from the Go struct tags. Only the messages
// reachable from the kinds below are listed. Field syntax: see ../schema.ts.
import type { PackageSchema } from '../schema.ts';

export const schedulingV1: PackageSchema = {
  kinds: ['PriorityClass'],
  messages: {
    PriorityClass: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'value *int32',
      3: 'globalDefault bool',
      4: 'description string',
      5: 'preemptionPolicy *string',
    },
  },
};
