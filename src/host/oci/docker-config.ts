/**
 * Registry credentials from a docker config JSON — the `.dockerconfigjson` of a Kubernetes pull
 * secret (`{"auths": {"host": {"auth": base64(user:pass)}}}`) or the older `.dockercfg` form
 * (the same map without the `auths` wrapper). Keys are matched the way the kubelet matches them:
 * scheme and `/v1/` suffixes ignored, `*.` host globs, and an optional path prefix.
 */
import { dockerHub } from './reference.ts';

export interface DockerAuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  /** A bearer token to send to the registry as is. */
  readonly registrytoken?: string;
}

export interface DockerConfig {
  readonly auths: Readonly<Record<string, DockerAuthEntry>>;
}

export type Credentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string; readonly key: string }
  | { readonly kind: 'token'; readonly token: string; readonly key: string };

const entryFields = ['auth', 'username', 'password', 'registrytoken'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(entry: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${where}.${field} must be a string`);
  return value;
}

/** Parses docker config JSON (text or an already-parsed object), naming the bad field on error. */
export function parseDockerConfig(input: string | Buffer | object, source = 'pull secret'): DockerConfig {
  let document: unknown = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      document = JSON.parse(input.toString());
    } catch (error) {
      throw new Error(`${source}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (!isRecord(document)) throw new Error(`${source}: must be a JSON object with "auths"`);
  const auths = 'auths' in document ? document.auths : document;
  if (!isRecord(auths)) throw new Error(`${source}: "auths" must be an object keyed by registry`);
  const entries: Record<string, DockerAuthEntry> = {};
  for (const [key, value] of Object.entries(auths)) {
    const where = `${source}: auths[${JSON.stringify(key)}]`;
    if (!isRecord(value)) throw new Error(`${where} must be an object`);
    const entry: { -readonly [F in keyof DockerAuthEntry]: DockerAuthEntry[F] } = {};
    for (const field of entryFields) {
      const text = optionalString(value, field, where);
      if (text !== undefined) entry[field] = text;
    }
    if (entry.auth !== undefined) decodeAuth(entry.auth, where);
    entries[key] = entry;
  }
  return { auths: entries };
}

function decodeAuth(auth: string, where: string): { username: string; password: string } {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error(`${where}.auth is not base64 of "username:password"`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Builds the docker config JSON a pull secret holds, for one registry. */
export function dockerConfigFor(registry: string, username: string, password: string): DockerConfig {
  return { auths: { [registry]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } };
}

const hubAliases = new Set([dockerHub, 'index.docker.io', 'registry-1.docker.io']);

function splitKey(key: string): { host: string; path: string } {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  const host = (slash >= 0 ? withoutScheme.slice(0, slash) : withoutScheme).toLowerCase();
  let path = slash >= 0 ? withoutScheme.slice(slash + 1) : '';
  // docker login writes https://index.docker.io/v1/; the /v1/ is an API version, not a repo path.
  path = path.replace(/^v[12]\/?$/, '').replace(/\/+$/, '');
  return { host, path };
}

function hostMatches(pattern: string, host: string): boolean {
  if (hubAliases.has(pattern) && hubAliases.has(host)) return true;
  const patternParts = pattern.split('.');
  const hostParts = host.split('.');
  if (patternParts.length !== hostParts.length) return false;
  return patternParts.every((part, i) => part === '*' || part === hostParts[i]);
}

/**
 * The credentials for `registry` (and, when keys carry paths, `repository`): the matching key
 * with the longest path wins, then an exact host over a glob.
 */
export function credentialsFor(
  config: DockerConfig | undefined,
  registry: string,
  repository?: string,
): Credentials | undefined {
  if (!config) return undefined;
  const host = registry.toLowerCase();
  let best: { key: string; entry: DockerAuthEntry; rank: number } | undefined;
  for (const [key, entry] of Object.entries(config.auths)) {
    const { host: keyHost, path } = splitKey(key);
    if (!hostMatches(keyHost, host)) continue;
    if (
      path !== '' &&
      (repository === undefined || !(repository === path || repository.startsWith(`${path}/`)))
    ) {
      continue;
    }
    const rank = path.length * 2 + (keyHost.includes('*') ? 0 : 1);
    if (!best || rank > best.rank) best = { key, entry, rank };
  }
  if (!best) return undefined;
  const { key, entry } = best;
  if (entry.registrytoken !== undefined) return { kind: 'token', token: entry.registrytoken, key };
  if (entry.auth !== undefined)
    return { kind: 'basic', ...decodeAuth(entry.auth, `auths[${JSON.stringify(key)}]`), key };
  if (entry.username !== undefined)
    return { kind: 'basic', username: entry.username, password: entry.password ?? '', key };
  return undefined;
}
