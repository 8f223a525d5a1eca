/**
 * An OCI distribution client: blobs and manifests pushed and pulled over the registry HTTP API
 * (distribution spec v1.0), with credentials from a pull secret and both the Basic and the Bearer
 * token challenge flows. Blobs stream from and to files, and every pulled byte is digest-checked.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { basicAuthorization, parseChallenge, tokenFromResponse, tokenUrl, type Challenge } from './auth.ts';
import { DigestingStream, sha256Digest, sha256File } from './digest.ts';
import { credentialsFor, parseDockerConfig, type Credentials, type DockerConfig } from './docker-config.ts';
import { RegistryError, networkError, statusError } from './errors.ts';
import { header, readBody, readErrorText, send, type HttpRequest, type RequestBody } from './http.ts';
import {
  acceptedManifestTypes,
  mediaTypes,
  parseManifestDocument,
  type ImageIndex,
  type ImageManifest,
} from './media-types.ts';
import {
  formatImageReference,
  isSha256Digest,
  manifestReference,
  registryApiHost,
  type ImageReference,
  type RepositoryRef,
} from './reference.ts';

export interface RegistryClientOptions {
  /** A pull secret's docker config JSON, as text or parsed. */
  readonly dockerConfig?: DockerConfig | string | Buffer;
  /**
   * Registries spoken to over plain HTTP: `true` for all, or a list of `host:port`. By default
   * only loopback registries (127.0.0.0/8, localhost, [::1]) are, as docker treats them.
   */
  readonly plainHttp?: boolean | readonly string[];
  /** Blobs up to this size go up in one PUT; larger ones in PATCH chunks. Default 64 MiB. */
  readonly monolithicLimit?: number;
  /** PATCH chunk size for large blobs. Default 64 MiB. */
  readonly chunkSize?: number;
  /** Socket idle time before a request fails. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export interface BlobInfo {
  readonly digest: string;
  readonly size: number;
}

export type PulledManifest = {
  readonly digest: string;
  readonly mediaType: string;
  /** The manifest exactly as the registry sent it: its sha256 is `digest`. */
  readonly bytes: Buffer;
} & (
  | { readonly kind: 'manifest'; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly index: ImageIndex }
);

type Actions = 'pull' | 'pull,push' | 'delete';

/** One registry operation: what the error messages say and which token scope it needs. */
interface Call {
  readonly operation: string;
  readonly registry: string;
  readonly repository?: string;
  readonly actions?: Actions;
  /** Who answers, for error messages: the registry, or the token service it sent us to. */
  readonly answeredBy?: string;
}

const defaultChunk = 64 * 1024 * 1024;
const maxRedirects = 5;

function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function repositoryPath(repo: RepositoryRef, rest: string): string {
  return `/v2/${repo.repository}/${rest}`;
}

export class RegistryClient {
  private readonly dockerConfig: DockerConfig | undefined;
  private readonly plainHttp: boolean | readonly string[] | undefined;
  private readonly monolithicLimit: number;
  private readonly chunkSize: number;
  private readonly idleTimeoutMs: number;
  /** Authorization header values by `host scope` (or `host *` for Basic, which fits every scope). */
  private readonly authorizations = new Map<string, string>();

  constructor(options: RegistryClientOptions = {}) {
    const config = options.dockerConfig;
    this.dockerConfig =
      config === undefined
        ? undefined
        : typeof config === 'string' || Buffer.isBuffer(config)
          ? parseDockerConfig(config)
          : config;
    this.plainHttp = options.plainHttp;
    this.monolithicLimit = options.monolithicLimit ?? defaultChunk;
    this.chunkSize = options.chunkSize ?? defaultChunk;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    if (this.chunkSize <= 0) throw new Error(`chunkSize must be positive, got ${this.chunkSize}`);
  }

  /** Checks that the registry answers `GET /v2/` and that the credentials (if needed) work. */
  async ping(registry: string): Promise<void> {
    const call: Call = { operation: `ping ${registry}`, registry };
    const response = await this.request(call, { method: 'GET', url: this.url(registry, '/v2/') });
    if (response.statusCode !== 200) throw await this.failure(call, response);
    response.resume();
  }

  async blobExists(repo: RepositoryRef, digest: string): Promise<boolean> {
    return this.headBlob(this.blobCall('check blob', 'in', repo, digest, 'pull'), repo, digest);
  }

