/**
 * HTTP(S) to one API server over a keep-alive agent: credentials and trust from the connection
 * settings, a deadline per request, cancellation through AbortSignal, and failures turned into
 * ApiStatusError (the server answered) or ConnectionError (it did not).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { ApiStatusError, ConnectionError } from './errors.ts';
import type { ConnectionSettings } from './load-kubeconfig.ts';

export interface HttpRequest {
  readonly method: string;
  /** Path below the server URL (its own path prefix is added), with the query string. */
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** 0: no deadline (watches). */
  readonly timeoutMs?: number;
}

export interface HttpReply {
  readonly status: number;
  readonly body: string;
}

export interface TransportOptions {
  /** Deadline for requests that do not set their own; default 30 s. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

const tokenFileTtlMs = 60_000;
const maxStaleRetries = 8;

export class Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly defaultTimeoutMs: number;
  private readonly userAgent: string;
  private cachedToken: { value: string; readAt: number } | undefined;

  constructor(
    readonly settings: ConnectionSettings,
    options: TransportOptions = {},
  ) {
    this.base = new URL(settings.server);
    this.defaultTimeoutMs = options.timeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'lcm';
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            // Idle sockets close before the server's keep-alive timeout would close them under us.
            timeout: 30_000,
            rejectUnauthorized: !settings.insecureSkipTlsVerify,
            ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
            ...(settings.clientCertificate !== undefined ? { cert: settings.clientCertificate } : {}),
            ...(settings.clientKey !== undefined ? { key: settings.clientKey } : {}),
            ...(settings.tlsServerName !== undefined ? { servername: settings.tlsServerName } : {}),
          })
        : new http.Agent({ keepAlive: true, timeout: 30_000 });
  }

  url(path: string): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}${path}`, this.base);
  }

  /** Sends a request and reads the whole reply; a non-2xx reply throws ApiStatusError. */
  async request(request: HttpRequest): Promise<HttpReply> {
    const response = await this.open(request, request.timeoutMs ?? this.defaultTimeoutMs);
    let body: string;
    try {
      body = await readAll(response.message, describe(request), response.cleanup);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw error;
    }
    const status = response.message.statusCode ?? 0;
    if (status < 200 || status >= 300) throw ApiStatusError.fromReply(status, body, describe(request));
    return { status, body };
  }

  /** Opens a streaming request (a watch); the caller reads the response and must consume or destroy it. */
  async stream(request: HttpRequest): Promise<IncomingMessage> {
    const response = await this.open(request, request.timeoutMs ?? 0);
    const status = response.message.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const body = await readAll(response.message, describe(request), response.cleanup);
      throw ApiStatusError.fromReply(status, body, describe(request));
    }
    response.message.once('close', response.cleanup);
    return response.message;
  }

  close(): void {
    this.agent.destroy();
  }

  private async headers(request: HttpRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    const token = await this.token();
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    else if (this.settings.username !== undefined)
      headers.Authorization = `Basic ${Buffer.from(`${this.settings.username}:${this.settings.password ?? ''}`).toString('base64')}`;
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    return headers;
  }

  private async token(): Promise<string | undefined> {
    if (this.settings.token !== undefined) return this.settings.token;
    const file = this.settings.tokenFile;
    if (file === undefined) return undefined;
    const now = Date.now();
    if (this.cachedToken && now - this.cachedToken.readAt < tokenFileTtlMs) return this.cachedToken.value;
    try {
      const value = (await readFile(file, 'utf8')).trim();
      this.cachedToken = { value, readAt: now };
      return value;
    } catch (error) {
      throw new ConnectionError(
        `cannot read token file ${file}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }

  private async open(
    request: HttpRequest,
    timeoutMs: number,
  ): Promise<{ message: IncomingMessage; cleanup: () => void }> {
    const headers = await this.headers(request);
    const deadline = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [request.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
    const signal =
      signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const url = this.url(request.path);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(url, request, headers, signal);
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (deadline?.aborted)
          throw new ConnectionError(`${describe(request)}: no answer within ${timeoutMs} ms`, error);
        // A pooled socket the server closed while idle: the request never reached it. Each such
        // failure drops one dead socket from the pool, so a few retries reach a live connection.
        if (error instanceof StaleSocketError && attempt < maxStaleRetries) continue;
        const cause = error instanceof StaleSocketError ? error.cause : error;
        throw new ConnectionError(
          `${describe(request)}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        );
      }
    }
  }

  private send(
    url: URL,
    request: HttpRequest,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<{ message: IncomingMessage; cleanup: () => void }> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, {
        method: request.method,
        headers,
        agent: this.agent,
        ...(signal !== undefined ? { signal } : {}),
      });
      req.on('response', (message) => resolve({ message, cleanup: () => req.destroy() }));
      req.on('error', (error: NodeJS.ErrnoException) => {
        // The server closed a pooled idle connection just as we reused it (a restart, an idle
        // timeout): the request never got to be processed. Writes are safe to repeat too: creates
        // answer AlreadyExists and updates carry a resourceVersion.
        const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(stale ? new StaleSocketError(error) : error);
      });
      req.end(request.body);
    });
  }
}

class StaleSocketError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function describe(request: HttpRequest): string {
  return `${request.method} ${request.path}`;
}

function readAll(message: IncomingMessage, what: string, cleanup: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', (error) => {
      cleanup();
      reject(new ConnectionError(`${what}: reply cut off: ${error.message}`, error));
    });
    message.on('aborted', () => reject(new ConnectionError(`${what}: reply cut off`, undefined)));
  });
}
