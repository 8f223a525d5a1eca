/** Kubernetes JSONPath (as in CRD additionalPrinterColumns: `.status.conditions[?(@.type=="Ready")].status`). */
import { JSONPath } from 'jsonpath-plus';

/** `.metadata.annotations.a\.b/c` (kubectl's escaped dot) → `.metadata.annotations['a.b/c']`. */
function unescapeDots(path: string): string {
  return path.replace(
    /\.((?:[^.[\]\\]|\\\.)*\\\.(?:[^.[\]\\]|\\\.)*)/g,
    (_match, name: string) => `['${name.replace(/\\\./g, '.')}']`,
  );
}

function toJsonPathPlus(path: string): string {
  const trimmed = unescapeDots(path.trim().replace(/^\{(.*)\}$/, '$1'));
  return trimmed.startsWith('$')
    ? trimmed
    : `$${trimmed.startsWith('.') || trimmed.startsWith('[') ? '' : '.'}${trimmed}`;
}

export function evaluateJsonPath(root: unknown, path: string): unknown[] {
  if (root === null || typeof root !== 'object') return [];
  const result: unknown = JSONPath({ path: toJsonPathPlus(path), json: root, wrap: true, eval: 'safe' });
  return Array.isArray(result) ? result : [];
}

/** Syntax check used when a CRD is created. */
export function jsonPathError(path: string): string | undefined {
  if (!path.startsWith('.')) return 'must be a simple json path starting with .';
  try {
    JSONPath({ path: toJsonPathPlus(path), json: {}, wrap: true, eval: 'safe' });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
