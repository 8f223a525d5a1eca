/** A tiny HTTP client for API tests: JSON in, status + JSON out; and a watch stream reader. */
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { errorText } from '../../src/runtime/log.ts';

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  readonly raw?: Buffer | string;
}

export function request(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Reply> {
  const url = new URL(path, baseUrl);
  const payload =
    options.raw !== undefined
      ? options.raw
      : options.body !== undefined
        ? JSON.stringify(options.body)
        : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: {
          ...(payload !== undefined
            ? {
                'Content-Type': options.contentType ?? 'application/json',
                'Content-Length': String(Buffer.byteLength(payload)),
              }
            : {}),
          ...(options.accept ? { Accept: options.accept } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            body = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface WatchEventLine {
  readonly type: string;
  readonly object: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

export interface WatchStream {
  readonly status: number;
  /** Resolves with the next `count` events (waits for them). */
  next(count?: number, timeoutMs?: number): Promise<WatchEventLine[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export function openWatch(baseUrl: string, path: string, accept?: string): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, baseUrl), { headers: accept ? { Accept: accept } : {} }, (res) => {
      const queue: WatchEventLine[] = [];
      const waiters: (() => void)[] = [];
      let buffer = '';
      let endResolve: () => void = () => undefined;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line !== '') queue.push(JSON.parse(line) as WatchEventLine);
          newline = buffer.indexOf('\n');
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('end', () => {
        endResolve();
        for (const w of waiters.splice(0)) w();
      });
      res.on('error', () => endResolve());
      let done = false;
      void ended.then(() => (done = true));
      resolve({
        status: res.statusCode ?? 0,
        ended,
        next: async (count = 1, timeoutMs = 15_000) => {
          const deadline = Date.now() + timeoutMs;
          while (queue.length < count) {
            if (done || Date.now() > deadline) {
              throw new Error(
                `expected ${count} watch events, got ${queue.length}: ${JSON.stringify(queue.map((e) => e.type))}`,
              );
            }
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 50);
            });
          }
          return queue.splice(0, count);
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

/**
 * Retries an assertion until it passes (for eventually-consistent controller effects). The
 * default wait is generous because it only bounds how long a failure takes to report: a loaded
 * CI machine must not turn a slow success into a failure.
 */
export async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Polls `probe` until it yields a value (not undefined or false) and returns it. A probe that
 * throws is polled again; on timeout the error names `what` and the probe's last error.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const cause = last === undefined ? '' : ` (last error: ${errorText(last)})`;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A loopback port nothing listens on: one the kernel just handed out and took back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
