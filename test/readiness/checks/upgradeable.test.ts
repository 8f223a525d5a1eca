import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upgradeableCheck } from '../../../src/readiness/checks/upgradeable.ts';
import { clusterOperator, clusterVersion, context, severitiesOf } from './fixtures.ts';

const notUpgradeable = {
  status: 'False',
  reason: 'AdminAckRequired',
  message: 'Kubernetes 1.27 removes APIs',
};

describe('UPD-8 Upgradeable', () => {
  it('an operator with Upgradeable=False blocks a minor update, naming the operator and its reason', async () => {
    const findings = await upgradeableCheck.run(
      context([
        clusterOperator('kube-apiserver', { status: 'True' }),
        clusterOperator('storage', {
          status: 'False',
          reason: 'VSphereProblem',
          message: 'vCenter 6.7 is unsupported',
        }),
        clusterOperator('dns'),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.match(findings[0]?.title ?? '', /ClusterOperator storage is Upgradeable=False \(VSphereProblem\)/);
    assert.match(findings[0]?.evidence.details?.[0] ?? '', /vCenter 6\.7/);
  });

  it('the same condition is only a warning for a patch update', async () => {
    const findings = await upgradeableCheck.run(
      context([clusterOperator('storage', { status: 'False', reason: 'X' })], {
        currentVersion: '4.14.1',
        targetVersion: '4.14.3',
      }),
    );
    assert.deepEqual(severitiesOf(findings), ['warning']);
  });

  it("ClusterVersion's own Upgradeable=False is reported too", async () => {
    const cv = clusterVersion({
      conditions: [{ type: 'Upgradeable', lastTransitionTime: '2025-01-01T00:00:00Z', ...notUpgradeable }],
    });
    const findings = await upgradeableCheck.run(context([cv]));
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.match(
      findings[0]?.title ?? '',
      /ClusterVersion version is Upgradeable=False \(AdminAckRequired\)/,
    );
  });

  it('all True (or unset) passes', async () => {
    assert.deepEqual(
      await upgradeableCheck.run(context([clusterOperator('a', { status: 'True' }), clusterOperator('b')])),
      [],
    );
  });
});
