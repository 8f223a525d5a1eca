/**
 * Failures as the API server reports them: a metav1.Status with the code and reason callers
 * branch on (the equivalents of apimachinery's IsNotFound, IsConflict, …).
 */
import type { ApiStatus } from './object.ts';

/** Reasons Kubernetes gives each code when a body does not say (apimachinery's StatusReason). */
const reasonsByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class ApiStatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: ApiStatus;

  constructor(status: ApiStatus, context?: string) {
    const code = status.code ?? 500;
    const message = status.message ?? `the server answered ${code}`;
    super(context === undefined ? message : `${context}: ${message}`);
    this.name = 'ApiStatusError';
    this.code = code;
    this.reason = status.reason ?? reasonsByCode[code] ?? 'Unknown';
    this.status = status;
  }

  /** Builds the error for a reply whose body may or may not be a Status (a proxy's text page). */
  static fromReply(code: number, body: string, context?: string): ApiStatusError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (isStatus(parsed)) return new ApiStatusError({ ...parsed, code: parsed.code ?? code }, context);
    const text = body.trim();
    return new ApiStatusError(
      {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code,
        reason: reasonsByCode[code] ?? 'Unknown',
        message: text === '' ? `the server answered ${code} with no body` : text.slice(0, 500),
      },
      context,
    );
  }
}

export function isStatus(value: unknown): value is ApiStatus {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

const statusError = (error: unknown): ApiStatusError | undefined =>
  error instanceof ApiStatusError ? error : undefined;

export const isNotFound = (error: unknown): boolean => statusError(error)?.code === 404;
export const isAlreadyExists = (error: unknown): boolean =>
  statusError(error)?.code === 409 && statusError(error)?.reason === 'AlreadyExists';
/** A write refused because the object changed since it was read (409, not AlreadyExists). */
export const isConflict = (error: unknown): boolean =>
  statusError(error)?.code === 409 && statusError(error)?.reason !== 'AlreadyExists';
/** 410: the resourceVersion asked for was compacted away (reason Expired or Gone). */
export const isGone = (error: unknown): boolean => statusError(error)?.code === 410;

/** A request that never got an HTTP answer: refused, reset, timed out. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/**
 * A failure that says nothing about the request itself and may well pass on a retry: no answer,
 * the server overloaded or briefly unavailable (a restart, a reboot), or a write that lost a race.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  const status = statusError(error);
  if (status === undefined) return false;
  return [429, 500, 502, 503, 504].includes(status.code) || isConflict(error);
}
