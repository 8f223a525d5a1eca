/**
 * The agent's work records on the host (docs/ibu-agent.md): JSON files under
 * `<stateroot var>/lib/lca/`, written atomically, so progress survives both agent crashes and the
 * reboots into another stateroot that the IBU status (served from one stateroot) does not.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ostree } from '../../host/ostree.ts';
import type { HostProgress, StepFailure, StepsRecord, UpgradeRecord } from './host-progress.ts';

/** Which stateroots an upgrade moves between; written by Prep, copied into the new stateroot. */
export interface UpgradeContext {
  readonly originalStateroot: string;
  readonly newStateroot: string;
  readonly seedImage: string;
  readonly seedVersion: string;
}

export type RecordName = 'prep' | 'upgrade' | 'rollback' | 'idle' | 'failure' | 'context' | 'ibu';

export class AgentRecords {
  constructor(private readonly ostree: Ostree) {}

  /** `<var of stateroot>/lib/lca` */
  dir(stateroot: string): string {
    return path.join(this.ostree.varDir(stateroot), 'lib', 'lca');
  }

  file(stateroot: string, name: RecordName): string {
    return path.join(this.dir(stateroot), `${name}.json`);
  }

  async read<T>(stateroot: string, name: RecordName): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.file(stateroot, name), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(
        `${this.file(stateroot, name)} is unreadable (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }

  async write(stateroot: string, name: RecordName, value: unknown): Promise<void> {
    const target = this.file(stateroot, name);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`);
    await rename(partial, target);
  }

  /** A work file of the upgrade (exported restores, extra manifests…) under the stateroot's lib/lca. */
  async writeFile(stateroot: string, file: string, value: unknown): Promise<void> {
    const target = path.join(this.dir(stateroot), file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(`${target}.partial`, `${JSON.stringify(value, null, 2)}\n`);
    await rename(`${target}.partial`, target);
  }

  async readFile<T>(stateroot: string, file: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir(stateroot), file), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async remove(stateroot: string, name: RecordName): Promise<void> {
    await rm(this.file(stateroot, name), { force: true });
  }

  async markDone(
    stateroot: string,
    name: 'prep' | 'upgrade' | 'rollback' | 'idle',
    step: string,
  ): Promise<void> {
    const record = (await this.read<StepsRecord & Record<string, unknown>>(stateroot, name)) ?? {
      stepsDone: [],
    };
    if (record.stepsDone.includes(step)) return;
    await this.write(stateroot, name, { ...record, stepsDone: [...record.stepsDone, step] });
  }

  async progress(stateroot: string): Promise<HostProgress> {
    const [prep, upgrade, rollback, idle, failure, ibu] = await Promise.all([
      this.read<StepsRecord>(stateroot, 'prep'),
      this.read<UpgradeRecord>(stateroot, 'upgrade'),
      this.read<StepsRecord>(stateroot, 'rollback'),
      this.read<StepsRecord>(stateroot, 'idle'),
      this.read<StepFailure>(stateroot, 'failure'),
      this.read<unknown>(stateroot, 'ibu'),
    ]);
    return {
      ...(prep ? { prep } : {}),
      ...(upgrade ? { upgrade } : {}),
      ...(rollback ? { rollback } : {}),
      ...(idle ? { idle } : {}),
      ...(failure ? { failure } : {}),
      ...(ibu !== undefined ? { ibuJsonPendingRestore: true } : {}),
    };
  }

  /** Everything the agent wrote for an upgrade, in this stateroot (the Idle record is kept by the caller). */
  async clear(stateroot: string, keep: readonly RecordName[] = []): Promise<void> {
    for (const name of ['prep', 'upgrade', 'rollback', 'failure', 'context', 'ibu', 'idle'] as const) {
      if (!keep.includes(name)) await this.remove(stateroot, name);
    }
    for (const dir of [
      'seed-image',
      'seed',
      'restores.json',
      'extra-manifests.json',
      'artifacts.json',
      'recert-summary.json',
    ]) {
      await rm(path.join(this.dir(stateroot), dir), { recursive: true, force: true });
    }
  }
}
