/**
 * The main job's update-readiness part (seed 001), run with the real commands a user would type:
 * spoke1 in the lab runs 4.13.40; a workload there still calls an API that Kubernetes 1.27 removes;
 * `lcm readiness` says what blocks 4.14.13 and how to fix it; the administrator acknowledges the API
 * removals with the seed's own command and takes an etcd backup; the report is asked again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runKubectl } from '../lab/kubectl.ts';
import { labLayout, readState } from '../lab/state.ts';
import type { Progress } from './progress.ts';

const run = promisify(execFile);
const lcmEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lcm.js');
const target = '4.14.13';
const ackPatch = '{"data":{"ack-4.13-kube-1.27-api-removals-in-4.14":"true"}}';

/** `lcm <args>`, its output printed; a non-zero exit is returned, not thrown (4 means "blocked"). */
async function lcm(args: readonly string[], say: (line: string) => void): Promise<number> {
  say(`$ lcm ${args.join(' ')}`);
  try {
    const { stdout } = await run(process.execPath, [lcmEntry, ...args], { maxBuffer: 16 * 2 ** 20 });
    say(stdout.trimEnd());
    return 0;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    say(`${failure.stdout ?? ''}${failure.stderr ?? ''}`.trimEnd());
    return typeof failure.code === 'number' ? failure.code : 1;
  }
}

/** A client still on storage.k8s.io/v1beta1 polling for a while, as a stale operator would. */
async function legacyWorkload(apiServer: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    await fetch(`${apiServer}/clusters/spoke1/apis/storage.k8s.io/v1beta1/csistoragecapacities`, {
      headers: {
        'User-Agent': 'legacy-storage-operator/v0.3.1 (linux/amd64)',
        'Impersonate-User': 'system:serviceaccount:legacy:storage-operator',
      },
    }).catch(() => undefined);
    await sleep(1000);
  }
}

export async function rehearseReadiness(
  dir: string,
  withHosts: boolean,
  steps: Progress,
  say: (line: string) => void,
): Promise<void> {
  const layout = labLayout(dir);
  await steps.step(
    'starting the lab (spoke1 runs 4.13.40 under the simulated cluster version operator)',
    () =>
      run(process.execPath, [lcmEntry, 'lab', 'up', '--dir', dir, ...(withHosts ? [] : ['--no-hosts'])], {
        timeout: 180_000,
      }),
  );
  const apiServer = (await readState(layout))?.apiServer ?? '';
  await steps.step(
    'a workload on spoke1 calls storage.k8s.io/v1beta1 (removed in Kubernetes 1.27) for 15 s; Prometheus scrapes it',
    () => legacyWorkload(apiServer, 15),
  );
  const kubeconfigArgs = ['--kubeconfig', layout.kubeconfig, '--context', 'spoke1'];
  const first = await lcm(['readiness', ...kubeconfigArgs, '--to', target], say);
  say(first === 4 ? '(exit 4: blocked)' : `(exit ${first})`);
  say('');
  say(
    `$ kubectl --context spoke1 -n openshift-config patch cm admin-acks --patch '${ackPatch}' --type=merge`,
  );
  const ack = await runKubectl(
    ['-n', 'openshift-config', 'patch', 'cm', 'admin-acks', '--patch', ackPatch, '--type=merge'],
    { kubeconfig: layout.kubeconfig, context: 'spoke1' },
  );
  say((ack.stdout + ack.stderr).trimEnd());
  if (ack.code !== 0) throw new Error(`kubectl patch cm admin-acks exited ${ack.code}`);
  const backup = await lcm(['etcd', 'backup', '--dir', dir], say);
  if (backup !== 0) throw new Error(`lcm etcd backup exited ${backup}`);
  say('');
  // The cluster version operator re-reads the gates at once; give it a moment to report.
  await sleep(2000);
  const second = await lcm(['readiness', ...kubeconfigArgs, '--to', target, '-o', 'table'], say);
  say(
    second === 4
      ? '(exit 4: still blocked — the workload must move to storage.k8s.io/v1 first; the ack alone does not migrate anything)'
      : `(exit ${second})`,
  );
  say('');
  const prometheus = (await readState(layout))?.components.find((c) => c.name === 'prometheus')?.endpoint;
  await lcm(
    [
      'upgrade',
      'path',
      '--from',
      '4.13.40',
      '--to',
      '4.16.1',
      ...(prometheus ? ['--prometheus', prometheus] : []),
    ],
    say,
  );
}
