/**
 * A small client for the Prometheus HTTP API (v1): instant queries, the alert list, and the
 * conditional-update risk evaluation the CVO performs for `type: PromQL` matching rules. Every
 * failure names the Prometheus URL and the cause, so a readiness report can say why a risk could
 * not be evaluated.
 */
import { classifyRiskResult, type RiskEvaluation } from './promql-risk.ts';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly metric: Labels;
  readonly value: number;
  /** Unix seconds (fractional). */
  readonly timestamp: number;
}

export interface InstantVector {
  readonly resultType: 'vector';
  readonly samples: readonly Sample[];
}

export interface Scalar {
  readonly resultType: 'scalar';
  readonly value: number;
  readonly timestamp: number;
}

export interface RangeMatrix {
  readonly resultType: 'matrix';
  readonly series: readonly {
    readonly metric: Labels;
    readonly values: readonly { readonly value: number; readonly timestamp: number }[];
  }[];
}

export interface StringResult {
  readonly resultType: 'string';
  readonly value: string;
  readonly timestamp: number;
}

export type QueryResult = InstantVector | Scalar | RangeMatrix | StringResult;

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: AlertState;
  /** When the alert's expression first returned this series (RFC 3339); absent while inactive. */
  readonly activeAt?: string;
  readonly value: number;
}

export type PrometheusFailure = 'unreachable' | 'timeout' | 'aborted' | 'rejected' | 'bad-response';

export class PrometheusError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly failure: PrometheusFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PrometheusError';
  }
}

export interface PrometheusClientOptions {
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface QueryOptions extends RequestOptions {
  /** Evaluation time; default: Prometheus's now. */
  readonly time?: Date;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sample values travel as strings so that NaN and ±Inf survive JSON. */
export function parseSampleValue(text: Json | undefined): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (typeof text !== 'string' || text.trim() === '' || Number.isNaN(Number(text))) {
    throw new TypeError(`sample value ${JSON.stringify(text)} is not a number`);
  }
  return Number(text);
}

function point(pair: Json | undefined): { value: number; timestamp: number } {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') {
    throw new TypeError(`expected [timestamp, "value"], got ${JSON.stringify(pair)}`);
  }
  return { timestamp: pair[0], value: parseSampleValue(pair[1]) };
}

function labels(value: Json | undefined, what: string): Labels {
  if (value === undefined) return {};
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new TypeError(`${what} is not a map of strings`);
  }
  return value as Labels;
}

function queryResult(data: Json | undefined): QueryResult {
  if (!isObject(data)) throw new TypeError('data is missing');
  const { resultType, result } = data;
  switch (resultType) {
    case 'vector':
      if (!Array.isArray(result)) throw new TypeError('vector result is not a list');
      return {
        resultType,
        samples: result.map((entry) => {
          if (!isObject(entry)) throw new TypeError('vector sample is not an object');
          return { metric: labels(entry.metric, 'metric'), ...point(entry.value) };
        }),
      };
    case 'matrix':
      if (!Array.isArray(result)) throw new TypeError('matrix result is not a list');
      return {
        resultType,
        series: result.map((entry) => {
          if (!isObject(entry) || !Array.isArray(entry.values))
            throw new TypeError('matrix series has no values');
          return { metric: labels(entry.metric, 'metric'), values: entry.values.map(point) };
        }),
      };
    case 'scalar':
      return { resultType, ...point(result) };
    case 'string': {
      if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
        throw new TypeError('string result is not [timestamp, "text"]');
      }
      return { resultType, timestamp: result[0], value: result[1] };
    }
    default:
      throw new TypeError(`unknown resultType ${JSON.stringify(resultType)}`);
  }
}

const alertStates: ReadonlySet<string> = new Set<AlertState>(['inactive', 'pending', 'firing']);

