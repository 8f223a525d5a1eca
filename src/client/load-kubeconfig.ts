/**
 * Reads a kubeconfig into connection settings: the server URL (path prefix included, so
 * `/clusters/<name>` logical clusters work), credentials, trust, and the context's namespace.
 * Relative file paths resolve against the kubeconfig's own directory, as kubectl does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isRecord } from './object.ts';

export interface ConnectionSettings {
  /** The context these settings came from (or a caller-chosen name). */
  readonly context: string;
  readonly server: string;
  readonly namespace: string;
  readonly token?: string;
  /** Read at request time, so a rotated token is picked up. */
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM texts, read from files or decoded from the `-data` fields. */
  readonly ca?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
}

export interface Kubeconfig {
  readonly currentContext: string | undefined;
  readonly contexts: readonly string[];
  /** Where relative paths resolve (the file's directory, or the working directory for text). */
  readonly baseDir: string;
  readonly source: string;
  readonly raw: Record<string, unknown>;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

/** A string with a newline or a `{` is the kubeconfig's text; anything else is a path. */
function isText(source: string): boolean {
  return source.includes('\n') || source.trimStart().startsWith('{');
}

export async function readKubeconfig(source: string): Promise<Kubeconfig> {
  const text = isText(source) ? source : await readSource(source);
  const label = isText(source) ? 'kubeconfig text' : `kubeconfig ${source}`;
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new KubeconfigError(
      `${label}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isRecord(raw))
    throw new KubeconfigError(`${label}: expected a mapping with clusters, users and contexts`);
  const contexts = namedEntries(raw, 'contexts', label).map((e) => e.name);
  const current = raw['current-context'];
  return {
    currentContext: typeof current === 'string' && current !== '' ? current : undefined,
    contexts,
    baseDir: isText(source) ? process.cwd() : path.dirname(path.resolve(source)),
    source: label,
    raw,
  };
}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(
      `cannot read kubeconfig ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function loadKubeconfig(
  source: string,
  options: { readonly context?: string } = {},
): Promise<ConnectionSettings> {
  return connectionFor(await readKubeconfig(source), options.context);
}

interface Named {
  readonly name: string;
  readonly body: Record<string, unknown>;
}

function namedEntries(raw: Record<string, unknown>, list: string, label: string): Named[] {
  const entries = raw[list] ?? [];
  if (!Array.isArray(entries)) throw new KubeconfigError(`${label}: ${list} must be a list`);
  const field = list.slice(0, -1);
  return entries.map((entry: unknown, index) => {
    if (!isRecord(entry) || typeof entry.name !== 'string')
      throw new KubeconfigError(`${label}: ${list}[${index}] needs a name`);
    const body = entry[field] ?? {};
    if (!isRecord(body)) throw new KubeconfigError(`${label}: ${list}[${index}].${field} must be a mapping`);
    return { name: entry.name, body };
  });
}

function find(config: Kubeconfig, list: string, name: string): Named | undefined {
  return namedEntries(config.raw, list, config.source).find((e) => e.name === name);
}

function stringField(body: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new KubeconfigError(`${where}: ${key} must be a string`);
  return value;
}

/** Settings for one context (the current one when `context` is absent). */
export async function connectionFor(config: Kubeconfig, context?: string): Promise<ConnectionSettings> {
  const name = context ?? config.currentContext;
  if (name === undefined) {
    throw new KubeconfigError(
      `${config.source}: no context given and current-context is not set (contexts: ${config.contexts.join(', ') || 'none'})`,
    );
  }
  const ctx = find(config, 'contexts', name);
  if (ctx === undefined) {
    throw new KubeconfigError(
      `${config.source}: context "${name}" not found (contexts: ${config.contexts.join(', ') || 'none'})`,
    );
  }
  const where = `${config.source}: context "${name}"`;
  const clusterName = stringField(ctx.body, 'cluster', where);
  if (clusterName === undefined) throw new KubeconfigError(`${where} names no cluster`);
  const cluster = find(config, 'clusters', clusterName);
  if (cluster === undefined) throw new KubeconfigError(`${where}: cluster "${clusterName}" not found`);
  const userName = stringField(ctx.body, 'user', where);
  const user = userName === undefined ? undefined : find(config, 'users', userName);
  if (userName !== undefined && user === undefined)
    throw new KubeconfigError(`${where}: user "${userName}" not found`);

  const clusterWhere = `${config.source}: cluster "${clusterName}"`;
  const server = stringField(cluster.body, 'server', clusterWhere);
  if (server === undefined) throw new KubeconfigError(`${clusterWhere} has no server`);
  try {
    new URL(server);
  } catch {
    throw new KubeconfigError(`${clusterWhere}: server "${server}" is not a URL`);
  }

  const pem = async (body: Record<string, unknown>, key: string, at: string): Promise<string | undefined> => {
    const data = stringField(body, `${key}-data`, at);
    if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
    const file = stringField(body, key, at);
    if (file === undefined) return undefined;
    const resolved = path.resolve(config.baseDir, file);
    try {
      return await readFile(resolved, 'utf8');
    } catch (error) {
      throw new KubeconfigError(
        `${at}: cannot read ${key} ${resolved}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  const userBody = user?.body ?? {};
  const userWhere = `${config.source}: user "${userName ?? ''}"`;
  if (userBody.exec !== undefined || userBody['auth-provider'] !== undefined) {
    throw new KubeconfigError(
      `${userWhere}: exec and auth-provider credential plugins are not supported; use a token, token file or client certificate`,
    );
  }
  const tokenFile = stringField(userBody, 'tokenFile', userWhere);
  const username = stringField(userBody, 'username', userWhere);
  const password = stringField(userBody, 'password', userWhere);
  const token = stringField(userBody, 'token', userWhere);
  const ca = await pem(cluster.body, 'certificate-authority', clusterWhere);
  const clientCertificate = await pem(userBody, 'client-certificate', userWhere);
  const clientKey = await pem(userBody, 'client-key', userWhere);
  if ((clientCertificate === undefined) !== (clientKey === undefined))
    throw new KubeconfigError(`${userWhere}: client-certificate and client-key must be given together`);
  const tlsServerName = stringField(cluster.body, 'tls-server-name', clusterWhere);

  return {
    context: name,
    server: server.replace(/\/+$/, ''),
    namespace: stringField(ctx.body, 'namespace', where) ?? 'default',
    ...(token !== undefined ? { token } : {}),
    ...(tokenFile !== undefined ? { tokenFile: path.resolve(config.baseDir, tokenFile) } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(clientCertificate !== undefined ? { clientCertificate } : {}),
    ...(clientKey !== undefined ? { clientKey } : {}),
    insecureSkipTlsVerify: cluster.body['insecure-skip-tls-verify'] === true,
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
  };
}
