/**
 * Field errors in the shape and wording of Kubernetes' apimachinery `field.Error`, so that messages
 * users see from `kubectl apply` read exactly like a real API server's:
 *   spec.replicas: Invalid value: "x": spec.replicas in body must be of type integer: "string"
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Kinds whose message never repeats the offending value (as in apimachinery). */
const omitsValue = new Set<FieldErrorType>([
  'FieldValueRequired',
  'FieldValueForbidden',
  'FieldValueTooLong',
  'InternalError',
]);

export interface FieldError {
  readonly type: FieldErrorType;
  /** Dotted path with indices: `spec.template.spec.containers[0].image`. */
  readonly field: string;
  readonly detail: string;
  readonly value?: unknown;
  readonly hasValue: boolean;
}

function make(
  type: FieldErrorType,
  field: string,
  detail: string,
  value?: unknown,
  hasValue = true,
): FieldError {
  return { type, field, detail, value, hasValue };
}

export const fieldError = {
  required: (field: string, detail = ''): FieldError =>
    make('FieldValueRequired', field, detail, undefined, false),
  forbidden: (field: string, detail: string): FieldError =>
    make('FieldValueForbidden', field, detail, undefined, false),
  invalid: (field: string, value: unknown, detail: string): FieldError =>
    make('FieldValueInvalid', field, detail, value),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError =>
    make('FieldValueTypeInvalid', field, detail, value),
  notSupported: (field: string, value: unknown, allowed: readonly unknown[]): FieldError =>
    make(
      'FieldValueNotSupported',
      field,
      allowed.length > 0 ? `supported values: ${allowed.map((a) => formatValue(a)).join(', ')}` : '',
      value,
    ),
  duplicate: (field: string, value: unknown): FieldError => make('FieldValueDuplicate', field, '', value),
  notFound: (field: string, value: unknown): FieldError => make('FieldValueNotFound', field, '', value),
  tooLong: (field: string, max: number): FieldError =>
    make('FieldValueTooLong', field, `may not be more than ${max} bytes`, undefined, false),
  tooMany: (field: string, actual: number, max: number): FieldError =>
    make('FieldValueTooMany', field, `must have at most ${max} items`, actual),
  internal: (field: string, detail: string): FieldError =>
    make('InternalError', field, detail, undefined, false),
};

/** Formats a value the way Go's `%q`/`%v` would show it in a field error. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/** The part after `field: ` — what a Status cause carries as its message. */
export function fieldErrorBody(error: FieldError): string {
  let body = typeText[error.type];
  if (!omitsValue.has(error.type) && error.hasValue) body += `: ${formatValue(error.value)}`;
  if (error.detail !== '') body += `: ${error.detail}`;
  return body;
}

export function formatFieldError(error: FieldError): string {
  return error.field === '' ? fieldErrorBody(error) : `${error.field}: ${fieldErrorBody(error)}`;
}

/** Joins a path: child('spec', 'replicas') → spec.replicas; index('spec.items', 2) → spec.items[2]. */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function indexPath(parent: string, index: number | string): string {
  return typeof index === 'number' ? `${parent}[${index}]` : `${parent}[${index}]`;
}
