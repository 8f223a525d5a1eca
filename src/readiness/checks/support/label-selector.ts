/** metav1.LabelSelector matching (LabelSelectorAsSelector): matchLabels and matchExpressions ANDed. */
import type { LabelSelector } from '../../../api/kube-types.ts';

export type Labels = Readonly<Record<string, string>>;

/**
 * An empty selector matches everything; `null`/absent matches nothing — the policy/v1
 * PodDisruptionBudget rule (policy/v1beta1 read an empty selector as "nothing").
 */
export function selects(selector: LabelSelector | null | undefined, labels: Labels | undefined): boolean {
  if (selector === null || selector === undefined) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const value = have[requirement.key];
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function describeSelector(selector: LabelSelector | null | undefined): string {
  if (selector === null || selector === undefined) return '(none)';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const values = (r.values ?? []).join(',');
    parts.push(
      r.operator === 'Exists'
        ? r.key
        : r.operator === 'DoesNotExist'
          ? `!${r.key}`
          : `${r.key} ${r.operator.toLowerCase()} (${values})`,
    );
  }
  return parts.length === 0 ? '(everything)' : parts.join(',');
}