function alertList(data: Json | undefined): Alert[] {
  if (!isObject(data) || !Array.isArray(data.alerts)) throw new TypeError('data.alerts is not a list');
  return data.alerts.map((entry) => {
    if (!isObject(entry)) throw new TypeError('alert is not an object');
    const { state, activeAt, value } = entry;
    if (typeof state !== 'string' || !alertStates.has(state)) {
      throw new TypeError(`alert state ${JSON.stringify(state)} is not inactive, pending or firing`);
    }
    return {
      labels: labels(entry.labels, 'alert labels'),
      annotations: labels(entry.annotations, 'alert annotations'),
      state: state as AlertState,
      ...(typeof activeAt === 'string' ? { activeAt } : {}),
      value: value === undefined ? NaN : parseSampleValue(value),
    };
  });
}

/** The innermost message of a fetch failure: `connect ECONNREFUSED 127.0.0.1:9090`, not `fetch failed`. */
function causeOf(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof AggregateError && current.errors[0] instanceof Error) current = current.errors[0];
  return current instanceof Error ? current.message : String(current);
}

export class PrometheusClient {
  /** `http://host:port` (any path prefix kept), without a trailing slash. */
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(url: string, options: PrometheusClientOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RangeError(`Prometheus URL '${url}' is not a URL; expected e.g. http://127.0.0.1:9090`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RangeError(`Prometheus URL '${url}' must use http or https`);
    }
    this.url = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** GET /api/v1/query. */
  async query(promql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const params = new URLSearchParams({ query: promql });
    if (options.time) params.set('time', String(options.time.getTime() / 1000));
    return this.call(`/api/v1/query?${params.toString()}`, options.signal, queryResult);
  }

  /** GET /api/v1/alerts: every pending and firing alert. */
  async alerts(options: RequestOptions = {}): Promise<Alert[]> {
    return this.call('/api/v1/alerts', options.signal, alertList);
  }

  /**
   * A conditional-update risk's PromQL matching rule, judged as the CVO judges it: the query must
   * return exactly one sample, 1 means the risk applies and 0 that it does not. Anything else — an
   * unreachable Prometheus, a rejected query, another result — is `{ error }`, which the caller
   * reports as reason `EvaluationFailed`.
   */
  async evaluateRisk(promql: string, options: RequestOptions = {}): Promise<RiskEvaluation> {
    let result: QueryResult;
    try {
      result = await this.query(promql, options);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    return classifyRiskResult(result);
  }

  private async call<T>(
    path: string,
    callerSignal: AbortSignal | undefined,
    read: (data: Json | undefined) => T,
  ): Promise<T> {
    const endpoint = `GET ${path.split('?')[0] ?? path}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([timeout, callerSignal]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.url}${path}`, { signal, headers: { accept: 'application/json' } });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new PrometheusError(
          `Prometheus at ${this.url} did not answer ${endpoint} within ${this.timeoutMs / 1000} s`,
          this.url,
          'timeout',
          { cause: error },
        );
      }
      if (callerSignal?.aborted) {
        throw new PrometheusError(
          `${endpoint} to Prometheus at ${this.url} was aborted`,
          this.url,
          'aborted',
          {
            cause: error,
          },
        );
      }
      throw new PrometheusError(
        `Prometheus at ${this.url} is unreachable: ${causeOf(error)}`,
        this.url,
        'unreachable',
        {
          cause: error,
        },
      );
    }
    let body: Json | undefined;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = undefined;
    }
    if (isObject(body) && body.status === 'error') {
      const kind = typeof body.errorType === 'string' ? `${body.errorType}: ` : '';
      const message = typeof body.error === 'string' ? body.error : text.trim();
      throw new PrometheusError(
        `Prometheus at ${this.url} rejected ${endpoint} (${response.status}): ${kind}${message}`,
        this.url,
        'rejected',
      );
    }
    if (!response.ok || !isObject(body) || body.status !== 'success') {
      throw new PrometheusError(
        `Prometheus at ${this.url} answered ${endpoint} with ${response.status} ${response.statusText}: ${text.trim().slice(0, 200) || '(empty body)'}`,
        this.url,
        'bad-response',
      );
    }
    try {
      return read(body.data);
    } catch (error) {
      throw new PrometheusError(
        `Prometheus at ${this.url} answered ${endpoint} with an unexpected body: ${error instanceof Error ? error.message : String(error)}`,
        this.url,
        'bad-response',
        { cause: error },
      );
    }
  }
}
