/**
 * Runs a private OCI registry (Debian's docker-registry, distribution 2.8) for the lab and for
 * tests: loopback only, its own storage dir and port, optional htpasswd auth, stopped by PID.
 * Seed images are pushed here by the seed generator and pulled by the target hosts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findExecutable } from '../host/executable.ts';
import { bcryptHash } from './bcrypt.ts';
import { probe, spawnServer } from './child-process.ts';
import { findFreePort, startOnFreePorts } from './ports.ts';

export interface RegistryOptions {
  /** Holds config.yml, the htpasswd file and storage/ (the blobs and repositories). */
  readonly dir: string;
  readonly port?: number;
  /** Turns on htpasswd auth with this one user. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Where the registry's own log goes; default `<dir>/registry.log`. */
  readonly logFile?: string;
  /** How long to wait for `GET /v2/`; default 20 s. */
  readonly startTimeoutMs?: number;
  /** The docker-registry binary; default /usr/bin/docker-registry, else the first on PATH. */
  readonly binary?: string;
}

export interface RegistryProcess {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT`, the registry part of image references. */
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** The filesystem driver's root: `docker/registry/v2/{blobs,repositories}` live under it. */
  readonly storageDir: string;
  readonly logFile: string;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if the registry has not exited after `timeoutMs` (default 5 s). */
  stop(timeoutMs?: number): Promise<void>;
}

const installHint =
  'install Debian package docker-registry (scripts/ensure-system-deps.sh does it when root)';

function findRegistryBinary(explicit: string | undefined): string {
  const found = findExecutable('docker-registry', explicit);
  if (found === undefined) throw new Error(`${explicit ?? 'docker-registry'} not found: ${installHint}`);
  return found;
}

/** REGISTRY_* variables override the config file, so a stray one would change what we start. */
function registryEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('REGISTRY_')));
}

function writeConfig(options: RegistryOptions, host: string, storageDir: string): string {
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'info', fields: { service: 'registry' } },
    storage: {
      filesystem: { rootdirectory: storageDir },
      delete: { enabled: true },
      // Upload purging scans storage in the background; lab registries are short-lived.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: host,
      // Upload state is signed with this; a fixed random one per start avoids the "generating a
      // random secret" warning and keeps uploads valid for the life of the process.
      secret: randomBytes(16).toString('hex'),
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
  };
  if (options.auth) {
    const htpasswd = join(options.dir, 'htpasswd');
    writeFileSync(htpasswd, `${options.auth.username}:${bcryptHash(options.auth.password)}\n`, {
      mode: 0o600,
    });
    config.auth = { htpasswd: { realm: 'lcm-lab-registry', path: htpasswd } };
  }
  const configFile = join(options.dir, 'config.yml');
  writeFileSync(configFile, stringify(config));
  return configFile;
}

async function startOnce(
  binary: string,
  options: RegistryOptions,
  port: number,
  logFile: string,
): Promise<RegistryProcess> {
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const storageDir = join(options.dir, 'storage');
  mkdirSync(storageDir, { recursive: true });
  const configFile = writeConfig(options, host, storageDir);

  const server = await spawnServer({
    name: 'docker-registry',
    binary,
    args: ['serve', configFile],
    env: registryEnvironment(),
    logFile,
    url,
    // 200 when open, 401 when auth is on: either way the registry is serving.
    isReady: () => probe(`${url}/v2/`, (status) => status === 200 || status === 401),
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
  });
  return { ...server, url, host, port, storageDir, logFile };
}

export async function startRegistry(options: RegistryOptions): Promise<RegistryProcess> {
  const binary = findRegistryBinary(options.binary);
  mkdirSync(options.dir, { recursive: true });
  const logFile = options.logFile ?? join(options.dir, 'registry.log');
  return startOnFreePorts(
    options.port !== undefined,
    async () => options.port ?? (await findFreePort()),
    (port) => startOnce(binary, options, port, logFile),
  );
}
