import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/client/object.ts';
import { veleroControllers, type BackupStep } from '../../../src/controllers/velero/index.ts';
import { layout } from '../../../src/controllers/velero/object-store.ts';
import { listEntries } from '../../../src/controllers/velero/tarball.ts';
import { realClock } from '../../../src/runtime/clock.ts';
import type { Controller } from '../../../src/runtime/controller.ts';
import { silentLogger } from '../../../src/runtime/log.ts';
import {
  bucket,
  createNamespace,
  prefix,
  startLab,
  types,
  veleroNamespace,
  waitForPhase,
  type Lab,
} from './fixtures.ts';
import { waitUntil } from '../../support/http.ts';

type Status = { phase?: string; completionTimestamp?: string; progress?: unknown };

describe('Velero controllers after a crash', () => {
  let lab: Lab;
  const file = (key: string): string => path.join(lab.storeRoot, bucket, ...key.split('/'));
  const exists = (key: string): Promise<boolean> =>
    stat(file(key)).then(
      () => true,
      () => false,
    );

  before(async () => {
    lab = await startLab();
    await createNamespace(lab.client, 'app');
    await lab.client.create({
      ...types.configMap,
      metadata: { name: 'first', namespace: 'app' },
      data: { n: '1' },
    });
  });

  after(() => lab.close());

  function start(
    onStep?: (step: BackupStep, name: string, signal: AbortSignal) => Promise<void>,
  ): Controller[] {
    const controllers = veleroControllers({
      objectStoreRoot: lab.storeRoot,
      clock: realClock,
      log: silentLogger,
      ...(onStep !== undefined
        ? { onBackupStep: (step, backup, signal) => onStep(step, backup.metadata.name, signal) }
        : {}),
    });
    for (const c of controllers) c.start([{ name: 'hub', client: lab.client }]);
    return controllers;
  }

  const stop = (controllers: Controller[]): Promise<unknown> => Promise.all(controllers.map((c) => c.stop()));

  /** Runs a backup with controllers that die when it reaches `crashAt`; returns once they are stopped. */
  async function crashDuring(name: string, crashAt: BackupStep): Promise<void> {
    let reached!: () => void;
    const atCrashPoint = new Promise<void>((resolve) => (reached = resolve));
    const controllers = start(async (step, backup, signal) => {
      if (backup !== name || step !== crashAt) return;
      reached();
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    });
    await waitForPhase(lab.client, types.location, veleroNamespace, 'default', ['Available']);
    await lab.client.create({
      ...types.backup,
      metadata: { name, namespace: veleroNamespace },
      spec: { includedNamespaces: ['app'] },
    });
    await atCrashPoint;
    await stop(controllers);
  }

  it('re-runs a backup that died after writing its tarball, and ends Completed with every file in place', async () => {
    await crashDuring('torn', 'contents-written');
    const died = await lab.client.get<KubeObject<unknown, Status>>(types.backup, 'torn', {
      namespace: veleroNamespace,
    });
    assert.equal(died.status?.phase, 'InProgress');
    assert.ok(await exists(layout.backupContents(prefix, 'torn')));
    assert.equal(
      await exists(layout.backupMetadata(prefix, 'torn')),
      false,
      'velero-backup.json marks completion',
    );

    // Changed while the controller was down: the re-run must see it.
    await lab.client.create({
      ...types.configMap,
      metadata: { name: 'second', namespace: 'app' },
      data: { n: '2' },
    });
    const controllers = start();
    try {
      const done = await waitForPhase(lab.client, types.backup, veleroNamespace, 'torn', [
        'Completed',
        'Failed',
        'PartiallyFailed',
      ]);
      const status = done.status as Status;
      assert.equal(status.phase, 'Completed');
      const entries = await listEntries(file(layout.backupContents(prefix, 'torn')));
      assert.ok(entries.includes('resources/configmaps/namespaces/app/first.json'));
      assert.ok(entries.includes('resources/configmaps/namespaces/app/second.json'));
      const stored = JSON.parse(
        await readFile(file(layout.backupMetadata(prefix, 'torn')), 'utf8'),
      ) as KubeObject<unknown, Status>;
      assert.equal(stored.metadata.uid, died.metadata.uid);
      assert.deepEqual(stored.status, done.status);
    } finally {
      await stop(controllers);
    }
  });

  it('adopts a backup the store already holds complete when only the status write was lost', async () => {
    await crashDuring('unsaid', 'metadata-written');
    const died = await lab.client.get<KubeObject<unknown, Status>>(types.backup, 'unsaid', {
      namespace: veleroNamespace,
    });
    assert.equal(died.status?.phase, 'InProgress');
    const stored = JSON.parse(
      await readFile(file(layout.backupMetadata(prefix, 'unsaid')), 'utf8'),
    ) as KubeObject<unknown, Status>;
    const tarballWritten = (await stat(file(layout.backupContents(prefix, 'unsaid')))).mtimeMs;

    const controllers = start();
    try {
      const done = await waitForPhase(lab.client, types.backup, veleroNamespace, 'unsaid', [
        'Completed',
        'Failed',
      ]);
      assert.deepEqual(done.status, stored.status);
      assert.equal(
        (await stat(file(layout.backupContents(prefix, 'unsaid')))).mtimeMs,
        tarballWritten,
        'not re-run',
      );
    } finally {
      await stop(controllers);
    }
  });

  it('runs a restore found InProgress again without warnings for what it had already created', async () => {
    const controllers = start();
    try {
      await waitForPhase(lab.client, types.backup, veleroNamespace, 'torn', ['Completed']);
      await lab.client.delete(types.configMap, 'second', { namespace: 'app' });
      // As a restore that died after creating `first` again would leave things.
      await lab.client.create({
        ...types.restore,
        metadata: { name: 'resumed', namespace: veleroNamespace },
        spec: { backupName: 'torn', excludedResources: ['nodes'] },
        status: { phase: 'InProgress', startTimestamp: '2026-01-01T00:00:00Z' },
      });
      const done = await waitForPhase(lab.client, types.restore, veleroNamespace, 'resumed', [
        'Completed',
        'PartiallyFailed',
        'Failed',
      ]);
      const status = done.status as Status & { warnings?: number; errors?: number };
      assert.equal(status.phase, 'Completed', JSON.stringify(status));
      assert.equal(status.warnings, undefined);
      await waitUntil('the deleted ConfigMap to be restored', async () =>
        lab.client.get(types.configMap, 'second', { namespace: 'app' }).catch(() => undefined),
      );
    } finally {
      await stop(controllers);
    }
  });
});
