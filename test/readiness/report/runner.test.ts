import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Check } from '../../../src/readiness/report/context.ts';
import { readinessReport, runChecks } from '../../../src/readiness/report/runner.ts';
import type { Finding } from '../../../src/readiness/report/types.ts';
import { context } from '../checks/fixtures.ts';

const finding = (check: string, severity: Finding['severity']): Finding => ({
  check,
  severity,
  title: `${severity} from ${check}`,
  evidence: {},
  fix: 'do it',
});

const check = (id: string, run: Check['run']): Check => ({ id, title: id, run });

describe('readiness runner', () => {
  it('runs checks concurrently and keeps their order; a throwing check becomes a "could not check" warning', async () => {
    let slowDone = false;
    let slowDoneWhenBrokenStarted: boolean | undefined;
    const slow = check('A/slow', async () => {
      await new Promise((r) => setTimeout(r, 30));
      slowDone = true;
      return [finding('A/slow', 'info')];
    });
    const broken = check('B/broken', () => {
      slowDoneWhenBrokenStarted = slowDone;
      return Promise.reject(
        new Error(
          'the cluster does not serve MachineConfigPool (machineconfiguration.openshift.io/v1)\nstack',
        ),
      );
    });
    const clean = check('C/clean', () => Promise.resolve([]));
    const results = await runChecks([slow, broken, clean], context([]));
    assert.equal(slowDoneWhenBrokenStarted, false);
    assert.deepEqual(
      results.map((r) => [r.id, r.status]),
      [
        ['A/slow', 'findings'],
        ['B/broken', 'error'],
        ['C/clean', 'pass'],
      ],
    );
    assert.equal(results[1]?.findings[0]?.severity, 'warning');
    assert.equal(
      results[1]?.findings[0]?.title,
      'could not check: the cluster does not serve MachineConfigPool (machineconfiguration.openshift.io/v1)',
    );
  });

  it('a check that hangs is cut off at its deadline and the report still arrives', async () => {
    const hang = check('D/hang', () => new Promise<Finding[]>(() => undefined));
    const started = Date.now();
    const [result] = await runChecks([hang], context([]), { timeoutMs: 50 });
    assert.ok(Date.now() - started < 1000);
    assert.equal(result?.status, 'error');
    assert.match(result?.error ?? '', /no answer within/);
  });

  it('the report counts findings by severity and carries versions and the cluster', async () => {
    const report = await readinessReport(
      [
        check('X/a', () => Promise.resolve([finding('X/a', 'blocker'), finding('X/a', 'info')])),
        check('X/b', () => Promise.resolve([finding('X/b', 'warning'), finding('X/b', 'blocker')])),
      ],
      context([]),
    );
    assert.deepEqual(report.summary, { blockers: 2, warnings: 1, infos: 1 });
    assert.equal(report.currentVersion, '4.13.12');
    assert.equal(report.targetVersion, '4.14.3');
    assert.equal(report.cluster, 'https://memory.test:6443');
    assert.equal(report.generatedAt, '2025-06-01T12:00:00.000Z');
  });
});
