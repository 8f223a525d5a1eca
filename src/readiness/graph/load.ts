/**
 * Reads an update graph from a file or from an update service over http(s), asking as the CVO asks:
 * `GET <upstream>?arch=…&channel=…&id=…&version=…` with `Accept: application/json`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { UpdateGraph } from './graph.ts';
import { parseGraph } from './parse.ts';

/** The query parameters the CVO adds to its upstream URL. */
export interface GraphQuery {
  readonly channel?: string;
  /** `amd64`, `arm64`, … or `multi`. */
  readonly arch?: string;
  /** The cluster ID (ClusterVersion.spec.clusterID). */
  readonly id?: string;
  /** The cluster's current version. */
  readonly version?: string;
}

export interface LoadGraphOptions extends GraphQuery {
  readonly timeoutMs?: number;
}

const graphMediaType = 'application/json';
const defaultTimeoutMs = 30_000;

function isHttp(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The upstream URL with the query added, keeping any parameters it already has. */
export function graphRequestUrl(upstream: string, query: GraphQuery): URL {
  const url = new URL(upstream);
  for (const key of ['arch', 'channel', 'id', 'version'] as const) {
    const value = query[key];
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url;
}

function causeOf(error: unknown): string {
  // fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a timeout) is the cause.
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return error.message;
    const cause: unknown = error.cause;
    if (cause instanceof Error) return cause.message;
    return error.message;
  }
  return String(error);
}

async function fetchText(url: URL, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: graphMediaType },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`cannot fetch update graph ${url.href}: ${causeOf(error)}`, { cause: error });
  }
  const body = await response.text();
  if (response.status !== 200) {
    const excerpt = body.trim().slice(0, 300);
    throw new Error(
      `cannot fetch update graph ${url.href}: unexpected HTTP status ${response.status} ${response.statusText}${
        excerpt === '' ? '' : `: ${excerpt}`
      }`,
    );
  }
  return body;
}

async function readText(source: string): Promise<string> {
  const file = source.startsWith('file:') ? fileURLToPath(source) : source;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read update graph ${source}: ${causeOf(error)}`, { cause: error });
  }
}

/** Loads and validates a graph; errors name the file or URL and what is wrong with it. */
export async function loadGraph(source: string, options: LoadGraphOptions = {}): Promise<UpdateGraph> {
  const location = isHttp(source) ? graphRequestUrl(source, options).href : source;
  const text = isHttp(source)
    ? await fetchText(new URL(location), options.timeoutMs ?? defaultTimeoutMs)
    : await readText(source);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`update graph ${location} is not JSON: ${causeOf(error)}`, { cause: error });
  }
  return parseGraph(document, location);
}
