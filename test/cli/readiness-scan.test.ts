import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { scanCommand } from '../../src/cli/commands/readiness-scan.ts';

const fixtures = 'test/fixtures/readiness/scan';

interface Run {
  readonly out: string;
  readonly err: string;
  readonly exitCode: number | undefined;
  readonly error?: CommanderError;
}

async function scan(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const command = scanCommand()
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  process.exitCode = undefined;
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { out, err, exitCode: error.exitCode, error };
  }
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  return { out, err, exitCode };
}

describe('lcm readiness scan', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints a table of blockers with their replacements and exits 4', async () => {
    const run = await scan([`${fixtures}/manifests/multi.yaml`, '--to', '4.14']);
    assert.equal(run.exitCode, 4);
    const lines = run.out.trimEnd().split('\n');
    assert.match(
      lines[0] ?? '',
      /^SEVERITY\s+LOCATION\s+KIND\s+NAME\s+API VERSION\s+REMOVED IN\s+USE INSTEAD$/,
    );
    assert.match(
      lines[1] ?? '',
      /^blocker\s+\S+multi\.yaml:9\s+CronJob\s+jobs\/nightly\s+batch\/v1beta1\s+1\.25\s+batch\/v1$/,
    );
    assert.match(
      lines[2] ?? '',
      /multi\.yaml:26\s+CSIStorageCapacity\s+storage\/capacity\s+storage\.k8s\.io\/v1beta1\s+1\.27/,
    );
    assert.equal(
      lines.at(-1),
      '2 blockers, 0 warnings, 0 errors for OpenShift 4.14 (Kubernetes 1.27): 1 file, 3 objects scanned',
    );
  });

  it('exits 0 when only later removals are found, which are warnings', async () => {
    const run = await scan([`${fixtures}/manifests/nested`, '--kube', '1.27']);
    assert.equal(run.exitCode, 0);
    assert.match(run.out, /^warning\s/m);
    assert.match(run.out, /0 blockers, 2 warnings, 0 errors for Kubernetes 1\.27/);
  });

  it('exits 1 when nothing is blocked but some files could not be scanned', async () => {
    const run = await scan([`${fixtures}/manifests/not-kubernetes.yaml`, '--to', '4.14']);
    assert.equal(run.exitCode, 1);
    assert.match(run.out, /^LOCATION\s+ERROR$/m);
    assert.match(run.out, /not-kubernetes\.yaml:2\s+document 1 is not a Kubernetes object/);
  });

  it('prints the whole report as JSON', async () => {
    const run = await scan([`${fixtures}/manifests/list.json`, '--to', '4.12', '-o', 'json']);
    const report = JSON.parse(run.out) as { target: unknown; findings: { severity: string; kind: string }[] };
    assert.deepEqual(report.target, { kubernetes: '1.25', openshift: '4.12' });
    // autoscaling/v2beta2 goes in 1.26: still served by 4.12, so a warning.
    assert.deepEqual(
      report.findings.map((f) => [f.severity, f.kind]),
      [['warning', 'HorizontalPodAutoscaler']],
    );
    assert.equal(run.exitCode, 0);
  });

  it('prints a Markdown report with migration notes', async () => {
    const run = await scan([`${fixtures}/chart`, '--to', '4.14', '-o', 'markdown']);
    assert.match(run.out, /^## Removed Kubernetes APIs for OpenShift 4\.14 \(Kubernetes 1\.27\)$/m);
    assert.match(
      run.out,
      /^\| blocker \| `[^`]*templates\/ingress\.yaml:1` \| Ingress \| lcm-scan-web \|.*spec\.backend → spec\.defaultBackend/m,
    );
    assert.equal(run.exitCode, 4);
  });

  it('lets --kube override the Kubernetes version --to implies, keeping the OpenShift label', async () => {
    const run = await scan([
      `${fixtures}/manifests/list.json`,
      '--to',
      '4.12',
      '--kube',
      '1.26',
      '-o',
      'json',
    ]);
    const report = JSON.parse(run.out) as { target: unknown };
    assert.deepEqual(report.target, { kubernetes: '1.26', openshift: '4.12' });
    assert.equal(run.exitCode, 4);
  });

  it('is a usage error (exit 2) without a target or with an unknown one', async () => {
    const none = await scan([fixtures]);
    assert.equal(none.exitCode, 2);
    assert.match(none.err, /give the update target: --to <openshift-version>/);
    const unknown = await scan([fixtures, '--to', '5.1']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.err, /OpenShift version '5\.1' is not known/);
    const format = await scan([fixtures, '--to', '4.14', '-o', 'xml']);
    assert.equal(format.error?.code, 'commander.invalidArgument');
  });

  it('--help teaches with examples and documents the exit codes', async () => {
    const help = await scan(['--help']);
    assert.equal(help.error?.code, 'commander.helpDisplayed');
    assert.match(help.out, /lcm readiness scan \.\/deploy --to 4\.14/);
    assert.match(help.out, /-o json/);
    assert.match(help.out, /4 blockers found/);
  });
});
