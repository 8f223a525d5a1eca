/**
 * APIRequestCount upkeep, as OpenShift's kube-apiserver does it: every resource request is counted
 * in memory (O(1), no store write), and the counts are merged into the APIRequestCount objects of
 * the logical cluster addressed — periodically, before any read of apirequestcounts, and on close.
 * Writing goes through the object store, not HTTP, so flushing never counts itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIRequestCountStatus } from '../../api/apiserver/api-request-count.ts';
import { labels as apiserverLabels } from '../../api/apiserver/constants.ts';
import { removalOf } from '../../api/removals/index.ts';
import type { ClusterResources } from '../clusters.ts';
import { ApiError } from '../errors.ts';
import type { ResourceRequest } from '../http/request-info.ts';
import type { KubeObject } from '../object.ts';
import type { Clock, ObjectStore, Scope } from '../rest/objects.ts';
import { requestUser, systemClientOf } from './identity.ts';
import { ApiServerMetrics } from './metrics.ts';
import { countName, parseCountName } from './names.ts';
import {
  apiRequestCountApiVersion,
  apiRequestCountGroup,
  apiRequestCountResource,
  apiRequestCountResourceType,
  apiRequestCountWriterType,
} from './resource-type.ts';
import {
  addCounts,
  entry,
  epochHourOf,
  hourStart,
  mergeStatus,
  userKey,
  usersToReport,
  type HourlyCounts,
  type UserCounts,
} from './status.ts';

/** The epoch hour an object's status is current at: how far its last24h must move on a write. */
export const currentHourAnnotation = 'apirequestcounts.lcm.io/current-hour';

/** `removedInRelease` of an API (`'1.27'`), undefined when no release removes it. */
export type RemovalLookup = (resource: string, version: string, group: string) => string | undefined;

export const defaultRemovalLookup: RemovalLookup = (resource, version, group) =>
  removalOf(resource, version, group)?.removedInRelease;

export interface RequestCountsOptions {
  readonly objects: ObjectStore;
  readonly clock: Clock;
  /** `nodeName` of this server's entries. */
  readonly nodeName: string;
  /** The logical cluster served under a name right now (undefined: not served). */
  readonly cluster: (name: string) => ClusterResources | undefined;
  readonly clusterNames: () => readonly string[];
  /** Bearer token → username, for clients that do not impersonate. */
  readonly tokenUsers?: ReadonlyMap<string, string>;
  readonly removedInRelease?: RemovalLookup;
  /** How often counts are written (0: only before reads of apirequestcounts and on close). */
  readonly flushIntervalMs?: number;
  readonly log?: (line: string) => void;
}

const metricVerbs: Readonly<Record<ResourceRequest['verb'], string>> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETECOLLECTION',
};

const closeFlushTimeoutMs = 2_000;

