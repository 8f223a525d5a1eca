import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ackCommand, adminAcksCheck } from '../../../src/readiness/checks/admin-acks.ts';
import { configMap, context, severitiesOf } from './fixtures.ts';

const key = 'ack-4.13-kube-1.27-api-removals-in-4.14';
const gates = configMap('openshift-config-managed', 'admin-gates', {
  [key]:
    'Kubernetes 1.27 and therefore OpenShift 4.14 remove several APIs which require admin consideration.',
  'ack-4.12-kube-1.26-api-removals-in-4.13': 'older gate',
  'ack-4.14-kube-1.28-api-removals-in-4.15': 'newer gate',
});

describe('UPD-5 admin acks', () => {
  it('an un-acked gate for the minor being left is a blocker whose fix is the exact kubectl patch line', async () => {
    const findings = await adminAcksCheck.run(
      context([gates, configMap('openshift-config', 'admin-acks', {})]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.equal(
      findings[0]?.fix,
      `kubectl -n openshift-config patch cm admin-acks --patch '{"data":{"${key}":"true"}}' --type=merge`,
    );
    assert.equal(findings[0]?.fix, ackCommand(key));
    assert.match(findings[0]?.evidence.details?.[0] ?? '', /remove several APIs/);
  });

  it('an acked gate passes; "false" or any other value is not an ack', async () => {
    assert.deepEqual(
      await adminAcksCheck.run(
        context([gates, configMap('openshift-config', 'admin-acks', { [key]: 'true' })]),
      ),
      [],
    );
    const notAcked = await adminAcksCheck.run(
      context([gates, configMap('openshift-config', 'admin-acks', { [key]: 'false' })]),
    );
    assert.deepEqual(severitiesOf(notAcked), ['blocker']);
  });

  it('an EUS-to-EUS update (4.12 → 4.14) needs the gates of both minors it leaves', async () => {
    const findings = await adminAcksCheck.run(
      context([gates, configMap('openshift-config', 'admin-acks', {})], { currentVersion: '4.12.40' }),
    );
    assert.deepEqual(
      findings.map((f) => f.title.split(' ')[1]),
      ['ack-4.12-kube-1.26-api-removals-in-4.13', key],
    );
  });

  it('a patch update needs no acknowledgement', async () => {
    const findings = await adminAcksCheck.run(
      context([gates], { currentVersion: '4.14.1', targetVersion: '4.14.3' }),
    );
    assert.deepEqual(findings, []);
  });

  it('a missing admin-acks ConfigMap gets a create command instead of a patch that would fail', async () => {
    const [finding] = await adminAcksCheck.run(context([gates]));
    assert.equal(
      finding?.fix,
      `kubectl -n openshift-config create configmap admin-acks --from-literal=${key}=true`,
    );
  });

  it('a malformed gate key is a warning, not silently skipped', async () => {
    const odd = configMap('openshift-config-managed', 'admin-gates', { 'ack-please': 'x' });
    const findings = await adminAcksCheck.run(context([odd]));
    assert.deepEqual(severitiesOf(findings), ['warning']);
  });

  it('without ClusterVersion (unknown current version) it says it did not check', async () => {
    const findings = await adminAcksCheck.run(context([gates], { currentVersion: 'unknown' }));
    assert.deepEqual(severitiesOf(findings), ['info']);
    assert.match(findings[0]?.title ?? '', /not checked/);
  });
});
