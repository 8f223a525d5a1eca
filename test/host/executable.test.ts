import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { findExecutable } from '../../src/host/executable.ts';

describe('findExecutable', () => {
  let dir = '';
  let savedPath: string | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lcm-exec-'));
    await writeFile(join(dir, 'lcm-test-tool'), '#!/bin/sh\n');
    await chmod(join(dir, 'lcm-test-tool'), 0o755);
    await writeFile(join(dir, 'not-executable'), 'data');
    savedPath = process.env.PATH;
    process.env.PATH = `/nonexistent:${dir}`;
  });
  after(async () => {
    process.env.PATH = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a program on PATH', () => {
    assert.equal(findExecutable('lcm-test-tool'), join(dir, 'lcm-test-tool'));
  });

  it('says undefined for a missing program or a file that cannot be executed', () => {
    assert.equal(findExecutable('lcm-no-such-tool'), undefined);
    assert.equal(findExecutable('not-executable'), undefined);
  });

  it('takes an explicit path alone, without searching', () => {
    assert.equal(findExecutable('lcm-test-tool', join(dir, 'lcm-test-tool')), join(dir, 'lcm-test-tool'));
    assert.equal(findExecutable('lcm-test-tool', join(dir, 'elsewhere')), undefined);
  });
});
