/** A CEL runtime error. Evaluation throws it; `&&`, `||` and the macros absorb it like CEL does. */
export class CelEvalError extends Error {
  override readonly name = 'CelEvalError';
}

export function noSuchOverload(): CelEvalError {
  return new CelEvalError('no such overload');
}

/** One compile-time problem, located at a character offset of the expression. */
export interface CelIssue {
  readonly offset: number;
  readonly message: string;
}

export class CelCompileError extends Error {
  override readonly name = 'CelCompileError';
  constructor(
    readonly source: string,
    readonly issues: readonly CelIssue[],
  ) {
    super(formatIssues(source, issues));
  }
}

/**
 * cel-go's Issues.String(): each issue as `ERROR: <input>:line:col: message`, followed by the
 * offending source line and a caret under the column.
 */
export function formatIssues(source: string, issues: readonly CelIssue[]): string {
  return issues
    .map((issue) => {
      const before = source.slice(0, issue.offset);
      const line = before.split('\n').length;
      const lineStart = before.lastIndexOf('\n') + 1;
      const column = [...source.slice(lineStart, issue.offset)].length;
      const lineText = source.slice(lineStart).split('\n')[0] ?? '';
      return (
        `ERROR: <input>:${line}:${column + 1}: ${issue.message}\n` +
        ` | ${lineText}\n` +
        ` | ${'.'.repeat(column)}^`
      );
    })
    .join('\n');
}
