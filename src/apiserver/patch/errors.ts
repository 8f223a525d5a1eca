/**
 * Why a PATCH could not be applied, with the HTTP status kube-apiserver answers with: 400 when the
 * patch document itself is malformed, 422 when it is well formed but cannot apply to the object
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go). Messages keep upstream's wording
 * (evanphx/json-patch, apimachinery mergepatch) so that kubectl users see familiar text.
 */
export class PatchError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 422,
  ) {
    super(message);
    this.name = 'PatchError';
  }

  /** The metav1.Status reason kube-apiserver pairs with this status code. */
  get reason(): 'BadRequest' | 'Invalid' {
    return this.status === 400 ? 'BadRequest' : 'Invalid';
  }
}

export function malformedPatch(message: string): PatchError {
  return new PatchError(message, 400);
}

export function unappliablePatch(message: string): PatchError {
  return new PatchError(message, 422);
}

/** Renders a JSON value as Go's `%v` prints a decoded `interface{}`, as upstream messages embed it. */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${formatGoValue(v)}`).join(' ')}]`;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return typeof value;
}

/** The Go type a JSON value decodes to, as `reflect.TypeOf` names it in upstream messages. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  switch (typeof value) {
    case 'object':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    default:
      return typeof value;
  }
}
