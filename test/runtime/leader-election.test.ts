/** Lease-based leader election between candidates sharing one embedded API server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/client/client.ts';
import {
  LeaderElector,
  leaseType,
  type Lease,
  type LeaderElectionOptions,
} from '../../src/runtime/leader-election.ts';
import { RestartableApi, sleep, waitFor } from './restartable-api.ts';

let api: RestartableApi;
let client: KubeClient;

before(async () => {
  api = await RestartableApi.start();
  client = await api.client();
});
after(async () => {
  client.close();
  await api.close();
});

const timing = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };

interface Candidate {
  readonly elector: LeaderElector;
  readonly events: string[];
  stop(): Promise<void>;
}

/** Leaders at once, over every candidate of a test (must never exceed one). */
let leadersNow = 0;
let leadersPeak = 0;

function candidate(identity: string, lease: string, extra: Partial<LeaderElectionOptions> = {}): Candidate {
  const events: string[] = [];
  const elector = new LeaderElector({
    client,
    namespace: 'kube-system',
    name: lease,
    identity,
    ...timing,
    onStartedLeading: () => {
      leadersNow++;
      leadersPeak = Math.max(leadersPeak, leadersNow);
      events.push('started');
    },
    onStoppedLeading: () => {
      leadersNow--;
      events.push('stopped');
    },
    ...extra,
  });
  const abort = new AbortController();
  const running = elector.run(abort.signal);
  return {
    elector,
    events,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

const readLease = (name: string): Promise<Lease> =>
  client.get<Lease>(leaseType, name, { namespace: 'kube-system' });

describe('LeaderElector', () => {
  it('creates the lease, holds it and keeps renewing it', async () => {
    const only = candidate('solo', 'le-solo');
    try {
      await waitFor('leadership', () => only.elector.isLeader());
      const first = await readLease('le-solo');
      assert.equal(first.spec?.holderIdentity, 'solo');
      assert.equal(first.spec?.leaseDurationSeconds, 1);
      assert.equal(first.spec?.leaseTransitions, 0);
      assert.match(first.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      await sleep(300);
      const later = await readLease('le-solo');
      assert.ok((later.spec?.renewTime ?? '') > (first.spec?.renewTime ?? ''), 'renewed');
      assert.equal(later.spec?.acquireTime, first.spec?.acquireTime);
    } finally {
      await only.stop();
    }
    assert.deepEqual(only.events, ['started', 'stopped']);
    assert.equal((await readLease('le-solo')).spec?.holderIdentity, '', 'released on stop');
  });

  it('two candidates: exactly one leads; on a clean stop the other takes over at once', async () => {
    leadersPeak = 0;
    const a = candidate('a', 'le-pair');
    const b = candidate('b', 'le-pair');
    try {
      await waitFor('a leader', () => a.elector.isLeader() || b.elector.isLeader());
      await sleep(400);
      assert.notEqual(a.elector.isLeader(), b.elector.isLeader());
      const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
      assert.equal(follower.elector.leader, leader === a ? 'a' : 'b');
      const stopped = Date.now();
      await leader.stop();
      await waitFor('the hand-over', () => follower.elector.isLeader(), 2000);
      assert.ok(Date.now() - stopped < timing.leaseDurationMs, 'released: no need to wait for expiry');
      const lease = await readLease('le-pair');
      assert.equal(lease.spec?.holderIdentity, leader === a ? 'b' : 'a');
      assert.equal(lease.spec?.leaseTransitions, 1);
    } finally {
      await a.stop();
      await b.stop();
    }
    assert.equal(leadersPeak, 1, 'never two leaders at once');
  });

  it('a leader that stops renewing without releasing is replaced once the lease expires', async () => {
    const crashed = candidate('crashing', 'le-crash', { releaseOnCancel: false });
    await waitFor('leadership', () => crashed.elector.isLeader());
    const heir = candidate('heir', 'le-crash');
    try {
      await sleep(300);
      assert.ok(!heir.elector.isLeader());
      const stopped = Date.now();
      await crashed.stop();
      assert.equal((await readLease('le-crash')).spec?.holderIdentity, 'crashing', 'not released');
      await sleep(timing.leaseDurationMs / 2);
      assert.ok(!heir.elector.isLeader(), 'the lease has not expired yet');
      await waitFor('the take-over', () => heir.elector.isLeader(), 3000);
      const waited = Date.now() - stopped;
      assert.ok(waited >= timing.leaseDurationMs - 150, `took over after ${waited} ms`);
      assert.ok(waited < timing.leaseDurationMs + 1000, `took over after ${waited} ms`);
    } finally {
      await heir.stop();
    }
  });

  it('a leader whose lease was taken steps down at its next renewal', async () => {
    const leader = candidate('incumbent', 'le-taken');
    try {
      await waitFor('leadership', () => leader.elector.isLeader());
      const lease = await readLease('le-taken');
      await client.update<Lease>({ ...lease, spec: { ...lease.spec, holderIdentity: 'usurper' } });
      await waitFor('stepping down', () => leader.events.includes('stopped'), 2000);
      assert.ok(!leader.elector.isLeader());
    } finally {
      await leader.stop();
    }
  });
});
