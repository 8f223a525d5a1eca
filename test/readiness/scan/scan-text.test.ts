import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanText } from '../../../src/readiness/scan/scan-text.ts';
import { LineIndex } from '../../../src/readiness/scan/line-index.ts';

const to127 = { kubernetes: '1.27', openshift: '4.14' };

describe('scanText', () => {
  it('reports each removed API with the 1-based line of its apiVersion in a multi-document file', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---',
      '# leading comment', // 5
      'kind: CronJob',
      'apiVersion: batch/v1beta1', // 7: apiVersion need not come first
      'metadata:',
      '  name: nightly',
      '  namespace: jobs', // 10
      '---',
      'apiVersion: storage.k8s.io/v1beta1',
      'kind: CSIStorageCapacity',
      'metadata: {name: cap}',
    ].join('\n');
    const result = scanText(text, 'f.yaml', to127);
    assert.equal(result.documents, 3);
    assert.equal(result.objects, 3);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.findings.map((f) => [f.line, f.kind, f.name, f.namespace, f.severity, f.replacement]),
      [
        [7, 'CronJob', 'nightly', 'jobs', 'blocker', 'batch/v1'],
        [12, 'CSIStorageCapacity', 'cap', undefined, 'blocker', 'storage.k8s.io/v1'],
      ],
    );
    assert.equal(result.findings[0]?.resource, 'cronjobs');
    assert.equal(result.findings[0]?.file, 'f.yaml');
  });

  it('calls an API removed at the target a blocker and one removed later a warning', () => {
    const text = 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta2\nkind: FlowSchema\nmetadata: {name: a}\n';
    assert.equal(scanText(text, 'f', { kubernetes: '1.28' }).findings[0]?.severity, 'warning');
    assert.equal(scanText(text, 'f', { kubernetes: '1.29' }).findings[0]?.severity, 'blocker');
    assert.equal(scanText(text, 'f', { kubernetes: '1.29' }).findings[0]?.removedInRelease, '1.29');
  });

  it('ignores current APIs and an apiVersion whose kind was never removed there', () => {
    const text =
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\n---\napiVersion: batch/v1beta1\nkind: Job\n';
    const result = scanText(text, 'f', to127);
    assert.deepEqual(result.findings, []);
    assert.equal(result.objects, 2);
  });

  it('checks the items of a List, in JSON too, with each item’s own line', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } },
          { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web' } },
        ],
      },
      null,
      '\t',
    );
    const result = scanText(json, 'list.json', to127);
    assert.equal(result.findings.length, 1);
    const line = json.split('\n').findIndex((l) => l.includes('"extensions/v1beta1"')) + 1;
    assert.equal(result.findings[0]?.line, line);
    assert.match(result.findings[0]?.notes ?? '', /spec\.defaultBackend/);
  });

  it('gives the items of a typed XList the list’s apiVersion and kind X', () => {
    const text =
      'apiVersion: policy/v1beta1\nkind: PodDisruptionBudgetList\nitems:\n- metadata: {name: a}\n- metadata: {name: b}\n';
    const result = scanText(text, 'f', to127);
    assert.deepEqual(
      result.findings.map((f) => [f.kind, f.name, f.line]),
      [
        ['PodDisruptionBudget', 'a', 4],
        ['PodDisruptionBudget', 'b', 5],
      ],
    );
  });

  it('reports invalid YAML with its line and still scans the other documents', () => {
    const text =
      'apiVersion: v1\nkind: A\n---\nmetadata:\n  name: [x\n---\napiVersion: batch/v1beta1\nkind: CronJob\n';
    const result = scanText(text, 'bad.yaml', to127);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]?.file, 'bad.yaml');
    assert.match(result.errors[0]?.message ?? '', /^document 2: invalid YAML: /);
    assert.ok((result.errors[0]?.line ?? 0) >= 4);
    assert.deepEqual(
      result.findings.map((f) => [f.kind, f.line]),
      [['CronJob', 7]],
    );
  });

  it('reports documents that are not Kubernetes objects, and skips empty ones silently', () => {
    // The leading comment belongs to the stream, not to a document, and the trailing `---` is empty.
    const text = '# only a comment\n---\nstages: [test]\n---\n- a\n---\napiVersion: v1\n---\n';
    const result = scanText(text, 'ci.yaml', to127);
    assert.equal(result.documents, 3);
    assert.deepEqual(
      result.errors.map((e) => [e.line, e.message]),
      [
        [3, 'document 1 is not a Kubernetes object: no string apiVersion or kind'],
        [5, 'document 2 is not a Kubernetes object: a YAML sequence'],
        [7, 'document 3 is not a Kubernetes object: no string kind'],
      ],
    );
  });

  it('reports an item of a List that is not an object', () => {
    const result = scanText('apiVersion: v1\nkind: List\nitems:\n- 42\n', 'l.yaml', to127);
    assert.deepEqual(result.errors, [
      { file: 'l.yaml', line: 4, message: 'document 1, items[0] is not a Kubernetes object: the scalar 42' },
    ]);
  });

  it('lets a locator place findings elsewhere (as rendered charts do)', () => {
    const result = scanText('apiVersion: batch/v1beta1\nkind: CronJob\n', 'rendered', to127, {
      locate: (site) => ({ file: `templates/${site.kind}.yaml`, line: 9 }),
      renderedBy: 'helm',
    });
    assert.deepEqual(
      result.findings.map((f) => [f.file, f.line, f.renderedBy]),
      [['templates/CronJob.yaml', 9, 'helm']],
    );
  });
});

describe('LineIndex', () => {
  it('maps offsets to 1-based lines, including line starts and the end of the text', () => {
    const text = 'ab\ncd\n\nef';
    const index = new LineIndex(text);
    assert.deepEqual(
      [0, 2, 3, 5, 6, 7, 9].map((o) => index.lineOf(o)),
      [1, 1, 2, 2, 3, 4, 4],
    );
  });
});
