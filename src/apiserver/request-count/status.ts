/**
 * APIRequestCount status arithmetic, free of I/O: a stored status plus this server's new counts
 * gives the next status. last24h has one entry per hour of the day (UTC), the current hour's
 * included; entries older than 24 hours are cleared as the hours move on.
 */
import type {
  APIRequestCountStatus,
  PerNodeAPIRequestLog,
  PerResourceAPIRequestLog,
  PerUserAPIRequestCount,
} from '../../api/apiserver/api-request-count.ts';
import { defaultNumberOfUsersToReport, maxNumberOfUsersToReport } from '../../api/apiserver/constants.ts';

const hourMs = 3_600_000;

/** Hours since the epoch: what a count belongs to. Its hour of the day is `epochHour % 24`. */
export function epochHourOf(time: Date | number): number {
  return Math.floor((typeof time === 'number' ? time : time.getTime()) / hourMs);
}

export function hourStart(epochHour: number): string {
  return new Date(epochHour * hourMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Requests of one user (name + agent) by verb. */
export interface UserCounts {
  readonly username: string;
  readonly userAgent: string;
  readonly verbs: Map<string, number>;
}

/** New counts of one resource on this server: epoch hour → user key → counts. */
export type HourlyCounts = Map<number, Map<string, UserCounts>>;

export function userKey(username: string, userAgent: string): string {
  return `${username}\u0000${userAgent}`;
}

/** The entry of `key`, created first when missing. */
export function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

/** Adds `from` into `into` (both keyed as userKey/epoch hour). */
export function addCounts(into: HourlyCounts, from: HourlyCounts): void {
  for (const [hour, users] of from) {
    const target = entry(into, hour, () => new Map<string, UserCounts>());
    for (const [key, user] of users) {
      const counts = entry(target, key, () => ({
        username: user.username,
        userAgent: user.userAgent,
        verbs: new Map<string, number>(),
      }));
      for (const [verb, n] of user.verbs) counts.verbs.set(verb, (counts.verbs.get(verb) ?? 0) + n);
    }
  }
}

export function usersToReport(spec: unknown): number {
  const value =
    typeof spec === 'object' && spec !== null && 'numberOfUsersToReport' in spec
      ? spec.numberOfUsersToReport
      : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) return defaultNumberOfUsersToReport;
  return Math.min(Math.max(value, 0), maxNumberOfUsersToReport);
}

export interface MergeInput {
  readonly stored: APIRequestCountStatus | undefined;
  /** The epoch hour `stored` was current at; undefined when unknown (it is taken as current). */
  readonly storedHour: number | undefined;
  readonly nowHour: number;
  readonly nodeName: string;
  readonly counts: HourlyCounts;
  readonly numberOfUsersToReport: number;
  readonly removedInRelease: string | undefined;
}

export interface MergeResult {
  readonly status: APIRequestCountStatus;
  /** The epoch hour the new status is current at (never earlier than the stored one's). */
  readonly currentHour: number;
}

function emptyHour(): PerResourceAPIRequestLog {
  return { requestCount: 0 };
}

function byCountThenName(a: PerUserAPIRequestCount, b: PerUserAPIRequestCount): number {
  return (
    b.requestCount - a.requestCount ||
    (a.username ?? '').localeCompare(b.username ?? '') ||
    (a.userAgent ?? '').localeCompare(b.userAgent ?? '')
  );
}

function addToNode(node: PerNodeAPIRequestLog, users: Map<string, UserCounts>): PerNodeAPIRequestLog {
  const byUser = new Map<string, PerUserAPIRequestCount>();
  for (const user of node.byUser ?? []) byUser.set(userKey(user.username ?? '', user.userAgent ?? ''), user);
  let added = 0;
  for (const [key, counts] of users) {
    const existing = byUser.get(key);
    const verbs = new Map((existing?.byVerb ?? []).map((v) => [v.verb, v.requestCount]));
    let total = existing?.requestCount ?? 0;
    for (const [verb, n] of counts.verbs) {
      verbs.set(verb, (verbs.get(verb) ?? 0) + n);
      total += n;
      added += n;
    }
    byUser.set(key, {
      username: counts.username,
      userAgent: counts.userAgent,
      requestCount: total,
      byVerb: [...verbs]
        .map(([verb, requestCount]) => ({ verb, requestCount }))
        .sort((a, b) => a.verb.localeCompare(b.verb)),
    });
  }
  return { nodeName: node.nodeName, requestCount: node.requestCount + added, byUser: [...byUser.values()] };
}

/** Keeps the top users of every node (the node's requestCount still counts everyone). */
function trimHour(hour: PerResourceAPIRequestLog, limit: number): PerResourceAPIRequestLog {
  const nodes = (hour.byNode ?? [])
    .map((node): PerNodeAPIRequestLog => {
      const users = [...(node.byUser ?? [])].sort(byCountThenName).slice(0, limit);
      return {
        nodeName: node.nodeName,
        requestCount: node.requestCount,
        ...(users.length > 0 ? { byUser: users } : {}),
      };
    })
    .sort((a, b) => a.nodeName.localeCompare(b.nodeName));
  return {
    requestCount: nodes.reduce((sum, n) => sum + n.requestCount, 0),
    ...(nodes.length > 0 ? { byNode: nodes } : {}),
  };
}

export function mergeStatus(input: MergeInput): MergeResult {
  const { stored, storedHour, nowHour } = input;
  const currentHour = Math.max(nowHour, storedHour ?? nowHour);
  const hours = Array.from({ length: 24 }, (_, i) => structuredClone(stored?.last24h?.[i]) ?? emptyHour());
  // The slots of the hours that passed since the stored status now hold data a day old.
  if (storedHour !== undefined) {
    for (let h = storedHour + 1; h <= Math.min(currentHour, storedHour + 24); h++)
      hours[h % 24] = emptyHour();
  }
  for (const [hour, users] of input.counts) {
    if (hour <= currentHour - 24 || hour > currentHour) continue;
    const slot = hours[hour % 24] ?? emptyHour();
    const nodes = slot.byNode ?? [];
    const index = nodes.findIndex((n) => n.nodeName === input.nodeName);
    const node = addToNode(nodes[index] ?? { nodeName: input.nodeName, requestCount: 0 }, users);
    hours[hour % 24] = {
      ...slot,
      byNode: index < 0 ? [...nodes, node] : nodes.map((n, i) => (i === index ? node : n)),
    };
  }
  const last24h = hours.map((hour) => trimHour(hour, input.numberOfUsersToReport));
  return {
    currentHour,
    status: {
      ...(stored?.conditions ? { conditions: stored.conditions } : {}),
      ...(input.removedInRelease !== undefined ? { removedInRelease: input.removedInRelease } : {}),
      requestCount: last24h.reduce((sum, hour) => sum + hour.requestCount, 0),
      currentHour: structuredClone(last24h[currentHour % 24] ?? emptyHour()),
      last24h,
    },
  };
}