function hourOfAnnotation(object: KubeObject): number | undefined {
  const value = object.metadata.annotations?.[currentHourAnnotation];
  const time = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : epochHourOf(time);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class RequestCounts {
  readonly metrics: ApiServerMetrics;
  private readonly pending = new Map<string, Map<string, HourlyCounts>>();
  /** Per cluster: the epoch hour every stored object was last moved to. */
  private readonly rotated = new Map<string, number>();
  private readonly flushing = new Map<string, Promise<void>>();
  private readonly removedInRelease: RemovalLookup;
  private readonly log: (line: string) => void;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RequestCountsOptions) {
    this.metrics = new ApiServerMetrics(() => options.clock.now().getTime());
    this.removedInRelease = options.removedInRelease ?? defaultRemovalLookup;
    this.log = options.log ?? (() => undefined);
    const interval = options.flushIntervalMs ?? 10_000;
    this.timer =
      interval > 0
        ? setInterval(() => {
            this.flush().catch((error: unknown) =>
              this.log(`apirequestcounts flush failed: ${errorText(error)}`),
            );
          }, interval)
        : undefined;
    this.timer?.unref();
  }

  /** Counts a resource request of `cluster`; the metrics learn its response code when it ends. */
  observe(
    cluster: ClusterResources,
    info: ResourceRequest,
    request: IncomingMessage,
    response: ServerResponse,
    query: URLSearchParams,
  ): void {
    const user = requestUser(request.headers, this.options.tokenUsers);
    const name = countName(info);
    if (name !== undefined) this.count(cluster.name, name, user.username, user.userAgent, info.verb);
    const removed =
      name === undefined ? undefined : this.removedInRelease(info.resource, info.version, info.group);
    if (removed !== undefined) {
      this.metrics.sawDeprecated({
        cluster: cluster.name,
        group: info.group,
        version: info.version,
        resource: info.resource,
        subresource: '',
        removedRelease: removed,
      });
    }
    const apply = request.headers['content-type']?.startsWith('application/apply-patch') === true;
    const labels = {
      cluster: cluster.name,
      verb: info.verb === 'patch' && apply ? 'APPLY' : metricVerbs[info.verb],
      dryRun: query.getAll('dryRun').sort().join(','),
      group: info.group,
      version: info.version,
      resource: info.resource,
      subresource: info.subresource ?? '',
      scope: info.name !== undefined ? 'resource' : info.namespace !== undefined ? 'namespace' : 'cluster',
      systemClient: systemClientOf(user.userAgent),
    };
    response.once('close', () => this.metrics.countRequest({ ...labels, code: response.statusCode }));
  }

  /** True for the requests that must see every count so far (get/list/watch of apirequestcounts). */
  readsCounts(info: ResourceRequest): boolean {
    return (
      info.group === apiRequestCountGroup &&
      info.resource === apiRequestCountResource &&
      (info.verb === 'get' || info.verb === 'list' || info.verb === 'watch')
    );
  }

  private count(cluster: string, name: string, username: string, userAgent: string, verb: string): void {
    const hour = epochHourOf(this.options.clock.now());
    const resources = entry(this.pending, cluster, () => new Map<string, HourlyCounts>());
    const hours = entry(resources, name, (): HourlyCounts => new Map());
    const users = entry(hours, hour, () => new Map<string, UserCounts>());
    const counts = entry(users, userKey(username, userAgent), () => ({
      username,
      userAgent,
      verbs: new Map<string, number>(),
    }));
    counts.verbs.set(verb, (counts.verbs.get(verb) ?? 0) + 1);
  }

  /** Writes the counts of one cluster (or of every cluster) into its APIRequestCount objects. */
  flush(cluster?: string): Promise<void> {
    const names =
      cluster !== undefined
        ? [cluster]
        : [...new Set([...this.pending.keys(), ...this.options.clusterNames()])];
    return Promise.all(names.map((name) => this.enqueue(name))).then(() => undefined);
  }

  /** Flushes run one after another per cluster, so two never merge the same counts twice. */
  private enqueue(cluster: string): Promise<void> {
    const previous = this.flushing.get(cluster) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.flushCluster(cluster));
    this.flushing.set(cluster, next);
    return next;
  }

  private giveBack(cluster: string, name: string, counts: HourlyCounts): void {
    if (counts.size === 0) return;
    const resources = entry(this.pending, cluster, () => new Map<string, HourlyCounts>());
    addCounts(
      entry(resources, name, (): HourlyCounts => new Map()),
      counts,
    );
  }

  private async flushCluster(name: string): Promise<void> {
    const cluster = this.options.cluster(name);
    if (cluster === undefined || cluster.unavailable !== undefined) return;
    const taken = this.pending.get(name) ?? new Map<string, HourlyCounts>();
    this.pending.delete(name);
    const nowHour = epochHourOf(this.options.clock.now());
    const rotate = this.rotated.get(name) !== nowHour;
    const targets = new Map(taken);
    if (rotate) {
      try {
        const scope: Scope = { cluster, type: apiRequestCountResourceType, namespace: undefined };
        for (const item of (await this.options.objects.list(scope)).items) {
          const itemName = item.metadata.name ?? '';
          const hour = hourOfAnnotation(item);
          if ((hour === undefined || hour < nowHour) && !targets.has(itemName))
            targets.set(itemName, new Map());
        }
      } catch (error) {
        this.log(`apirequestcounts of cluster ${name}: listing failed: ${errorText(error)}`);
        for (const [resource, counts] of taken) this.giveBack(name, resource, counts);
        return;
      }
    }
    const scope: Scope = { cluster, type: apiRequestCountWriterType, namespace: undefined };
    const written = await Promise.all(
      [...targets].map(([resource, counts]) =>
        this.write(scope, resource, counts, nowHour).then(
          () => true,
          (error: unknown) => {
            this.log(`apirequestcount ${resource} in cluster ${name}: ${errorText(error)}`);
            this.giveBack(name, resource, counts);
            return false;
          },
        ),
      ),
    );
    if (rotate && written.every(Boolean)) this.rotated.set(name, nowHour);
  }

  private async write(scope: Scope, name: string, counts: HourlyCounts, nowHour: number): Promise<void> {
    const { objects } = this.options;
    const gvr = parseCountName(name);
    const removed =
      gvr === undefined ? undefined : this.removedInRelease(gvr.resource, gvr.version, gvr.group);
    const build = (current: KubeObject | undefined): KubeObject => {
      // Stored objects passed the kind's schema, so their status has its shape.
      const stored = current?.status as APIRequestCountStatus | undefined;
      const { status, currentHour } = mergeStatus({
        stored,
        storedHour: current === undefined ? undefined : hourOfAnnotation(current),
        nowHour,
        nodeName: this.options.nodeName,
        counts,
        numberOfUsersToReport: usersToReport(current?.spec),
        removedInRelease: removed,
      });
      const { resourceVersion: _resourceVersion, ...metadata } = current?.metadata ?? { name };
      const labels = { ...metadata.labels };
      if (removed === undefined) delete labels[apiserverLabels.removedInRelease];
      else labels[apiserverLabels.removedInRelease] = removed;
      return {
        apiVersion: apiRequestCountApiVersion,
        kind: scope.type.kind,
        metadata: {
          ...metadata,
          ...(Object.keys(labels).length > 0 ? { labels } : {}),
          annotations: { ...metadata.annotations, [currentHourAnnotation]: hourStart(currentHour) },
        },
        spec: current?.spec ?? {},
        status,
      };
    };
    // Another server (or a user) may create or change the object meanwhile: update re-reads and
    // merges again on every conflict, and a lost create race turns into an update.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await objects.update(scope, name, (current) => build(current));
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
      try {
        await objects.create(scope, build(undefined));
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 409)) throw error;
      }
    }
    throw new Error('created and deleted concurrently 5 times in a row');
  }

  /** Stops the timer and writes what is left (giving up after a short while: the store may be gone). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.pending.size === 0) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.pending.keys()].map((cluster) => this.enqueue(cluster))),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, closeFlushTimeoutMs);
      }),
    ]);
    clearTimeout(timeout);
  }
}
