import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIRequestCountStatus } from '../../../src/api/apiserver/api-request-count.ts';
import {
  entry,
  epochHourOf,
  mergeStatus,
  userKey,
  usersToReport,
  type HourlyCounts,
  type MergeInput,
  type UserCounts,
} from '../../../src/apiserver/request-count/status.ts';

const day = epochHourOf(Date.UTC(2026, 0, 10)); // an epoch hour that is 00:00 UTC

function counts(
  entries: readonly [hour: number, user: string, agent: string, verb: string, n: number][],
): HourlyCounts {
  const out: HourlyCounts = new Map();
  for (const [hour, username, userAgent, verb, n] of entries) {
    const users = entry(out, hour, () => new Map<string, UserCounts>());
    const user = entry(users, userKey(username, userAgent), () => ({
      username,
      userAgent,
      verbs: new Map<string, number>(),
    }));
    user.verbs.set(verb, (user.verbs.get(verb) ?? 0) + n);
  }
  return out;
}

function merge(input: Partial<MergeInput> & Pick<MergeInput, 'counts' | 'nowHour'>): APIRequestCountStatus {
  return mergeStatus({
    stored: undefined,
    storedHour: undefined,
    nodeName: 'node-a',
    numberOfUsersToReport: 10,
    removedInRelease: undefined,
    ...input,
  }).status;
}

