/**
 * Registry failures that say what was being done, to which registry and repository, and what to
 * fix: `pull 127.0.0.1:5000/ibu/seed:4.16: 401 Unauthorized from registry (check the pull secret…)`.
 */
import { STATUS_CODES } from 'node:http';

export interface RegistryErrorDetails {
  /** e.g. `pull 127.0.0.1:5000/ibu/seed:4.16`, `push blob sha256:… to 127.0.0.1:5000/ibu/seed` */
  readonly operation: string;
  readonly registry: string;
  readonly repository?: string;
  readonly status?: number;
  /** The registry's error code (`MANIFEST_UNKNOWN`, `UNAUTHORIZED`, …) or a network error code. */
  readonly code?: string;
}

export class RegistryError extends Error {
  readonly operation: string;
  readonly registry: string;
  readonly repository: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(message: string, details: RegistryErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RegistryError';
    this.operation = details.operation;
    this.registry = details.registry;
    this.repository = details.repository;
    this.status = details.status;
    this.code = details.code;
  }
}

/** The first entry of distribution's `{"errors":[{"code","message","detail"}]}` body, if any. */
export function registryErrorBody(body: string): { code?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'errors' in parsed && Array.isArray(parsed.errors)) {
      const first: unknown = parsed.errors[0];
      if (typeof first === 'object' && first !== null) {
        const code = 'code' in first && typeof first.code === 'string' ? first.code : undefined;
        const message = 'message' in first && typeof first.message === 'string' ? first.message : undefined;
        return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
      }
    }
  } catch {
    // not distribution's error format
  }
  return {};
}

export function statusError(
  details: Omit<RegistryErrorDetails, 'status' | 'code'>,
  status: number,
  body: string,
  hint?: string,
  from = 'registry',
): RegistryError {
  const { code, message } = registryErrorBody(body);
  const statusText = STATUS_CODES[status] ?? 'Unknown Status';
  const said =
    message !== undefined && message.toLowerCase() !== statusText.toLowerCase() ? `: ${message}` : '';
  return new RegistryError(
    `${details.operation}: ${status} ${statusText} from ${from}${said}${hint ? ` (${hint})` : ''}`,
    {
      ...details,
      status,
      ...(code !== undefined ? { code } : {}),
    },
  );
}

const unreachableReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
};

const lostReasons: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'broken pipe',
  ECONNABORTED: 'connection aborted',
};

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/**
 * Maps a socket-level failure to "registry at … is not reachable (…)"; anything else (a local file
 * that cannot be read, a TLS failure) keeps its own text after the operation.
 */
export function networkError(
  details: Omit<RegistryErrorDetails, 'status' | 'code'>,
  error: unknown,
): RegistryError {
  if (error instanceof RegistryError) return error;
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  const unreachable = code !== undefined ? unreachableReasons[code] : undefined;
  const lost = code !== undefined ? lostReasons[code] : undefined;
  const message =
    unreachable !== undefined
      ? `${details.operation}: registry at ${details.registry} is not reachable (${unreachable})`
      : lost !== undefined
        ? `${details.operation}: the connection to registry at ${details.registry} was lost (${lost})`
        : `${details.operation}: ${text}`;
  return new RegistryError(
    message,
    { ...details, ...(code !== undefined ? { code } : {}) },
    { cause: error },
  );
}
