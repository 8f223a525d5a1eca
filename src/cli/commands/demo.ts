/**
 * `lcm demo` (the README's main job): walks real kubectl through the lab API server on real etcd (hub
 * and two spoke clusters), then rehearses in one lab an image-based upgrade (as root) and an update
 * readiness check, printing each command and its output.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { runKubectl } from '../../lab/kubectl.ts';
import { hostsSupported } from '../../lab/hosts.ts';
import { startLabApiServer } from '../../lab/lab-apiserver.ts';
import { removeTree } from '../../lab/remove-tree.ts';
import { progress } from '../progress.ts';
import { rehearseIbu } from '../rehearse-ibu.ts';
import { rehearseReadiness } from '../rehearse-readiness.ts';

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const rehearsalCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: rehearsals.lab.lcm.io
spec:
  group: lab.lcm.io
  scope: Namespaced
  names: {plural: rehearsals, singular: rehearsal, kind: Rehearsal, shortNames: [reh]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Stage, type: string, jsonPath: .spec.stage}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [stage]
            properties:
              stage: {type: string, enum: [Idle, Prep, Upgrade, Rollback]}
              replicas: {type: integer, minimum: 0, default: 1}
          status:
            type: object
            properties:
              replicas: {type: integer}
`;

const rehearsal = `apiVersion: lab.lcm.io/v1
kind: Rehearsal
metadata:
  name: upgrade
  namespace: rehearsal
spec:
  stage: Idle
`;

const execFileAsync = promisify(execFile);
const lcmEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/lcm.js');

/** Quotes an argument the way a shell user would type it. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

interface Step {
  readonly title: string;
  readonly args: readonly string[];
  readonly stdin?: string;
  readonly context?: string;
  /** Steps that show a refusal expect kubectl to fail. */
  readonly expectFailure?: boolean;
}