  /**
   * Uploads a blob from a file (streamed, never held in memory) or from bytes, unless the
   * repository already has it. A known digest saves hashing the file first.
   */
  async pushBlob(
    repo: RepositoryRef,
    source: string | Buffer,
    known?: { digest?: string },
  ): Promise<BlobInfo> {
    let digest: string;
    let size: number;
    if (Buffer.isBuffer(source)) {
      digest = sha256Digest(source);
      size = source.length;
      if (known?.digest !== undefined && known.digest !== digest) {
        throw new Error(`push blob: the bytes hash to ${digest}, not the expected ${known.digest}`);
      }
    } else {
      size = (await stat(source)).size;
      digest = known?.digest ?? (await sha256File(source)).digest;
    }
    const call = this.blobCall('push blob', 'to', repo, digest, 'pull,push');
    if (await this.headBlob(call, repo, digest)) return { digest, size };

    let location = await this.startUpload(call, repo);
    const body = (start: number, end: number): RequestBody => {
      if (Buffer.isBuffer(source)) return source.subarray(start, end);
      // createReadStream cannot express an empty range (its `end` is inclusive).
      if (end === start) return Buffer.alloc(0);
      return { length: end - start, open: () => createReadStream(source, { start, end: end - 1 }) };
    };

    if (size > this.monolithicLimit) {
      for (let start = 0; start < size; start += this.chunkSize) {
        const end = Math.min(size, start + this.chunkSize);
        const response = await this.request(call, {
          method: 'PATCH',
          url: location,
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${end - 1}` },
          body: body(start, end),
        });
        if (response.statusCode !== 202) throw await this.failure(call, response);
        response.resume();
        location = this.location(call, response, location);
      }
    }
    const finish = new URL(location);
    finish.searchParams.set('digest', digest);
    const response = await this.request(call, {
      method: 'PUT',
      url: finish,
      headers: { 'content-type': 'application/octet-stream' },
      ...(size > this.monolithicLimit ? {} : { body: body(0, size) }),
    });
    if (response.statusCode !== 201) throw await this.failure(call, response);
    response.resume();
    const stored = header(response, 'docker-content-digest');
    if (stored !== undefined && stored !== digest) {
      throw new RegistryError(`${call.operation}: the registry stored it as ${stored}`, {
        operation: call.operation,
        registry: repo.registry,
        repository: repo.repository,
        code: 'DIGEST_MISMATCH',
      });
    }
    return { digest, size };
  }

  /**
   * Asks the registry to link a blob from another repository on it instead of uploading it;
   * false when the registry declined (the caller then pushes the blob).
   */
  async mountBlob(repo: RepositoryRef, digest: string, fromRepository: string): Promise<boolean> {
    const call = this.blobCall('mount blob', 'into', repo, digest, 'pull,push');
    const url = this.url(repo.registry, repositoryPath(repo, 'blobs/uploads/'));
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', fromRepository);
    const response = await this.request(call, { method: 'POST', url });
    response.resume();
    if (response.statusCode === 201) return true;
    if (response.statusCode === 202) {
      // The registry opened an ordinary upload instead; cancel it rather than leave it dangling.
      const cancel = await this.request(call, { method: 'DELETE', url: this.location(call, response, url) });
      cancel.resume();
      return false;
    }
    throw await this.failure(call, response);
  }

  /**
   * Downloads a blob to `toFile` (via `toFile.partial`, renamed only once the sha256 and the size
   * match), following the redirects registries use to hand blobs off to object storage.
   */
  async pullBlob(
    repo: RepositoryRef,
    digest: string,
    toFile: string,
    expectedSize?: number,
  ): Promise<BlobInfo> {
    const call = this.blobCall('pull blob', 'from', repo, digest, 'pull');
    if (!isSha256Digest(digest)) {
      throw new RegistryError(`${call.operation}: only sha256 digests can be verified`, {
        operation: call.operation,
        registry: repo.registry,
        repository: repo.repository,
      });
    }
    let url = this.url(repo.registry, repositoryPath(repo, `blobs/${digest}`));
    const origin = url.origin;
    let response = await this.request(call, { method: 'GET', url });
    for (
      let hops = 0;
      response.statusCode !== undefined && [301, 302, 303, 307, 308].includes(response.statusCode);
      hops++
    ) {
      response.resume();
      if (hops >= maxRedirects) throw await this.failure(call, response, 'too many redirects');
      url = this.location(call, response, url);
      // Credentials are for the registry only, never for the storage it redirects to.
      response =
        url.origin === origin
          ? await this.request(call, { method: 'GET', url })
          : await this.sendOrFail(call, { method: 'GET', url, idleTimeoutMs: this.idleTimeoutMs });
    }
    if (response.statusCode !== 200) throw await this.failure(call, response);

    const partial = `${toFile}.partial`;
    const digesting = new DigestingStream();
    try {
      await pipeline(response, digesting, createWriteStream(partial));
    } catch (error) {
      await rm(partial, { force: true });
      throw networkError(
        { operation: call.operation, registry: repo.registry, repository: repo.repository },
        error,
      );
    }
    const got = digesting.result();
    if (got.digest !== digest || (expectedSize !== undefined && got.size !== expectedSize)) {
      await rm(partial, { force: true });
      const what =
        got.digest !== digest
          ? `the registry sent content with digest ${got.digest}`
          : `the registry sent ${got.size} bytes, the descriptor says ${expectedSize}`;
      throw new RegistryError(`${call.operation}: content digest mismatch: ${what} (${got.size} bytes)`, {
        operation: call.operation,
        registry: repo.registry,
        repository: repo.repository,
        code: 'DIGEST_MISMATCH',
      });
    }
    await rename(partial, toFile);
    return got;
  }

  /** Fetches a manifest or index (OCI or Docker v2) by tag or digest, checking a requested digest. */
  async getManifest(ref: ImageReference): Promise<PulledManifest> {
    const call: Call = { operation: `pull ${formatImageReference(ref)}`, ...ref, actions: 'pull' };
    const response = await this.request(call, {
      method: 'GET',
      url: this.url(ref.registry, repositoryPath(ref, `manifests/${manifestReference(ref)}`)),
      headers: { accept: acceptedManifestTypes.join(', ') },
    });
    if (response.statusCode !== 200) throw await this.failure(call, response);
    let bytes: Buffer;
    try {
      bytes = await readBody(response);
    } catch (error) {
      throw networkError(
        { operation: call.operation, registry: ref.registry, repository: ref.repository },
        error,
      );
    }
    const digest = sha256Digest(bytes);
    if (ref.digest !== undefined && ref.digest !== digest) {
      throw new RegistryError(
        `${call.operation}: content digest mismatch: the manifest the registry sent is ${digest}`,
        {
          operation: call.operation,
          registry: ref.registry,
          repository: ref.repository,
          code: 'DIGEST_MISMATCH',
        },
      );
    }
    const parsed = parseManifestDocument(bytes, header(response, 'content-type'), call.operation);
    return 'index' in parsed
      ? { digest, mediaType: parsed.mediaType, bytes, kind: 'index', index: parsed.index }
      : { digest, mediaType: parsed.mediaType, bytes, kind: 'manifest', manifest: parsed.manifest };
  }

  /** The digest a tag points at, from a HEAD request (no manifest download). */
  async resolveDigest(ref: ImageReference): Promise<string> {
    if (ref.digest !== undefined) return ref.digest;
    const call: Call = { operation: `resolve ${formatImageReference(ref)}`, ...ref, actions: 'pull' };
    const response = await this.request(call, {
      method: 'HEAD',
      url: this.url(ref.registry, repositoryPath(ref, `manifests/${manifestReference(ref)}`)),
      headers: { accept: acceptedManifestTypes.join(', ') },
    });
    response.resume();
    if (response.statusCode !== 200) throw await this.failure(call, response);
    const digest = header(response, 'docker-content-digest');
    if (digest !== undefined) return digest;
    // Registries that omit the header: fall back to hashing the manifest itself.
    return (await this.getManifest(ref)).digest;
  }

  /**
   * Uploads a manifest or index under the reference's tag (or digest). Bytes are sent exactly as
   * given so a manifest copied from a layout keeps its digest. Returns the manifest's digest.
   */
  async pushManifest(
    ref: ImageReference,
    manifest: ImageManifest | ImageIndex | Buffer,
    mediaType?: string,
  ): Promise<string> {
    const call: Call = { operation: `push ${formatImageReference(ref)}`, ...ref, actions: 'pull,push' };
    const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest));
    const type =
      mediaType ??
      (Buffer.isBuffer(manifest)
        ? parseManifestDocument(manifest, undefined, call.operation).mediaType
        : (manifest.mediaType ?? ('manifests' in manifest ? mediaTypes.ociIndex : mediaTypes.ociManifest)));
    const response = await this.request(call, {
      method: 'PUT',
      url: this.url(ref.registry, repositoryPath(ref, `manifests/${manifestReference(ref)}`)),
      headers: { 'content-type': type },
      body: bytes,
    });
    if (response.statusCode !== 201) throw await this.failure(call, response);
    response.resume();
    return sha256Digest(bytes);
  }

  /** Deletes a manifest (by digest; a tag is resolved first), which untags every tag pointing at it. */
  async deleteManifest(ref: ImageReference): Promise<void> {
    const digest = await this.resolveDigest(ref);
    const call: Call = { operation: `delete ${formatImageReference(ref)}`, ...ref, actions: 'delete' };
    const response = await this.request(call, {
      method: 'DELETE',
      url: this.url(ref.registry, repositoryPath(ref, `manifests/${digest}`)),
    });
    if (response.statusCode !== 202 && response.statusCode !== 200) throw await this.failure(call, response);
    response.resume();
  }

  /** Every tag of a repository (following `Link` pagination); none for an unknown repository. */
  async listTags(repo: RepositoryRef): Promise<string[]> {
    const call: Call = {
      operation: `list tags of ${repo.registry}/${repo.repository}`,
      registry: repo.registry,
      repository: repo.repository,
      actions: 'pull',
    };
    const tags: string[] = [];
    let url: URL | undefined = this.url(repo.registry, repositoryPath(repo, 'tags/list'));
    while (url) {
      const response = await this.request(call, { method: 'GET', url });
      if (response.statusCode === 404) {
        const failure = await this.failure(call, response);
        if (failure.code === 'NAME_UNKNOWN') return tags;
        throw failure;
      }
      if (response.statusCode !== 200) throw await this.failure(call, response);
      const body: unknown = JSON.parse((await readBody(response)).toString('utf8'));
      if (typeof body === 'object' && body !== null && 'tags' in body && Array.isArray(body.tags)) {
        for (const tag of body.tags) if (typeof tag === 'string') tags.push(tag);
      }
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(response, 'link') ?? '')?.[1];
      url = next !== undefined ? new URL(next, url) : undefined;
    }
    return tags;
  }

  private blobCall(
    verb: string,
    preposition: string,
    repo: RepositoryRef,
    digest: string,
    actions: Actions,
  ): Call {
    return {
      operation: `${verb} ${shortDigest(digest)} ${preposition} ${repo.registry}/${repo.repository}`,
      registry: repo.registry,
      repository: repo.repository,
      actions,
    };
  }

  private async headBlob(call: Call, repo: RepositoryRef, digest: string): Promise<boolean> {
    const response = await this.request(call, {
      method: 'HEAD',
      url: this.url(repo.registry, repositoryPath(repo, `blobs/${digest}`)),
    });
    response.resume();
    if (response.statusCode === 200) return true;
    if (response.statusCode === 404) return false;
    throw await this.failure(call, response);
  }

  private async startUpload(call: Call, repo: RepositoryRef): Promise<URL> {
    const url = this.url(repo.registry, repositoryPath(repo, 'blobs/uploads/'));
    const response = await this.request(call, { method: 'POST', url });
    if (response.statusCode !== 202) throw await this.failure(call, response);
    response.resume();
    return this.location(call, response, url);
  }

  private location(call: Call, response: IncomingMessage, base: URL): URL {
    const location = header(response, 'location');
    if (location === undefined || location === '') {
      throw new RegistryError(
        `${call.operation}: the registry answered ${response.statusCode} without a Location`,
        {
          operation: call.operation,
          registry: call.registry,
          ...(call.repository !== undefined ? { repository: call.repository } : {}),
        },
      );
    }
    return new URL(location, base);
  }

  private url(registry: string, path: string): URL {
    const plain =
      this.plainHttp === undefined
        ? isLoopback(registry)
        : typeof this.plainHttp === 'boolean'
          ? this.plainHttp
          : this.plainHttp.includes(registry);
    return new URL(`${plain ? 'http' : 'https'}://${registryApiHost(registry)}${path}`);
  }

  private credentials(call: Call): Credentials | undefined {
    return credentialsFor(this.dockerConfig, call.registry, call.repository);
  }

  private scope(call: Call): string | undefined {
    return call.repository !== undefined
      ? `repository:${call.repository}:${call.actions ?? 'pull'}`
      : undefined;
  }

  private async sendOrFail(call: Call, request: HttpRequest): Promise<IncomingMessage> {
    try {
      return await send(request);
    } catch (error) {
      throw networkError(
        {
          operation: call.operation,
          registry: call.registry,
          ...(call.repository !== undefined ? { repository: call.repository } : {}),
        },
        error,
      );
    }
  }

  /**
   * Sends with whatever authorization is cached for the call's scope; on a 401, answers the
   * challenge once (Basic from the pull secret, or a Bearer token from the realm) and resends.
   */
  private async request(
    call: Call,
    init: { method: string; url: URL; headers?: Readonly<Record<string, string>>; body?: RequestBody },
  ): Promise<IncomingMessage> {
    const host = init.url.host;
    const scopeKey = `${host} ${this.scope(call) ?? ''}`;
    const cached = this.authorizations.get(scopeKey) ?? this.authorizations.get(`${host} *`);
    const withAuth = (authorization: string | undefined): HttpRequest => ({
      ...init,
      headers: { ...init.headers, ...(authorization !== undefined ? { authorization } : {}) },
      idleTimeoutMs: this.idleTimeoutMs,
    });
    const first = await this.sendOrFail(call, withAuth(cached));
    if (first.statusCode !== 401) return first;
    const challenge = parseChallenge(header(first, 'www-authenticate'));
    const authorization = await this.answer(call, challenge);
    if (authorization === undefined || authorization === cached) return first;
    first.resume();
    this.authorizations.set(challenge?.scheme === 'basic' ? `${host} *` : scopeKey, authorization);
    return this.sendOrFail(call, withAuth(authorization));
  }

  private async answer(call: Call, challenge: Challenge | undefined): Promise<string | undefined> {
    const credentials = this.credentials(call);
    if (challenge?.scheme === 'basic') {
      return credentials?.kind === 'basic'
        ? basicAuthorization(credentials.username, credentials.password)
        : undefined;
    }
    if (challenge?.scheme !== 'bearer') return undefined;
    if (credentials?.kind === 'token') return `Bearer ${credentials.token}`;
    let url: URL;
    try {
      url = tokenUrl(challenge, this.scope(call));
    } catch (error) {
      throw new RegistryError(
        `${call.operation}: ${error instanceof Error ? error.message : String(error)}`,
        {
          operation: call.operation,
          registry: call.registry,
        },
      );
    }
    const tokenCall: Call = {
      ...call,
      operation: `${call.operation}: token from ${url.origin}${url.pathname}`,
      answeredBy: 'token service',
    };
    const response = await this.sendOrFail(tokenCall, {
      method: 'GET',
      url,
      headers:
        credentials?.kind === 'basic'
          ? { authorization: basicAuthorization(credentials.username, credentials.password) }
          : {},
      idleTimeoutMs: this.idleTimeoutMs,
    });
    if (response.statusCode !== 200) throw await this.failure(tokenCall, response);
    const token = tokenFromResponse((await readBody(response, 1024 * 1024)).toString('utf8'));
    if (token === undefined) {
      throw new RegistryError(`${tokenCall.operation}: the token service answered without a token`, {
        operation: tokenCall.operation,
        registry: call.registry,
      });
    }
    return `Bearer ${token}`;
  }

  /** Reads an error response and says what went wrong and what to check. */
  private async failure(call: Call, response: IncomingMessage, extraHint?: string): Promise<RegistryError> {
    const status = response.statusCode ?? 0;
    const body = await readErrorText(response);
    const credentials = this.credentials(call);
    let hint = extraHint;
    if (status === 401) {
      hint =
        credentials === undefined
          ? `check the pull secret: it has no credentials for ${call.registry}`
          : `check the pull secret: the registry rejected its credentials for ${call.registry} (entry ${JSON.stringify(credentials.key)})`;
    } else if (status === 403) {
      hint = `the credentials for ${call.registry} are not allowed to ${call.actions ?? 'access'} ${call.repository ?? 'this registry'}`;
    } else if (status === 429) {
      hint = 'the registry is rate-limiting; retry later';
    }
    return statusError(
      {
        operation: call.operation,
        registry: call.registry,
        ...(call.repository !== undefined ? { repository: call.repository } : {}),
      },
      status,
      body,
      hint,
      call.answeredBy,
    );
  }
}
