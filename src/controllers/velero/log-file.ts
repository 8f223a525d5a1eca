/**
 * The per-backup / per-restore log Velero uploads next to the tarball (`<backup>-logs.gz`): logrus
 * text lines, kept in memory while the operation runs.
 */

export type LogFileLevel = 'info' | 'warning' | 'error';

export class LogFile {
  private readonly lines: string[] = [];

  constructor(
    private readonly now: () => Date,
    private readonly fields: Readonly<Record<string, string>>,
  ) {}

  add(level: LogFileLevel, msg: string, fields: Readonly<Record<string, string>> = {}): void {
    const extra = Object.entries({ ...this.fields, ...fields })
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join(' ');
    this.lines.push(
      `time=${quote(this.now().toISOString())} level=${level} msg=${quote(msg)} ${extra}`.trimEnd(),
    );
  }

  text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }
}

function quote(value: string): string {
  return /^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value);
}