const steps: readonly Step[] = [
  { title: 'The server speaks Kubernetes to a real kubectl 1.33', args: ['version', '-o', 'yaml'] },
  { title: 'The hub cluster', args: ['get', 'namespaces'] },
  {
    title: 'A spoke cluster is its own logical cluster',
    context: 'spoke1',
    args: ['create', 'namespace', 'rehearsal'],
  },
  { title: 'Install a CRD in spoke1', context: 'spoke1', args: ['apply', '-f', '-'], stdin: rehearsalCrd },
  {
    title: 'It is served at once',
    context: 'spoke1',
    args: ['wait', '--for=condition=Established', 'crd/rehearsals.lab.lcm.io', '--timeout=10s'],
  },
  {
    title: 'Create a custom resource (defaults applied)',
    context: 'spoke1',
    args: ['apply', '-f', '-'],
    stdin: rehearsal,
  },
  { title: 'Printer columns', context: 'spoke1', args: ['get', 'rehearsals', '-n', 'rehearsal'] },
  {
    title: 'Schema validation names the field and the rule',
    context: 'spoke1',
    args: ['patch', 'reh/upgrade', '-n', 'rehearsal', '--type=merge', '-p', '{"spec":{"stage":"Sideways"}}'],
    expectFailure: true,
  },
  {
    title: 'A valid stage change',
    context: 'spoke1',
    args: ['patch', 'reh/upgrade', '-n', 'rehearsal', '--type=merge', '-p', '{"spec":{"stage":"Prep"}}'],
  },
  {
    title: 'The scale subresource',
    context: 'spoke1',
    args: ['scale', 'reh/upgrade', '-n', 'rehearsal', '--replicas=3'],
  },
  {
    title: 'Read it back',
    context: 'spoke1',
    args: [
      'get',
      'reh/upgrade',
      '-n',
      'rehearsal',
      '-o',
      'jsonpath={.spec.stage} replicas={.spec.replicas} generation={.metadata.generation}{"\\n"}',
    ],
  },
  { title: "spoke2 does not see spoke1's CRD", context: 'spoke2', args: ['get', 'crd'] },
  {
    title: 'Deleting the namespace deletes its contents',
    context: 'spoke1',
    args: ['delete', 'namespace', 'rehearsal', '--wait=true', '--timeout=30s'],
  },
];

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'The main job: a kubectl walkthrough of the lab API server, then an image-based upgrade and an update-readiness check rehearsed in the lab',
    )
    .option('--dir <dir>', 'lab directory (default: a fresh temporary directory, removed afterwards)')
    .option('--keep', 'leave the server running after the walkthrough (stop with Ctrl-C)', false)
    .option('--no-ibu', 'skip part 2, the image-based upgrade rehearsal (it needs root for ostree)')
    .option('--no-readiness', 'skip part 3, the update-readiness rehearsal')
    .action(async (options: { dir?: string; keep: boolean; ibu: boolean; readiness: boolean }) => {
      const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'lcm-demo-')));
      const say = (line: string): boolean => process.stdout.write(`${line}\n`);
      say(`Starting etcd and the API server in ${dir} …`);
      const lab = await startLabApiServer({ dir, clusters: ['spoke1', 'spoke2'] });
      let failed = 0;
      try {
        say(
          `API server at ${lab.server.url} (clusters: ${lab.server.clusterNames().join(', ')}); etcd pid ${lab.etcd?.pid ?? '-'}`,
        );
        say(`kubeconfig: ${lab.kubeconfigPath}\n`);
        for (const [index, step] of steps.entries()) {
          say(`── ${index + 1}/${steps.length} ${step.title}`);
          say(
            `$ kubectl ${step.context ? `--context ${step.context} ` : ''}${step.args.map(shellQuote).join(' ')}`,
          );
          const result = await runKubectl(step.args, {
            kubeconfig: lab.kubeconfigPath,
            ...(step.context ? { context: step.context } : {}),
            ...(step.stdin ? { stdin: step.stdin } : {}),
          });
          process.stdout.write(result.stdout);
          process.stdout.write(result.stderr);
          const ok = step.expectFailure ? result.code !== 0 : result.code === 0;
          if (!ok) {
            failed++;
            say(`✗ unexpected exit code ${result.code}`);
          }
          say('');
        }
        say(
          failed === 0
            ? `✓ walkthrough complete: ${steps.length} steps`
            : `✗ ${failed} of ${steps.length} steps failed`,
        );
        // Parts 2 and 3 share one lab: with simulated hosts when this machine can run them.
        const labDir = path.join(dir, 'lab');
        const unsupported = hostsSupported();
        try {
          if (options.ibu) {
            say('\n══ Part 2: an image-based upgrade of a single-node cluster, rehearsed in the lab ══');
            if (unsupported !== undefined) say(`skipped: ${unsupported}`);
            else {
              try {
                await rehearseIbu(labDir, progress(process.stdout), say);
                say('\n✓ image-based upgrade rehearsed: seed image, Prep, Upgrade (reboot, restore), Idle');
              } catch (error) {
                failed++;
                say(`✗ image-based upgrade rehearsal failed: ${errorText(error)}`);
                say(`  logs: ${path.join(labDir, 'logs')}`);
              }
            }
          }
          if (options.readiness) {
            say('\n══ Part 3: is spoke1 ready to update from 4.13 to 4.14? (seed 001) ══');
            try {
              await rehearseReadiness(
                labDir,
                options.ibu && unsupported === undefined,
                progress(process.stdout),
                say,
              );
              say(
                '\n✓ update readiness rehearsed: removed APIs in use, alert, conditional update, admin ack, etcd backup',
              );
            } catch (error) {
              failed++;
              say(`✗ update readiness rehearsal failed: ${errorText(error)}`);
              say(`  logs: ${path.join(labDir, 'logs')}`);
            }
          }
        } finally {
          if (!options.keep) {
            await execFileAsync(process.execPath, [lcmEntry, 'lab', 'down', '--dir', labDir]).catch(
              () => undefined,
            );
          } else say(`the lab stays up: lcm lab status --dir ${labDir}`);
        }
        if (options.keep) {
          say(`Server still running: KUBECONFIG=${lab.kubeconfigPath} kubectl get ns   (Ctrl-C stops it)`);
          await new Promise<void>((resolve) => process.once('SIGINT', resolve));
        }
      } finally {
        await lab.stop();
        if (options.dir === undefined && !options.keep) await removeTree(dir);
      }
      if (failed > 0) process.exitCode = 1;
    });
}
