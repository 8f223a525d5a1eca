/**
 * The two kube-apiserver metrics OpenShift's API-removal alerts (APIRemovedInNextReleaseInUse,
 * APIRemovedInNextEUSReleaseInUse) are PromQL over, in Prometheus text format 0.0.4:
 *
 *   group(apiserver_requested_deprecated_apis{removed_release="1.27"}) by (group,version,resource)
 *   and (sum by(group,version,resource) (rate(apiserver_request_total{system_client!="kube-controller-manager",
 *   system_client!="cluster-policy-controller"}[4h]))) > 0
 *
 * Every series also carries `cluster`: one server serves many logical clusters.
 */

export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

const dayMs = 24 * 3_600_000;

export interface RequestLabels {
  readonly cluster: string;
  /** kube-apiserver's metric verbs: GET LIST WATCH POST PUT PATCH APPLY DELETE DELETECOLLECTION. */
  readonly verb: string;
  readonly dryRun: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly scope: string;
  readonly systemClient: string;
  readonly code: number;
}

export interface DeprecatedApi {
  readonly cluster: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly removedRelease: string;
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: readonly (readonly [string, string])[]): string {
  return labels.map(([name, value]) => `${name}="${escape(value)}"`).join(',');
}

interface Series {
  readonly cluster: string;
  readonly labels: string;
  value: number;
}

export class ApiServerMetrics {
  private readonly requests = new Map<string, Series>();
  private readonly deprecated = new Map<string, Series & { lastSeen: number }>();

  constructor(private readonly now: () => number) {}

  /** One finished request (the response code known). */
  countRequest(l: RequestLabels): void {
    // Label text is built once per series: this runs on every request.
    const key = `${l.cluster}\u0000${l.code}\u0000${l.dryRun}\u0000${l.group}\u0000${l.resource}\u0000${l.scope}\u0000${l.subresource}\u0000${l.systemClient}\u0000${l.verb}\u0000${l.version}`;
    const series = this.requests.get(key);
    if (series !== undefined) {
      series.value++;
      return;
    }
    const labels = labelText([
      ['cluster', l.cluster],
      ['code', String(l.code)],
      ['component', 'apiserver'],
      ['dry_run', l.dryRun],
      ['group', l.group],
      ['resource', l.resource],
      ['scope', l.scope],
      ['subresource', l.subresource],
      ['system_client', l.systemClient],
      ['verb', l.verb],
      ['version', l.version],
    ]);
    this.requests.set(key, { cluster: l.cluster, labels, value: 1 });
  }

  /** A request to an API a Kubernetes release removes. */
  sawDeprecated(api: DeprecatedApi): void {
    const labels = labelText([
      ['cluster', api.cluster],
      ['group', api.group],
      ['removed_release', api.removedRelease],
      ['resource', api.resource],
      ['subresource', api.subresource],
      ['version', api.version],
    ]);
    const series = this.deprecated.get(labels);
    if (series === undefined)
      this.deprecated.set(labels, { cluster: api.cluster, labels, value: 1, lastSeen: this.now() });
    else series.lastSeen = this.now();
  }

  /** The exposition; only the named cluster's series when `cluster` is given. */
  render(cluster?: string): string {
    const wanted = (s: Series): boolean => cluster === undefined || s.cluster === cluster;
    const since = this.now() - dayMs;
    for (const [key, series] of this.deprecated) if (series.lastSeen <= since) this.deprecated.delete(key);
    const lines = [
      '# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      '# TYPE apiserver_request_total counter',
      ...[...this.requests.values()]
        .filter(wanted)
        .map((s) => `apiserver_request_total{${s.labels}} ${s.value}`)
        .sort(),
      '# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.',
      '# TYPE apiserver_requested_deprecated_apis gauge',
      ...[...this.deprecated.values()]
        .filter(wanted)
        .map((s) => `apiserver_requested_deprecated_apis{${s.labels}} ${s.value}`)
        .sort(),
    ];
    return `${lines.join('\n')}\n`;
  }
}
