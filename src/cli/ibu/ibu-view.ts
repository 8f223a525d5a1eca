/** How `lcm ibu status` and `watch` show an ImageBasedUpgrade: stage, state, conditions, history. */
import type { ImageBasedUpgradeSpec, ImageBasedUpgradeStatus } from '../../api/lca/image-based-upgrade.ts';
import type { KubeObject } from '../../client/object.ts';
import { formatTable } from '../output.ts';

export type ServedIbu = KubeObject<ImageBasedUpgradeSpec, ImageBasedUpgradeStatus>;

const inProgressTypes = ['PrepInProgress', 'UpgradeInProgress', 'RollbackInProgress'];
const completedTypes = ['PrepCompleted', 'UpgradeCompleted', 'RollbackCompleted'];

/** One line: `Upgrade: InProgress — Backing up Application Data`. */
export function summaryLine(ibu: ServedIbu): string {
  const conditions = ibu.status?.conditions ?? [];
  const stage = ibu.spec?.stage ?? 'Idle';
  const running = conditions.find((c) => inProgressTypes.includes(c.type) && c.status === 'True');
  if (running) return `${stage}: in progress — ${running.message}`;
  const idle = conditions.find((c) => c.type === 'Idle');
  if (stage === 'Idle' && idle?.status === 'True') return 'Idle: ready';
  const completed = conditions.find((c) => completedTypes.includes(c.type) && c.type.startsWith(stage));
  if (completed?.status === 'True') return `${stage}: completed — ${completed.message}`;
  if (completed?.status === 'False') return `${stage}: failed — ${completed.message}`;
  return `${stage}: ${idle?.message ?? 'waiting for the agent'}`;
}

export function describeIbu(ibu: ServedIbu): string {
  const status = ibu.status ?? {};
  const lines = [
    `stage: ${ibu.spec?.stage ?? 'Idle'}    ${summaryLine(ibu)}`,
    `seed: ${ibu.spec?.seedImageRef?.image ?? '-'} (${ibu.spec?.seedImageRef?.version ?? '-'})`,
    `valid next stages: ${(status.validNextStages ?? []).join(', ') || '(none now)'}`,
    '',
    formatTable(
      ['condition', 'status', 'reason', 'message'],
      (status.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
    ).trimEnd(),
  ];
  const history = status.history ?? [];
  if (history.length > 0) {
    lines.push(
      '',
      formatTable(
        ['stage', 'started', 'completed'],
        history.map((h) => [h.stage ?? '', h.startTime ?? '', h.completionTime ?? '']),
      ).trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}
