/**
 * Structured logs: one JSON object per line, naming the object (kind, namespace, name) an entry is
 * about. Quiet by default: only errors are written unless a lower level is asked for.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every entry. */
  with(fields: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const threshold = rank[options.level ?? 'error'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const emit =
    (level: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields: LogFields = {}): void => {
      if (rank[level] < threshold) return;
      const entry: LogFields = { time: now().toISOString(), level, msg, ...base, ...fields };
      if (entry.error instanceof Error) entry.error = entry.error.message;
      write(`${JSON.stringify(entry)}\n`);
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    with: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });

/** What components log through when given no logger: errors only, to stderr. */
export const defaultLogger: Logger = createLogger();

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
