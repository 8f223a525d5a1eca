/** Every readiness check, in report order (by requirement). */
import type { Check } from '../report/context.ts';
import { adminAcksCheck } from './admin-acks.ts';
import { alertsCheck } from './alerts.ts';
import { etcdBackupCheck } from './etcd-backup.ts';
import { microarchitectureCheck } from './microarchitecture.ts';
import { nodeCapacityCheck } from './node-capacity.ts';
import { podDisruptionBudgetsCheck } from './pod-disruption-budgets.ts';
import { recommendedTargetCheck } from './recommended-target.ts';
import { removedApiUsageCheck } from './removed-api-usage.ts';
import { upgradeableCheck } from './upgradeable.ts';

export const allChecks: readonly Check[] = [
  microarchitectureCheck,
  removedApiUsageCheck,
  alertsCheck,
  adminAcksCheck,
  recommendedTargetCheck,
  etcdBackupCheck,
  upgradeableCheck,
  podDisruptionBudgetsCheck,
  nodeCapacityCheck,
];
