/**
 * Renders Helm charts (`helm template`) and kustomizations (`kubectl kustomize`) into plain manifests.
 * The binaries are supplied by the caller (the CLI passes the lab's pinned kubectl 1.33 and helm);
 * without them the scan looks for `kubectl` and `helm` on PATH.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RenderTools {
  readonly kubectl: () => Promise<string>;
  readonly helm: () => Promise<string>;
}

export const toolsOnPath: RenderTools = {
  kubectl: () => Promise.resolve('kubectl'),
  helm: () => Promise.resolve('helm'),
};

export class RenderError extends Error {
  override readonly name = 'RenderError';
}

const timeoutMs = 60_000;

function run(binary: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { env, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve(stdout);
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        const why =
          e.code === 'ENOENT'
            ? `${binary} not found`
            : e.killed
              ? `timed out after ${timeoutMs / 1000}s`
              : stderr.trim().split('\n').slice(-3).join(' ') || e.message;
        reject(new RenderError(`${path.basename(binary)} ${args.join(' ')}: ${why}`));
      },
    );
  });
}

/** `kubectl kustomize <dir>`: the kustomization's objects as multi-document YAML. */
export async function renderKustomization(dir: string, tools: RenderTools): Promise<string> {
  const kubectl = await tools.kubectl();
  return run(kubectl, ['kustomize', dir], { ...process.env, KUBECTL_KUBERC: 'false' });
}

/**
 * `helm template <chart>`: the chart rendered with its default values, each document preceded by a
 * `# Source: <chart>/templates/<file>` comment. Helm gets throwaway config/cache dirs so a scan never
 * reads or writes the user's repositories.
 */
export async function renderChart(dir: string, tools: RenderTools): Promise<string> {
  const helm = await tools.helm();
  const home = await mkdtemp(path.join(tmpdir(), 'lcm-scan-helm-'));
  try {
    return await run(helm, ['template', 'lcm-scan', dir], {
      ...process.env,
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_DATA_HOME: path.join(home, 'data'),
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
