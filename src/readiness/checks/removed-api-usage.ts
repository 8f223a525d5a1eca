/**
 * UPD-2 / UPD-4: APIs the target's Kubernetes no longer serves that something still requests, from
 * APIRequestCount (apiserver.openshift.io/v1). Evidence is who asked — user, user agent, verbs — over
 * the last 24 hours; the controllers seed 001 says walk every API anyway are left out.
 */
import type { PerResourceAPIRequestLog } from '../../api/apiserver/api-request-count.ts';
import { ignorableUsers } from '../../api/apiserver/constants.ts';
import { compareMinor, removalOf, type ApiRemoval } from '../../api/removals/index.ts';
import type { Check, ReadinessContext } from '../report/context.ts';
import type { Finding, UserEvidence } from '../report/types.ts';
import { types, type APIRequestCount } from './support/kinds.ts';

export const removedApiUsageId = 'UPD-2/removed-api-usage';

const ignored: ReadonlySet<string> = new Set(ignorableUsers);

/** `<resource>.<version>.<group>`; the core group has no third part. */
export function parseRequestCountName(
  name: string,
): { resource: string; version: string; group: string } | undefined {
  const [resource, version, ...group] = name.split('.');
  if (resource === undefined || resource === '' || version === undefined || version === '') return undefined;
  return { resource, version, group: group.join('.') };
}

/**
 * Users summed over the last 24 hours. The current hour is also one of `last24h`'s slots (indexed
 * by hour of day), so `currentHour` is added only for a server that leaves `last24h` empty.
 */
export function usersOf(status: APIRequestCount['status']): UserEvidence[] {
  const hours: PerResourceAPIRequestLog[] = [...(status?.last24h ?? [])];
  const hasHistory = hours.some((h) => (h.byNode ?? []).length > 0);
  if (!hasHistory && status?.currentHour !== undefined) hours.push(status.currentHour);
  const byUser = new Map<
    string,
    { username: string; userAgent: string; verbs: Set<string>; count: number }
  >();
  for (const hour of hours) {
    for (const node of hour.byNode ?? []) {
      for (const user of node.byUser ?? []) {
        const username = user.username ?? '';
        const userAgent = user.userAgent ?? '';
        const key = `${username}\u0000${userAgent}`;
        const entry = byUser.get(key) ?? { username, userAgent, verbs: new Set<string>(), count: 0 };
        entry.count += user.requestCount;
        for (const verb of user.byVerb ?? []) if (verb.requestCount > 0) entry.verbs.add(verb.verb);
        byUser.set(key, entry);
      }
    }
  }
  return [...byUser.values()]
    .map((u) => ({
      username: u.username,
      userAgent: u.userAgent,
      verbs: [...u.verbs].sort(),
      count: u.count,
    }))
    .sort((a, b) => b.count - a.count || a.username.localeCompare(b.username));
}

function migration(removal: ApiRemoval | undefined, name: string): string {
  const callers = `Find the callers: kubectl get apirequestcounts ${name} -o yaml`;
  if (removal?.replacement === undefined)
    return `Stop using ${name}: no replacement API is served. ${callers}`;
  const notes = removal.notes !== undefined && removal.notes !== '' ? ` (${removal.notes})` : '';
  return `Migrate manifests and API clients from ${name} to ${removal.replacement} ${removal.kind}${notes}. ${callers}`;
}

function findingFor(item: APIRequestCount, ctx: ReadinessContext): Finding | undefined {
  const name = item.metadata.name;
  const parsed = parseRequestCountName(name);
  const removal = parsed && removalOf(parsed.resource, parsed.version, parsed.group);
  const removedIn = item.status?.removedInRelease || removal?.removedInRelease;
  if (removedIn === undefined || removedIn === '' || compareMinor(removedIn, ctx.targetKube) > 0)
    return undefined;
  const last24h = item.status?.requestCount ?? 0;
  const currentHour = item.status?.currentHour?.requestCount ?? 0;
  if (last24h === 0 && currentHour === 0) return undefined;

  const users = usersOf(item.status);
  const workloads = users.filter((u) => !ignored.has(u.username));
  const counts = { currentHour, last24h };
  const removedText = `removed in Kubernetes ${removedIn} (target ${ctx.targetVersion} runs ${ctx.targetKube})`;
  if (workloads.length === 0 && users.length > 0) {
    return {
      check: removedApiUsageId,
      severity: 'info',
      title: `${name} (${removedText}) is requested only by system users that walk every API`,
      evidence: {
        objects: [`APIRequestCount/${name}`],
        users,
        counts,
        details: [
          'Seed 001: these users may be ignored (garbage collector, namespace controller, policy controllers).',
        ],
      },
      fix: 'Nothing to do for these users.',
    };
  }
  return {
    check: removedApiUsageId,
    severity: 'blocker',
    title: `${name} is still requested and is ${removedText}`,
    evidence: {
      objects: [`APIRequestCount/${name}`],
      users: workloads,
      counts,
      ...(workloads.length === 0
        ? { details: ['No per-user detail was recorded; the request counts alone show it is in use.'] }
        : {}),
    },
    fix: migration(removal, name),
  };
}

export const removedApiUsageCheck: Check = {
  id: removedApiUsageId,
  title: 'Removed Kubernetes APIs still in use (APIRequestCount)',
  async run(ctx) {
    const items = await ctx.client.list<APIRequestCount>(types.apiRequestCount);
    return items
      .map((item) => findingFor(item, ctx))
      .filter((f): f is Finding => f !== undefined)
      .sort((a, b) => severityRank(a) - severityRank(b) || a.title.localeCompare(b.title));
  },
};

function severityRank(f: Finding): number {
  return f.severity === 'blocker' ? 0 : f.severity === 'warning' ? 1 : 2;
}
