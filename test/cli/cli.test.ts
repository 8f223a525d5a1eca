import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const lcm = path.resolve('bin/lcm.js');

async function lcmRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [lcm, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

describe('the lcm command', () => {
  it('--help works at every level and documents the exit codes', async () => {
    for (const args of [
      [],
      ['lab'],
      ['lab', 'up'],
      ['lab', 'status'],
      ['apiserver'],
      ['controllers'],
      ['demo'],
    ]) {
      const help = await lcmRun([...args, '--help']);
      assert.equal(help.code, 0, `lcm ${args.join(' ')} --help`);
      assert.match(help.stdout, /^Usage: lcm/m);
    }
    assert.match(
      (await lcmRun(['--help'])).stdout,
      /Exit codes: 0 success · 1 failure · 2 usage error · 3 not running/,
    );
  });

  it('usage errors exit 2 and say how to get help, at any depth', async () => {
    for (const args of [['bogus'], ['lab', 'bogus'], ['lab', 'status', '-o', 'xml'], ['controllers']]) {
      const result = await lcmRun(args);
      assert.equal(result.code, 2, `lcm ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /run with --help for usage/);
    }
  });

  it('status of a lab that is not running exits 3', async () => {
    const result = await lcmRun(['lab', 'status', '--dir', '/nonexistent/lab', '-o', 'json']);
    assert.equal(result.code, 3);
    assert.equal((JSON.parse(result.stdout) as { running: boolean }).running, false);
  });
});
