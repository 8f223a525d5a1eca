/**
 * The agent's effects layer: read the IBU and the host records, ask `decide`, write the status,
 * perform the one action, record it. Everything that must survive a reboot is on the host.
 */
import type { ImageBasedUpgradeSpec, ImageBasedUpgradeStatus } from '../../api/lca/image-based-upgrade.ts';
import type { KubeObject } from '../../client/object.ts';
import { isNotFound, isTransient } from '../../client/errors.ts';
import type { Reconciler, ReconcileContext, Request, Result } from '../../runtime/controller.ts';
import { decide, type Action } from './decide.ts';
import { AgentRecords, type UpgradeContext } from './records.ts';
import {
  failed,
  types,
  type AgentDependencies,
  type StepContext,
  type StepResult,
} from './effects/context.ts';
import { prepStepRunners } from './effects/prep.ts';
import { idleStepRunners, rollBackNow, rollbackStepRunners, upgradeStepRunners } from './effects/upgrade.ts';
import { imageBasedUpgradeName } from '../../api/lca/constants.ts';

export const ibuName = imageBasedUpgradeName;

/** The IBU as the API serves it (apiVersion and kind always set). */
type ServedIbu = KubeObject<ImageBasedUpgradeSpec, ImageBasedUpgradeStatus>;

const runners: Readonly<
  Record<string, Readonly<Record<string, (context: StepContext) => Promise<StepResult>>>>
> = {
  Prep: prepStepRunners,
  Upgrade: upgradeStepRunners,
  Rollback: rollbackStepRunners,
  Idle: idleStepRunners,
};

const recordOfStage = { Prep: 'prep', Upgrade: 'upgrade', Rollback: 'rollback', Idle: 'idle' } as const;

export interface IbuReconcilerOptions extends AgentDependencies {
  /** Observes every step run (tests kill the agent at chosen points through it). */
  readonly onStep?: (stage: string, step: string, phase: 'start' | 'end') => Promise<void> | void;
}

export class ImageBasedUpgradeReconciler implements Reconciler {
  private readonly records: AgentRecords;

  constructor(private readonly options: IbuReconcilerOptions) {
    this.records = new AgentRecords(options.host.ostree);
  }

  async reconcile(request: Request, { client, log }: ReconcileContext): Promise<Result | void> {
    if (request.name !== ibuName) return;
    let ibu: ServedIbu;
    try {
      ibu = await client.get<ServedIbu>(types.ibu, ibuName);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // IBU-2: the agent keeps `upgrade` in Idle as long as it runs.
      await client.create({
        apiVersion: types.ibu.apiVersion,
        kind: types.ibu.kind,
        metadata: { name: ibuName },
        spec: { stage: 'Idle' },
      });
      return { requeueAfterMs: 0 };
    }
    const booted = await this.options.host.bootedStateroot();
    const saved = await this.records.read<ServedIbu>(booted, 'ibu');
    if (saved !== undefined) {
      // Back from a reboot: the object served here is a stale copy; the saved one is the truth. It is
      // re-created rather than updated, because the stale copy's validNextStages would refuse the move.
      await client.delete(types.ibu, ibuName);
      const fresh = await client.create<ServedIbu>({
        apiVersion: types.ibu.apiVersion,
        kind: types.ibu.kind,
        metadata: {
          name: ibuName,
          ...(saved.metadata?.labels ? { labels: saved.metadata.labels } : {}),
          ...(saved.metadata?.annotations ? { annotations: saved.metadata.annotations } : {}),
        },
        ...(saved.spec ? { spec: saved.spec } : {}),
      });
      await client.patch(
        types.ibu,
        ibuName,
        { status: saved.status ?? null },
        { type: 'merge', subresource: 'status' },
      );
      await this.records.remove(booted, 'ibu');
      log.info('restored the ImageBasedUpgrade saved before the reboot', {
        generation: fresh.metadata?.generation,
      });
      return { requeueAfterMs: 0 };
    }
    if ((ibu.status?.conditions ?? []).length === 0 && ibu.spec?.stage !== 'Idle') {
      // A stage was asked for before the agent reported Idle (e.g. right after install): report
      // Idle first, so the requested move is judged against a real state rather than refused.
      const idle = decide({
        ibu: { ...ibu, spec: { ...ibu.spec, stage: 'Idle' } },
        progress: {},
        now: this.options.clock.now(),
        bootedStateroot: booted,
      });
      await client.patch(
        types.ibu,
        ibuName,
        { status: idle.status },
        { type: 'merge', subresource: 'status' },
      );
      return { requeueAfterMs: 0 };
    }
    const upgrade = await this.records.read<UpgradeContext>(booted, 'context');
    const progress = await this.records.progress(booted);
    const decision = decide({
      ibu,
      progress,
      now: this.options.clock.now(),
      bootedStateroot: booted,
      ...(upgrade
        ? { originalStateroot: upgrade.originalStateroot, newStateroot: upgrade.newStateroot }
        : {}),
    });
    if (JSON.stringify(decision.status) !== JSON.stringify(ibu.status ?? {})) {
      await client.patch(
        types.ibu,
        ibuName,
        { status: decision.status },
        { type: 'merge', subresource: 'status' },
      );
    }
    const context: StepContext = {
      ...this.options,
      client,
      records: this.records,
      ibu: { ...ibu, status: decision.status },
      booted,
      upgrade,
    };
    return this.act(decision.action, context, log);
  }

  private async act(
    action: Action,
    context: StepContext,
    log: ReconcileContext['log'],
  ): Promise<Result | void> {
    switch (action.kind) {
      case 'none':
        if (
          context.ibu.spec?.stage === 'Idle' &&
          (await this.records.read(context.booted, 'idle')) !== undefined
        ) {
          await this.records.remove(context.booted, 'idle');
        }
        return;
      case 'wait':
        return { requeueAfterMs: action.requeueAfterMs };
      case 'rollback':
        log.warn('rolling back automatically', { reason: action.reason });
        await rollBackNow(context);
        return { requeueAfterMs: 0 };
      case 'run-step': {
        const run = runners[action.stage]?.[action.step];
        if (run === undefined) throw new Error(`no runner for ${action.stage} step ${action.step}`);
        await this.records.remove(context.booted, 'failure');
        await this.options.onStep?.(action.stage, action.step, 'start');
        let result: StepResult;
        try {
          result = await run(context);
        } catch (error) {
          // The API server restarting, overloaded or briefly unreachable says nothing about the
          // upgrade: the runtime retries the step with backoff instead of failing the stage.
          if (isTransient(error)) {
            log.warn('step interrupted; it will be retried', {
              stage: action.stage,
              step: action.step,
              error: error instanceof Error ? error.message : String(error),
            });
            throw error;
          }
          result = failed(error instanceof Error ? error.message : String(error));
        }
        await this.options.onStep?.(action.stage, action.step, 'end');
        if (result.kind === 'pending') return { requeueAfterMs: result.requeueAfterMs };
        if (result.kind === 'failed') {
          log.warn('step failed', { stage: action.stage, step: action.step, message: result.message });
          await this.records.write(context.booted, 'failure', {
            stage: action.stage,
            step: action.step,
            message: result.message,
          });
          return { requeueAfterMs: 0 };
        }
        // The reboot step changes which stateroot is booted: its own record was written before.
        const booted = await context.host.bootedStateroot();
        if (booted === context.booted) {
          await this.records.markDone(booted, recordOfStage[action.stage], action.step);
        }
        return { requeueAfterMs: 0 };
      }
    }
  }
}
