/** `lcm ibu status | watch` and `lcm seed generate`: the image-based upgrade from the command line. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { KubeClient } from '../../client/client.ts';
import { isNotFound } from '../../client/errors.ts';
import { clusterClient, withCluster as withClusterOptions, type ClusterOptions } from '../cluster-options.ts';
import { describeIbu, summaryLine, type ServedIbu } from '../ibu/ibu-view.ts';
import { exitCodeHelp, exitCodes, outputOption, render, type OutputFormat } from '../output.ts';
import { progress } from '../progress.ts';
import { imageBasedUpgradeType as ibuType, seedGeneratorType as seedType } from '../../api/lca/constants.ts';

function withCluster(command: Command): Command {
  return withClusterOptions(command, 'kubeconfig context (the single-node cluster)');
}

export interface WatchOptions {
  /** Stop once this condition is True (e.g. UpgradeCompleted). */
  readonly until?: string;
  readonly timeoutMs: number;
  readonly print: (line: string) => void;
}

/**
 * Follows the IBU until a condition is True or the stage fails. Polls rather than watches: during
 * a reboot the cluster answers 503 and a watch would end anyway.
 */
export async function watchIbu(client: KubeClient, options: WatchOptions): Promise<ServedIbu | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    let ibu: ServedIbu | undefined;
    let line: string;
    try {
      ibu = await client.get<ServedIbu>(ibuType, 'upgrade');
      line = summaryLine(ibu);
    } catch (error) {
      line = `cluster unreachable (${error instanceof Error ? error.message.split('\n')[0] : String(error)}) — a reboot?`;
    }
    if (line !== last) {
      options.print(`${new Date().toISOString().slice(11, 19)}  ${line}`);
      last = line;
    }
    const conditions = ibu?.status?.conditions ?? [];
    if (
      options.until !== undefined &&
      conditions.some((c) => c.type === options.until && c.status === 'True')
    )
      return ibu;
    if (ibu !== undefined && /: failed — /.test(line)) throw new Error(line);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s: ${line}`);
    await sleep(500);
  }
}

async function status(options: ClusterOptions & { output: OutputFormat }): Promise<void> {
  const client = await clusterClient(options);
  try {
    const ibu = await client.get<ServedIbu>(ibuType, 'upgrade');
    process.stdout.write(render(options.output, ibu, () => describeIbu(ibu)));
  } catch (error) {
    if (isNotFound(error))
      throw new Error('no ImageBasedUpgrade "upgrade" on this cluster: is the Lifecycle Agent running?');
    throw error;
  }
}

export async function generateSeed(client: KubeClient, image: string, seedAuth: string): Promise<void> {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'seedgen', namespace: 'openshift-lifecycle-agent' },
    stringData: { seedAuth },
  };
  await client.createIfMissing(secret);
  await client.createIfMissing({ ...seedType, metadata: { name: 'seedimage' }, spec: { seedImage: image } });
  for (;;) {
    const seed = await client.get<ServedIbu>(seedType, 'seedimage');
    const completed = seed.status?.conditions?.find((c) => c.type === 'SeedGenCompleted');
    if (completed?.status === 'True') return;
    if (completed?.status === 'False' && completed.reason === 'Failed')
      throw new Error(`seed generation failed: ${completed.message}`);
    await sleep(500);
  }
}

export function ibuCommand(): Command {
  const ibu = new Command('ibu')
    .description('Image-based upgrades of single-node clusters (lca.openshift.io ImageBasedUpgrade)')
    .addHelpText('after', exitCodeHelp);
  ibu.addCommand(
    withCluster(new Command('status'))
      .description(
        "Show the stage, conditions, valid next stages and history of the cluster's ImageBasedUpgrade",
      )
      .addOption(outputOption())
      .action(status),
  );
  ibu.addCommand(
    withCluster(new Command('watch'))
      .description('Follow the upgrade live (through reboots) until --until is True or the stage fails')
      .option('--until <condition>', 'e.g. PrepCompleted, UpgradeCompleted, RollbackCompleted, Idle')
      .option('--timeout <seconds>', 'give up after this long', '3600')
      .action(async (options: ClusterOptions & { until?: string; timeout: string }) => {
        await watchIbu(await clusterClient(options), {
          ...(options.until ? { until: options.until } : {}),
          timeoutMs: Number(options.timeout) * 1000,
          print: (line) => void process.stdout.write(`${line}\n`),
        });
      }),
  );
  return ibu;
}

export function seedCommand(): Command {
  const seed = new Command('seed').description('Seed images for image-based upgrades');
  seed.addCommand(
    withCluster(new Command('generate'))
      .description(
        'Build a seed image from the cluster (SeedGenerator seedimage) and push it; waits until done',
      )
      .requiredOption('--image <ref>', 'where to push, e.g. registry.example.com/ibu/seed:4.16.1')
      .option(
        '--auth <json>',
        "docker config JSON with push credentials (the seedgen secret's seedAuth)",
        '{"auths":{}}',
      )
      .action(async (options: ClusterOptions & { image: string; auth: string }) => {
        const client = await clusterClient(options);
        await progress().step(`generating the seed image ${options.image}`, () =>
          generateSeed(client, options.image, options.auth),
        );
        process.exitCode = exitCodes.ok;
      }),
  );
  return seed;
}
