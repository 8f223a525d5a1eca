import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { logTail } from '../../src/lab/child-process.ts';

describe('logTail', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lcm-logtail-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps an error that scrolled out of the tail, ahead of the last lines', async () => {
    const file = join(dir, 'server.log');
    const shutdown = Array.from({ length: 20 }, (_, i) => `level=info msg="stopping part ${i}"`);
    await writeFile(
      file,
      [
        'level=info msg=starting',
        'level=error msg="loading groups failed" err="bad.rules.yml: 5:15"',
        ...shutdown,
      ].join('\n'),
    );
    const lines = logTail(file, 5).split('\n');
    assert.equal(lines[0], 'level=error msg="loading groups failed" err="bad.rules.yml: 5:15"');
    assert.equal(lines[1], '…');
    assert.deepEqual(lines.slice(2), shutdown.slice(-5));
  });

  it('is just the tail when nothing earlier reports an error', async () => {
    const file = join(dir, 'quiet.log');
    await writeFile(file, ['one', 'two', 'three'].join('\n'));
    assert.equal(logTail(file, 2), 'two\nthree');
  });

  it('says so when there is no log', () => {
    assert.equal(logTail(join(dir, 'absent.log')), '(no log)');
  });
});
