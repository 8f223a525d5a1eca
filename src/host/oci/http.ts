/**
 * The HTTP transport under the registry client: node:http(s) rather than fetch, so request bodies
 * stream from files with an exact Content-Length and socket errors keep their codes.
 */
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** A body that can be sent more than once (an auth retry re-opens it). */
export type RequestBody = Buffer | { readonly length: number; open(): Readable };

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
  /** Idle time on the socket before the request fails with ETIMEDOUT; default 60 s. */
  readonly idleTimeoutMs?: number;
}

class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/** Sends one request and resolves with the response head; the caller must consume the body. */
export async function send(request: HttpRequest): Promise<IncomingMessage> {
  try {
    return await sendOnce(request);
  } catch (error) {
    // A kept-alive socket the server closed meanwhile (a restarted registry) fails at once with
    // ECONNRESET; node's documented remedy is to retry on a fresh socket.
    if (error instanceof StaleSocketError) return sendOnce(request);
    throw error;
  }
}

class StaleSocketError extends Error {}

function sendOnce(request: HttpRequest): Promise<IncomingMessage> {
  const { method, url, body } = request;
  const headers: Record<string, string> = { 'user-agent': 'lcm-oci/0.1', ...request.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  else if (method === 'PUT' || method === 'POST' || method === 'PATCH') headers['content-length'] = '0';
  const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const idleTimeoutMs = request.idleTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const outgoing = requestFn(url, { method, headers, timeout: idleTimeoutMs }, resolve);
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        outgoing.reusedSocket && error.code === 'ECONNRESET' ? new StaleSocketError(error.message) : error,
      );
    });
    outgoing.on('timeout', () => outgoing.destroy(new TimeoutError(`no data for ${idleTimeoutMs} ms`)));
    if (body === undefined) {
      outgoing.end();
    } else if (Buffer.isBuffer(body)) {
      outgoing.end(body);
    } else {
      const stream = body.open();
      // A local read failure is not the registry's fault: reject with it as it is.
      stream.on('error', (error) => {
        reject(error);
        outgoing.destroy();
      });
      stream.pipe(outgoing);
    }
  });
}

/** Reads a whole (small) response body, refusing more than `limit` bytes. */
export async function readBody(response: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) {
      response.destroy();
      throw new Error(`response body is larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a body for an error message, tolerating a connection that breaks meanwhile. */
export async function readErrorText(response: IncomingMessage): Promise<string> {
  try {
    return (await readBody(response, 64 * 1024)).toString('utf8');
  } catch {
    return '';
  }
}

export function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
