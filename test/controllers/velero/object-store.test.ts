import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileObjectStore, layout, ObjectStoreError } from '../../../src/controllers/velero/object-store.ts';

describe('the filesystem object store', () => {
  let root: string;
  let store: FileObjectStore;
  const location = { bucket: 'bucket', prefix: 'velero' };

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lcm-store-'));
    store = new FileObjectStore(root);
    await mkdir(path.join(root, 'bucket'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("uses Velero's object keys", () => {
    assert.equal(layout.backupContents('velero', 'b'), 'velero/backups/b/b.tar.gz');
    assert.equal(layout.backupMetadata(undefined, 'b'), 'backups/b/velero-backup.json');
    assert.equal(layout.backupLog('p/', 'b'), 'p/backups/b/b-logs.gz');
    assert.equal(layout.backupResourceList('p', 'b'), 'p/backups/b/b-resource-list.json.gz');
    assert.equal(layout.restoreLog('p', 'r'), 'p/restores/r/restore-r-logs.gz');
    assert.equal(layout.restoreResults('p', 'r'), 'p/restores/r/restore-r-results.gz');
  });

  it('writes atomically: a failed write leaves neither the object nor a temporary file', async () => {
    const key = layout.backupContents('velero', 'b');
    await assert.rejects(
      store.putStream(location, key, async (out) => {
        await new Promise((resolve) => out.write('half a tarball', resolve));
        throw new Error('killed mid-write');
      }),
      /killed mid-write/,
    );
    assert.equal(await store.exists(location, key), false);
    assert.deepEqual(await readdir(path.join(root, 'bucket', 'velero', 'backups', 'b')), []);
    await store.put(location, key, 'whole');
    assert.equal((await store.get(location, key))?.toString(), 'whole');
    await store.putGzip(location, 'velero/backups/b/x.gz', 'zipped');
    assert.equal((await store.getGunzip(location, 'velero/backups/b/x.gz'))?.toString(), 'zipped');
    assert.deepEqual(await store.listBackups(location), ['b']);
  });

  it('refuses keys and buckets that would leave the root', () => {
    assert.throws(() => store.pathOf(location, '../../etc/passwd'), ObjectStoreError);
    assert.throws(() => store.pathOf({ bucket: '..' }, 'x'), ObjectStoreError);
  });

  it('says why a location cannot take backups', async () => {
    assert.equal(await store.problem(location), undefined);
    assert.match((await store.problem({ bucket: 'missing' })) ?? '', /^bucket missing does not exist/);
    await mkdir(path.join(root, 'bucket', 'stray'));
    await writeFile(path.join(root, 'bucket', 'stray', 'x'), '');
    assert.equal(
      await store.problem({ bucket: 'bucket' }),
      'Backup store contains invalid top-level directories: [stray velero]',
    );
    if (process.getuid?.() !== 0) {
      await mkdir(path.join(root, 'locked'));
      await chmod(path.join(root, 'locked'), 0o500);
      assert.match((await store.problem({ bucket: 'locked' })) ?? '', /not writable/);
    }
  });
});
