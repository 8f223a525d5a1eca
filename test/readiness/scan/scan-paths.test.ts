import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureHelm, ensureKubectl } from '../../../src/lab/kubectl.ts';
import { scanPaths, TargetError, type Finding, type RenderTools } from '../../../src/readiness/scan/index.ts';

const fixtures = 'test/fixtures/readiness/scan';
const tools: RenderTools = { kubectl: () => ensureKubectl(), helm: () => ensureHelm() };
const at = (f: Finding): string => `${f.severity} ${f.file}:${f.line} ${f.apiVersion} ${f.kind}`;

describe('scanPaths', () => {
  it('finds every removed API in the fixture tree for OpenShift 4.14, sorted by file and line', async () => {
    const report = await scanPaths([fixtures], { targetOpenShift: '4.14.13', tools });
    assert.deepEqual(report.target, { kubernetes: '1.27', openshift: '4.14' });
    assert.deepEqual(report.findings.map(at), [
      `blocker ${fixtures}/chart/templates/ingress.yaml:1 networking.k8s.io/v1beta1 Ingress`,
      `blocker ${fixtures}/chart/templates/pdb.yaml:2 policy/v1beta1 PodDisruptionBudget`,
      `blocker ${fixtures}/kustomize/base/cronjob.yaml:1 batch/v1beta1 CronJob`,
      `blocker ${fixtures}/kustomize/base/cronjob.yaml:1 batch/v1beta1 CronJob`,
      `blocker ${fixtures}/kustomize/overlay/rbac.yaml:1 rbac.authorization.k8s.io/v1beta1 Role`,
      `blocker ${fixtures}/manifests/broken.yaml:11 extensions/v1beta1 Ingress`,
      `blocker ${fixtures}/manifests/list.json:11 autoscaling/v2beta2 HorizontalPodAutoscaler`,
      `blocker ${fixtures}/manifests/multi.yaml:9 batch/v1beta1 CronJob`,
      `blocker ${fixtures}/manifests/multi.yaml:26 storage.k8s.io/v1beta1 CSIStorageCapacity`,
      `warning ${fixtures}/manifests/nested/typed-list.yml:4 flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema`,
      `warning ${fixtures}/manifests/nested/typed-list.yml:6 flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema`,
    ]);
    assert.deepEqual(report.summary, { blockers: 9, warnings: 2 });
  });

  it('renders a Helm chart and names the rendered objects as helm template does', async () => {
    const report = await scanPaths([`${fixtures}/chart`], { targetKubernetes: '1.25', tools });
    const ingress = report.findings.find((f) => f.kind === 'Ingress');
    assert.equal(ingress?.name, 'lcm-scan-web');
    assert.equal(ingress.renderedBy, 'helm');
    assert.equal(ingress.replacement, 'networking.k8s.io/v1');
    assert.equal(report.scanned.objects, 3); // the Deployment is on apps/v1 and fine
    assert.deepEqual(report.errors, []);
  });

  it('renders a kustomize overlay with its base, keeping the prefixed name and namespace', async () => {
    const report = await scanPaths([`${fixtures}/kustomize/overlay`], { targetOpenShift: '4.14', tools });
    assert.deepEqual(
      report.findings.map((f) => [path.basename(f.file), f.line, f.kind, f.namespace, f.name, f.renderedBy]),
      [
        ['cronjob.yaml', 1, 'CronJob', 'reports', 'prod-report', 'kustomize'],
        ['rbac.yaml', 1, 'Role', 'reports', 'prod-reader', 'kustomize'],
      ],
    );
  });

  it('lists unreadable paths, invalid YAML and non-Kubernetes documents as errors and goes on', async () => {
    const report = await scanPaths([`${fixtures}/manifests`, `${fixtures}/missing.yaml`], {
      targetOpenShift: '4.14',
      tools,
    });
    assert.deepEqual(
      report.errors.map((e) => [e.file, e.line, e.message.replace(/:.*$/s, '')]),
      [
        [`${fixtures}/manifests/broken.yaml`, 10, 'document 2'],
        [`${fixtures}/manifests/not-kubernetes.yaml`, 2, 'document 1 is not a Kubernetes object'],
        [`${fixtures}/manifests/not-kubernetes.yaml`, 5, 'document 2 is not a Kubernetes object'],
        [`${fixtures}/missing.yaml`, undefined, 'cannot read'],
      ],
    );
    assert.match(report.errors[3]?.message ?? '', /ENOENT/);
    assert.equal(report.findings.length, 6);
    assert.equal(report.scanned.files, 5); // README.txt is not a manifest
  });

  it('scans a file named explicitly whatever its extension, and each path once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scan-'));
    const file = path.join(dir, 'manifest.txt');
    writeFileSync(file, 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: a}\n');
    const report = await scanPaths([file, file], { targetKubernetes: '1.25' });
    assert.deepEqual(report.findings.map(at), [`blocker ${file}:1 batch/v1beta1 CronJob`]);
    assert.equal(report.scanned.files, 1);
  });

  it('skips hidden directories and symlinks while walking', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scan-'));
    mkdirSync(path.join(dir, '.github'));
    writeFileSync(path.join(dir, '.github', 'ci.yaml'), 'on: push\n');
    symlinkSync('/nonexistent', path.join(dir, 'dangling.yaml'));
    writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\n');
    const report = await scanPaths([dir], { targetKubernetes: '1.27' });
    assert.deepEqual(report.errors, []);
    assert.equal(report.scanned.files, 1);
  });

  it('reports a chart that cannot be rendered and still scans the rest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scan-'));
    const chart = path.join(dir, 'app');
    mkdirSync(path.join(chart, 'templates'), { recursive: true });
    writeFileSync(
      path.join(chart, 'Chart.yaml'),
      'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
    );
    writeFileSync(path.join(dir, 'job.yaml'), 'apiVersion: batch/v1beta1\nkind: CronJob\n');
    const report = await scanPaths([dir], { targetKubernetes: '1.27', tools });
    assert.equal(report.findings.length, 1);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]?.file, path.join(chart, 'Chart.yaml'));
    assert.match(
      report.errors[0]?.message ?? '',
      /^cannot render Helm chart: helm template lcm-scan .*redis/,
    );
  });

  it('says which tool is missing when helm or kubectl cannot be found', async () => {
    const missing: RenderTools = {
      kubectl: () => Promise.resolve('/nonexistent/kubectl'),
      helm: () => Promise.resolve('/nonexistent/helm'),
    };
    const report = await scanPaths([`${fixtures}/chart`, `${fixtures}/kustomize/base`], {
      targetKubernetes: '1.27',
      tools: missing,
    });
    assert.deepEqual(
      report.errors.map((e) => e.message),
      [
        'cannot render Helm chart: helm template lcm-scan test/fixtures/readiness/scan/chart: /nonexistent/helm not found',
        'cannot render kustomization: kubectl kustomize test/fixtures/readiness/scan/kustomize/base: /nonexistent/kubectl not found',
      ],
    );
  });

  it('refuses an unknown OpenShift release or a malformed Kubernetes version', async () => {
    await assert.rejects(scanPaths([fixtures], { targetOpenShift: '4.99' }), (err: Error) => {
      assert.ok(err instanceof TargetError);
      assert.match(err.message, /OpenShift version '4\.99' is not known: expected one of 4\.1 … 4\.20/);
      return true;
    });
    await assert.rejects(scanPaths([fixtures], { targetKubernetes: 'latest' }), /'latest' is not a version/);
  });
});