describe('APIRequestCount status merge', () => {
  it('puts new counts in the slot of their hour of the day, by node, user and verb', () => {
    const now = day + 5;
    const status = merge({
      nowHour: now,
      counts: counts([
        [now, 'alice', 'kubectl/v1.33.1', 'list', 2],
        [now, 'alice', 'kubectl/v1.33.1', 'get', 1],
        [now, 'bob', 'curl/8', 'watch', 1],
      ]),
    });
    assert.equal(status.last24h?.length, 24);
    assert.equal(status.requestCount, 4);
    assert.deepEqual(status.currentHour, status.last24h?.[5]);
    assert.deepEqual(status.currentHour, {
      requestCount: 4,
      byNode: [
        {
          nodeName: 'node-a',
          requestCount: 4,
          byUser: [
            {
              username: 'alice',
              userAgent: 'kubectl/v1.33.1',
              requestCount: 3,
              byVerb: [
                { verb: 'get', requestCount: 1 },
                { verb: 'list', requestCount: 2 },
              ],
            },
            {
              username: 'bob',
              userAgent: 'curl/8',
              requestCount: 1,
              byVerb: [{ verb: 'watch', requestCount: 1 }],
            },
          ],
        },
      ],
    });
    assert.equal(status.removedInRelease, undefined);
  });

  it('adds to what is stored for the same user and keeps other nodes', () => {
    const now = day + 3;
    const stored = merge({
      nowHour: now,
      nodeName: 'node-b',
      counts: counts([[now, 'alice', 'k', 'list', 5]]),
    });
    const first = merge({ nowHour: now, counts: counts([[now, 'alice', 'k', 'list', 1]]) });
    const status = merge({
      stored: first,
      storedHour: now,
      nowHour: now,
      counts: counts([
        [now, 'alice', 'k', 'list', 2],
        [now, 'alice', 'k', 'create', 1],
      ]),
    });
    assert.deepEqual(status.currentHour?.byNode?.[0]?.byUser?.[0]?.byVerb, [
      { verb: 'create', requestCount: 1 },
      { verb: 'list', requestCount: 3 },
    ]);
    const both = merge({
      stored: status,
      storedHour: now,
      nowHour: now,
      nodeName: 'node-b',
      counts: counts([[now, 'alice', 'k', 'list', 5]]),
    });
    assert.deepEqual(
      both.currentHour?.byNode?.map((n) => [n.nodeName, n.requestCount]),
      [
        ['node-a', 4],
        ['node-b', 5],
      ],
    );
    assert.equal(both.currentHour?.requestCount, 9);
    assert.equal(both.requestCount, 9);
    assert.equal(stored.requestCount, 5);
  });

  it('moves the current hour into last24h when the hour changes and clears the hours a day old', () => {
    const stored = merge({
      nowHour: day + 5,
      counts: counts([
        [day + 5, 'alice', 'k', 'list', 2],
        [day + 4, 'alice', 'k', 'list', 1],
      ]),
    });
    // Yesterday's 06:00 and 07:00 must go: the slots are reused for today's.
    const yesterday = structuredClone(stored);
    yesterday.last24h![6] = { requestCount: 7, byNode: [{ nodeName: 'node-a', requestCount: 7 }] };
    yesterday.last24h![7] = { requestCount: 8, byNode: [{ nodeName: 'node-a', requestCount: 8 }] };
    const status = merge({
      stored: yesterday,
      storedHour: day + 5,
      nowHour: day + 7,
      counts: counts([[day + 7, 'bob', 'k', 'get', 1]]),
    });
    assert.deepEqual(
      status.last24h?.map((h) => h.requestCount),
      [0, 0, 0, 0, 1, 2, 0, 1, ...Array<number>(16).fill(0)],
    );
    assert.equal(status.currentHour?.requestCount, 1);
    assert.equal(status.currentHour?.byNode?.[0]?.byUser?.[0]?.username, 'bob');
    assert.equal(status.requestCount, 4);
  });

  it('drops everything after a day without writes, and counts older than 24 hours', () => {
    const stored = merge({ nowHour: day + 5, counts: counts([[day + 5, 'alice', 'k', 'list', 2]]) });
    const later = merge({ stored, storedHour: day + 5, nowHour: day + 30, counts: new Map() });
    assert.equal(later.requestCount, 0);
    assert.ok(later.last24h?.every((h) => h.requestCount === 0 && h.byNode === undefined));
    const late = merge({ nowHour: day + 30, counts: counts([[day + 6, 'alice', 'k', 'list', 1]]) });
    assert.equal(late.requestCount, 0);
  });

  it('never moves back when another server wrote a later hour', () => {
    const stored = merge({ nowHour: day + 8, counts: counts([[day + 8, 'alice', 'k', 'list', 2]]) });
    const result = mergeStatus({
      stored,
      storedHour: day + 8,
      nowHour: day + 7,
      nodeName: 'node-b',
      counts: counts([[day + 7, 'bob', 'k', 'get', 1]]),
      numberOfUsersToReport: 10,
      removedInRelease: undefined,
    });
    assert.equal(result.currentHour, day + 8);
    assert.equal(result.status.currentHour?.requestCount, 2);
    assert.equal(result.status.last24h?.[7]?.requestCount, 1);
    assert.equal(result.status.requestCount, 3);
  });

  it('reports only the top numberOfUsersToReport users, while node totals count everyone', () => {
    const now = day + 1;
    const status = merge({
      nowHour: now,
      numberOfUsersToReport: 2,
      counts: counts([
        [now, 'a', 'k', 'list', 1],
        [now, 'b', 'k', 'list', 5],
        [now, 'c', 'k', 'list', 3],
      ]),
    });
    const node = status.currentHour?.byNode?.[0];
    assert.deepEqual(
      node?.byUser?.map((u) => [u.username, u.requestCount]),
      [
        ['b', 5],
        ['c', 3],
      ],
    );
    assert.equal(node?.requestCount, 9);
    const none = merge({
      stored: status,
      storedHour: now,
      nowHour: now,
      numberOfUsersToReport: 0,
      counts: new Map(),
    });
    assert.equal(none.currentHour?.byNode?.[0]?.byUser, undefined);
    assert.equal(none.currentHour?.requestCount, 9);
  });

  it('records the release that removes the API', () => {
    const status = merge({ nowHour: day, counts: new Map(), removedInRelease: '1.27' });
    assert.equal(status.removedInRelease, '1.27');
  });

  it('reads numberOfUsersToReport from the spec: default 10, at most 100', () => {
    assert.equal(usersToReport(undefined), 10);
    assert.equal(usersToReport({}), 10);
    assert.equal(usersToReport({ numberOfUsersToReport: 3 }), 3);
    assert.equal(usersToReport({ numberOfUsersToReport: 500 }), 100);
    assert.equal(usersToReport({ numberOfUsersToReport: 'x' }), 10);
  });
});
