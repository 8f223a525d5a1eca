/**
 * API errors as Kubernetes reports them: every failure reaches the client as a metav1.Status with
 * the reason and code kubectl and client libraries branch on (IsNotFound, IsConflict, …).
 */
import { fieldErrorBody, formatFieldError, type FieldError } from './field-errors.ts';

export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason: string;
  readonly details?: StatusDetails;
  readonly code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `configmaps` or `deployments.apps`: how Kubernetes names a resource in messages. */
export interface QualifiedResource {
  readonly group: string;
  readonly resource: string;
}

function qualified(r: QualifiedResource): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

export const apiErrors = {
  notFound: (r: QualifiedResource, name: string): ApiError =>
    new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, {
      name,
      group: r.group,
      kind: r.resource,
    }),
  alreadyExists: (r: QualifiedResource, name: string): ApiError =>
    new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, {
      name,
      group: r.group,
      kind: r.resource,
    }),
  conflict: (r: QualifiedResource, name: string, why: string): ApiError =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, {
      name,
      group: r.group,
      kind: r.resource,
    }),
  invalid: (kind: string, group: string, name: string, errors: readonly FieldError[]): ApiError => {
    const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
    const list = errors.map(formatFieldError);
    const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
      name,
      group,
      kind,
      causes: errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
    });
  },
  badRequest: (message: string): ApiError => new ApiError(400, 'BadRequest', message),
  forbidden: (r: QualifiedResource, name: string, why: string): ApiError =>
    new ApiError(403, 'Forbidden', `${qualified(r)} "${name}" is forbidden: ${why}`, {
      name,
      group: r.group,
      kind: r.resource,
    }),
  methodNotAllowed: (message: string): ApiError => new ApiError(405, 'MethodNotAllowed', message),
  notAcceptable: (message: string): ApiError => new ApiError(406, 'NotAcceptable', message),
  unsupportedMediaType: (message: string): ApiError => new ApiError(415, 'UnsupportedMediaType', message),
  gone: (message: string): ApiError => new ApiError(410, 'Expired', message),
  tooLarge: (message: string): ApiError => new ApiError(413, 'RequestEntityTooLarge', message),
  unprocessable: (message: string): ApiError => new ApiError(422, 'Invalid', message),
  unavailable: (message: string): ApiError =>
    new ApiError(503, 'ServiceUnavailable', message, { retryAfterSeconds: 1 }),
  timeout: (message: string): ApiError => new ApiError(504, 'Timeout', message),
  internal: (message: string): ApiError => new ApiError(500, 'InternalError', message),
  pathNotFound: (path: string): ApiError =>
    new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`),
};
