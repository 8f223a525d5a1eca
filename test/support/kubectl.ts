/** Real kubectl against a test server, with assertions that show kubectl's own output on failure. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { runKubectl, type KubectlResult } from '../../src/lab/kubectl.ts';

export interface Invocation {
  readonly context?: string;
  readonly stdin?: string;
}

export interface KubectlSession {
  readonly kubectl: (args: readonly string[], options?: Invocation) => Promise<KubectlResult>;
  /** Requires success; returns stdout. */
  readonly ok: (args: readonly string[], options?: Invocation) => Promise<string>;
  /** Requires exit code 1; returns stderr. */
  readonly fails: (args: readonly string[], options?: Invocation) => Promise<string>;
}

/**
 * `target` is read on each call (servers start in `before`). kubectl gets a discovery cache
 * private to the server's directory, so a reused port never sees stale types.
 */
export function kubectlSession(
  target: () => { readonly dir: string; readonly kubeconfig: string },
): KubectlSession {
  const kubectl = (args: readonly string[], options: Invocation = {}): Promise<KubectlResult> => {
    const { dir, kubeconfig } = target();
    return runKubectl(['--cache-dir', path.join(dir, 'kube-cache'), ...args], { kubeconfig, ...options });
  };
  return {
    kubectl,
    ok: async (args, options = {}) => {
      const result = await kubectl(args, options);
      assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    },
    fails: async (args, options = {}) => {
      const result = await kubectl(args, options);
      assert.equal(result.code, 1, `kubectl ${args.join(' ')} should fail; stdout:\n${result.stdout}`);
      return result.stderr;
    },
  };
}
