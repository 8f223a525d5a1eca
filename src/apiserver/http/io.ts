/** Request bodies in (JSON, YAML, protobuf) and responses out (JSON, Status). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { ApiError, apiErrors } from '../errors.ts';
import { isJsonObject, type JsonObject } from '../object.ts';
import { decodeProtobufObject, ProtobufDecodeError } from '../protobuf/decode.ts';

/** kube-apiserver's request size limit. */
export const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBodyBytes) {
    request.resume();
    throw apiErrors.tooLarge(
      `the request body is ${declared} bytes; the limit is ${maxBodyBytes} bytes (3 MiB)`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) {
      request.resume();
      throw apiErrors.tooLarge(`the request body exceeds the limit of ${maxBodyBytes} bytes (3 MiB)`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseYaml(text: string): unknown {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length === 0) return null;
  if (docs.length > 1) throw apiErrors.badRequest('the request body must hold exactly one YAML document');
  const [doc] = docs;
  if (doc === undefined) return null;
  if (doc.errors.length > 0)
    throw apiErrors.badRequest(`invalid YAML in the request body: ${doc.errors[0]?.message ?? ''}`);
  return doc.toJS() as unknown;
}

/** Decodes a body by its content type into a JSON value. */
export function parseBody(body: Buffer, type: string): unknown {
  if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufObject(body);
    } catch (error) {
      if (error instanceof ProtobufDecodeError) throw apiErrors.unsupportedMediaType(error.message);
      throw error;
    }
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw apiErrors.badRequest('the request body is empty; send a JSON or YAML object');
  if (type.includes('yaml')) return parseYaml(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Many clients send YAML with a JSON content type; kube-apiserver's decoder accepts it too.
    try {
      const parsed = parseYaml(text);
      if (isJsonObject(parsed)) return parsed;
    } catch {
      // report the JSON error below
    }
    throw apiErrors.badRequest(
      `the request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function parseObjectBody(body: Buffer, type: string): JsonObject {
  const value = parseBody(body, type);
  if (!isJsonObject(value)) throw apiErrors.badRequest('the request body must be a JSON object');
  return value;
}

export function sendJson(
  response: ServerResponse,
  code: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  response.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  response.end(body);
}

export function sendError(response: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError
      ? error
      : apiErrors.internal(error instanceof Error ? error.message : String(error));
  const headers: Record<string, string> = {};
  const retry = apiError.details?.retryAfterSeconds;
  if (retry !== undefined) headers['Retry-After'] = String(retry);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, apiError.code, apiError.toStatus(), headers);
}

/** `Warning: 299 - "…"` headers, as kubectl prints them. */
export function warningHeaders(warnings: readonly string[]): Record<string, string> {
  return warnings.length === 0
    ? {}
    : { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}
