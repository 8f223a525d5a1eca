/**
 * Runs a host binary without a shell and turns a failure into an error that names the command line
 * and carries the program's own stderr, so a failed host step explains itself in a condition message.
 */
import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    cause?: unknown,
  ) {
    const detail = stderr.trim() || (cause instanceof Error ? cause.message : 'no output');
    const how = exitCode === null ? 'could not run' : `exit ${exitCode}`;
    super(`${command} failed (${how}): ${detail}`, { cause });
    this.name = 'CommandError';
  }
}

/** Renders a command line the way a person would type it, for messages only (nothing is run by a shell). */
export function formatCommand(binary: string, args: readonly string[]): string {
  return [binary, ...args].map(quoteForDisplay).join(' ');
}

function quoteForDisplay(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

// OS trees and repos can list thousands of paths; the default 1 MiB buffer is too small for that.
const maxBuffer = 256 * 1024 * 1024;

export function runCommand(
  binary: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const command = formatCommand(binary, args);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd: options.cwd, maxBuffer, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        // A numeric code is the exit status; a string code (ENOENT, EACCES) means the binary never ran.
        const exitCode = typeof error.code === 'number' ? error.code : null;
        reject(new CommandError(command, exitCode, stderr, error));
      },
    );
  });
}
