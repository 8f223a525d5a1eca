import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertsCheck } from '../../../src/readiness/checks/alerts.ts';
import type { Alert } from '../../../src/readiness/report/context.ts';
import { context, severitiesOf } from './fixtures.ts';

function alert(name: string, severity: string, state = 'firing', labels: Record<string, string> = {}): Alert {
  return {
    labels: { alertname: name, severity, ...labels },
    annotations: { description: `${name} happened` },
    state,
  };
}

const withAlerts = (alerts: Alert[], overrides = {}) =>
  context([], { alerts: () => Promise.resolve(alerts), ...overrides });

describe('UPD-3 alerts', () => {
  it('without Prometheus it says so as info, naming the option', async () => {
    const findings = await alertsCheck.run(context([]));
    assert.deepEqual(severitiesOf(findings), ['info']);
    assert.equal(findings[0]?.title, 'not checked: no Prometheus configured (--prometheus)');
  });

  it('critical firing alerts block; pending and non-critical ones are left out', async () => {
    const findings = await alertsCheck.run(
      withAlerts([
        alert('KubeAPIErrorBudgetBurn', 'critical'),
        alert('KubeAPIErrorBudgetBurn', 'critical', 'firing', { namespace: 'openshift-kube-apiserver' }),
        alert('EtcdMembersDown', 'critical', 'pending'),
        alert('Watchdog', 'none'),
        alert('KubePodCrashLooping', 'warning'),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.equal(findings[0]?.title, 'critical alert KubeAPIErrorBudgetBurn is firing');
    assert.equal(findings[0]?.evidence.counts?.firing, 2);
  });

  it('the alerts seed 001 names get its advice, whatever their severity', async () => {
    const findings = await alertsCheck.run(
      withAlerts([
        alert('APIRemovedInNextReleaseInUse', 'info', 'firing', {
          resource: 'flowschemas',
          group: 'flowcontrol.apiserver.k8s.io',
          version: 'v1beta2',
        }),
        alert('APIRemovedInNextEUSReleaseInUse', 'info'),
        alert('ClusterNotUpgradeable', 'info'),
        alert('DuplicateTransferEncodingHeadersDetected', 'warning', 'firing', {
          namespace: 'shop',
          route: 'web',
        }),
      ]),
    );
    const byName = new Map(findings.map((f) => [f.title.split(' ')[0], f]));
    assert.equal(byName.get('ClusterNotUpgradeable')?.severity, 'blocker');
    assert.equal(byName.get('DuplicateTransferEncodingHeadersDetected')?.severity, 'blocker');
    assert.match(
      byName.get('DuplicateTransferEncodingHeadersDetected')?.fix ?? '',
      /no longer send multiple Transfer-Encoding headers/,
    );
    assert.deepEqual(byName.get('DuplicateTransferEncodingHeadersDetected')?.evidence.details, [
      'namespace=shop route=web: DuplicateTransferEncodingHeadersDetected happened',
    ]);
    assert.equal(byName.get('APIRemovedInNextReleaseInUse')?.severity, 'warning');
    assert.match(byName.get('APIRemovedInNextReleaseInUse')?.fix ?? '', /apirequestcounts/);
    assert.equal(byName.get('APIRemovedInNextEUSReleaseInUse')?.severity, 'warning');
  });

  it('ClusterNotUpgradeable and duplicate headers are warnings for a patch update within 4.14', async () => {
    const findings = await alertsCheck.run(
      withAlerts(
        [
          alert('ClusterNotUpgradeable', 'info'),
          alert('DuplicateTransferEncodingHeadersDetected', 'warning'),
        ],
        {
          currentVersion: '4.14.1',
          targetVersion: '4.14.5',
        },
      ),
    );
    assert.deepEqual(severitiesOf(findings), ['warning', 'warning']);
  });

  it('an unreachable Prometheus makes the check fail (the runner turns it into a warning)', async () => {
    await assert.rejects(
      alertsCheck.run(
        context([], { alerts: () => Promise.reject(new Error('Prometheus at http://x is unreachable')) }),
      ),
      /unreachable/,
    );
  });
});
