import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { removedApiUsageCheck, usersOf } from '../../../src/readiness/checks/removed-api-usage.ts';
import type { APIRequestCount } from '../../../src/readiness/checks/support/kinds.ts';
import { apiRequestCount, context, severitiesOf } from './fixtures.ts';

const gc = 'system:serviceaccount:kube-system:generic-garbage-collector';

describe('UPD-2 removed API usage', () => {
  it('a removed API requested by a workload is a blocker naming its users, agents, verbs and the replacement', async () => {
    const findings = await removedApiUsageCheck.run(
      context([
        apiRequestCount('csistoragecapacities.v1beta1.storage.k8s.io', '1.27', [
          {
            username: 'system:serviceaccount:shop:reporter',
            userAgent: 'reporter/2.1',
            verbs: { list: 30, watch: 2 },
          },
          { username: gc, verbs: { list: 5 } },
        ]),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    const finding = findings[0];
    assert.deepEqual(finding?.evidence.users, [
      {
        username: 'system:serviceaccount:shop:reporter',
        userAgent: 'reporter/2.1',
        verbs: ['list', 'watch'],
        count: 32,
      },
    ]);
    assert.match(finding?.fix ?? '', /storage\.k8s\.io\/v1 CSIStorageCapacity/);
    assert.match(
      finding?.fix ?? '',
      /kubectl get apirequestcounts csistoragecapacities\.v1beta1\.storage\.k8s\.io -o yaml/,
    );
  });

  it('an API used only by the users seed 001 says to ignore is info, not a blocker', async () => {
    const findings = await removedApiUsageCheck.run(
      context(
        [
          apiRequestCount('flowschemas.v1beta2.flowcontrol.apiserver.k8s.io', '1.27', [
            { username: gc, verbs: { list: 3 } },
            { username: 'system:kube-controller-manager', verbs: { watch: 1 } },
          ]),
        ],
        { targetKube: '1.29', targetVersion: '4.16.0' },
      ),
    );
    assert.deepEqual(severitiesOf(findings), ['info']);
  });

  it('APIs removed after the target, unused removed APIs and never-removed APIs are not reported', async () => {
    const findings = await removedApiUsageCheck.run(
      context([
        apiRequestCount('flowschemas.v1beta2.flowcontrol.apiserver.k8s.io', '1.29', [
          { username: 'alice', verbs: { get: 1 } },
        ]),
        apiRequestCount('csistoragecapacities.v1beta1.storage.k8s.io', '1.27', []),
        apiRequestCount('configmaps.v1', undefined, [{ username: 'alice', verbs: { get: 9 } }]),
      ]),
    );
    assert.deepEqual(findings, []);
  });

  it('the removal release comes from the removals data when the server leaves it unset', async () => {
    const findings = await removedApiUsageCheck.run(
      context([
        apiRequestCount('poddisruptionbudgets.v1beta1.policy', undefined, [
          { username: 'alice', verbs: { create: 1 } },
        ]),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.match(findings[0]?.title ?? '', /removed in Kubernetes 1\.25/);
  });

  it('users are summed over last24h without counting the current hour twice', () => {
    const item = apiRequestCount('x.v1beta1.example.com', '1.27', [{ username: 'bob', verbs: { list: 4 } }]);
    assert.equal(usersOf((item as APIRequestCount).status)[0]?.count, 4);
  });
});
