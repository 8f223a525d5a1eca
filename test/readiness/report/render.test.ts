import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport } from '../../../src/readiness/report/render.ts';
import type { ReadinessReport } from '../../../src/readiness/report/types.ts';

const patch = `kubectl -n openshift-config patch cm admin-acks --patch '{"data":{"ack-4.13-kube-1.27-api-removals-in-4.14":"true"}}' --type=merge`;

const report: ReadinessReport = {
  cluster: 'https://api.example:6443',
  currentVersion: '4.13.12',
  targetVersion: '4.14.3',
  generatedAt: '2025-06-01T12:00:00.000Z',
  checks: [
    {
      id: 'UPD-3/alerts',
      title: 'Firing alerts',
      status: 'findings',
      findings: [
        {
          check: 'UPD-3/alerts',
          severity: 'info',
          title: 'not checked: no Prometheus configured (--prometheus)',
          evidence: {},
          fix: 'Pass --prometheus <url>',
        },
      ],
    },
    {
      id: 'UPD-5/admin-acks',
      title: 'Administrator acknowledgements (admin-acks)',
      status: 'findings',
      findings: [
        {
          check: 'UPD-5/admin-acks',
          severity: 'blocker',
          title: 'acknowledgement ack-4.13-kube-1.27-api-removals-in-4.14 is required',
          evidence: {
            objects: Array.from({ length: 12 }, (_, i) => `ConfigMap/ns/cm-${i}`),
            details: ['Kubernetes 1.27 removes APIs'],
          },
          fix: patch,
        },
      ],
    },
    {
      id: 'UPD-8/pod-disruption-budgets',
      title: 'PodDisruptionBudgets',
      status: 'findings',
      findings: [
        {
          check: 'UPD-8/pod-disruption-budgets',
          severity: 'warning',
          title: 'PodDisruptionBudget/shop/typo selects no pods',
          evidence: {
            users: [{ username: 'alice', userAgent: 'kubectl/1.33', verbs: ['get', 'list'], count: 3 }],
            counts: { expectedPods: 0 },
          },
          fix: 'kubectl -n shop delete pdb typo',
        },
      ],
    },
    { id: 'UPD-1/microarchitecture', title: 'CPU', status: 'pass', findings: [] },
  ],
  summary: { blockers: 1, warnings: 1, infos: 1 },
};

describe('readiness report renderers', () => {
  it('table: the verdict first, then findings grouped blocker → warning → info, each with its fix, then every check', () => {
    const text = renderReport(report, 'table');
    assert.match(
      text,
      /^Update readiness of https:\/\/api\.example:6443: 4\.13\.12 → 4\.14\.3\nBLOCKED: 1 blocker, 1 warning, 1 info\n/,
    );
    const blockers = text.indexOf('BLOCKERS');
    const warnings = text.indexOf('WARNINGS');
    const info = text.indexOf('\nINFO');
    assert.ok(blockers > 0 && blockers < warnings && warnings < info, text);
    assert.ok(text.includes(`      fix: ${patch}`));
    assert.match(text, /objects: ConfigMap\/ns\/cm-0, .*cm-9 … and 2 more/);
    assert.match(text, /user alice \(kubectl\/1\.33\): get list × 3/);
    assert.match(text, /UPD-1\/microarchitecture\s+pass\s+0\s+CPU/);
  });

  it('json: the report object itself', () => {
    assert.deepEqual(JSON.parse(renderReport(report, 'json')), report);
  });

  it('markdown: a heading per check, findings as list items, fixes in code blocks copied verbatim', () => {
    const md = renderReport(report, 'markdown');
    assert.match(md, /^# Update readiness: 4\.13\.12 → 4\.14\.3\n/);
    assert.match(md, /^## UPD-5\/admin-acks — Administrator acknowledgements \(admin-acks\)$/m);
    assert.match(
      md,
      /^- \*\*BLOCKER\*\* acknowledgement ack-4\.13-kube-1\.27-api-removals-in-4\.14 is required$/m,
    );
    assert.ok(md.includes(`  \`\`\`sh\n  ${patch}\n  \`\`\``), md);
    assert.match(md, /^## UPD-1\/microarchitecture — CPU\n\nStatus: \*\*pass\*\*\n\nNothing found\.$/m);
    assert.match(md, /\| 1 \| 1 \| 1 \|/);
  });

  it('a clean report says READY', () => {
    const clean = { ...report, checks: [], summary: { blockers: 0, warnings: 0, infos: 0 } };
    assert.match(renderReport(clean, 'table'), /^READY: 0 blockers, 0 warnings, 0 info$/m);
  });
});
