/**
 * The lab Prometheus's alerting rules for update readiness (UPD-3, UPD-8), written in our own words
 * after the upstream rules:
 * - `APIRemovedInNextReleaseInUse`, `APIRemovedInNextEUSReleaseInUse`: openshift/cluster-kube-apiserver-operator
 *   bindata/assets/alerts/api-usage.yaml (group `pre-release-lifecycle`, severity info, `for: 1h`,
 *   request rate over `[4h]`).
 * - `ClusterNotUpgradeable`: openshift/cluster-version-operator
 *   install/0000_90_cluster-version-operator_02_servicemonitor.yaml (group `cluster-operators`, severity
 *   info, `for: 60m`). The 4.14 update docs call it a "warning alert"; upstream's rule says info.
 * - `DuplicateTransferEncodingHeadersDetected`: openshift/cluster-ingress-operator (OCPBUGS-43095, 4.12/4.13
 *   branches) over the router's `haproxy_backend_duplicate_te_header_total` counter, severity warning.
 *   Its exact upstream expression and `for:` were not in the sources available to us: this rule fires
 *   for every route whose counter is above zero, which is what the metric was added for.
 *
 * Differences from upstream, all because of how the lab exposes metrics: every expression keeps the
 * `cluster` label (one API server serves every lab cluster and labels its series with it), and the
 * `endpoint="metrics"` matcher of the CVO rule is dropped (a ServiceMonitor adds that label; the lab's
 * static scrape configs do not).
 */
import { stringify } from 'yaml';
import {
  compareMinor,
  isEusRelease,
  knownOpenShiftVersions,
  kubernetesVersionOf,
  minorOf,
} from '../api/removals/index.ts';

export const alertNames = {
  apiRemovedInNextRelease: 'APIRemovedInNextReleaseInUse',
  apiRemovedInNextEusRelease: 'APIRemovedInNextEUSReleaseInUse',
  clusterNotUpgradeable: 'ClusterNotUpgradeable',
  duplicateTransferEncodingHeaders: 'DuplicateTransferEncodingHeadersDetected',
} as const;

/** Prometheus durations (`4s`, `1h`) for the rules' `for:` and the request-rate window. */
export interface RuleTiming {
  readonly apiRemovalFor: string;
  /** `rate(apiserver_request_total[…])`: how long one request keeps an API-removal alert alive. */
  readonly requestRateWindow: string;
  readonly notUpgradeableFor: string;
  readonly duplicateTransferEncodingFor: string;
}

/** What a production cluster uses (see the sources above). */
export const upstreamRuleTiming: RuleTiming = {
  apiRemovalFor: '1h',
  requestRateWindow: '4h',
  notUpgradeableFor: '1h',
  // Not confirmed from upstream (see the module comment): fires on the first evaluation.
  duplicateTransferEncodingFor: '0s',
};

/**
 * The lab's: a rehearsal (and its tests) must see an alert go pending and fire within seconds, and
 * clear a few minutes after the workload stops calling a removed API, not four hours later.
 */
export const labRuleTiming: RuleTiming = {
  apiRemovalFor: '4s',
  requestRateWindow: '5m',
  notUpgradeableFor: '4s',
  duplicateTransferEncodingFor: '4s',
};

/** A lab cluster and the OpenShift release it runs (`4.14` or `4.14.13`). */
export interface ClusterRelease {
  readonly name: string;
  readonly release: string;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertingRule[];
}

export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/** The release an update from `release` reaches next and the Kubernetes minors that update crosses. */
export interface UpdateStep {
  readonly openshift: string;
  /** Kubernetes minors after the current one up to and including the target's: `removed_release` values. */
  readonly removedReleases: readonly string[];
}

export interface RemovalHorizon {
  readonly next?: UpdateStep;
  readonly nextEus?: UpdateStep;
}

function kubeMinorsBetween(fromKube: string, toKube: string): string[] {
  const [major = 1, from = 0] = fromKube.split('.').map(Number);
  const to = Number(toKube.split('.')[1]);
  const minors: string[] = [];
  for (let minor = from + 1; minor <= to; minor++) minors.push(`${major}.${minor}`);
  return minors;
}

function step(currentKube: string, target: string | undefined): UpdateStep | undefined {
  if (target === undefined) return undefined;
  const targetKube = kubernetesVersionOf(target);
  if (targetKube === undefined) return undefined;
  return { openshift: target, removedReleases: kubeMinorsBetween(currentKube, targetKube) };
}

/**
 * The next minor release and the next EUS release after `release`, with the Kubernetes minors each
 * update crosses. Empty when the release (or what follows it) is not in the version map.
 */
export function removalHorizon(release: string): RemovalHorizon {
  const current = minorOf(release);
  const currentKube = current === undefined ? undefined : kubernetesVersionOf(current);
  if (current === undefined || currentKube === undefined) return {};
  const later = knownOpenShiftVersions().filter((v) => compareMinor(v, current) > 0);
  const next = step(currentKube, later[0]);
  const nextEus = step(
    currentKube,
    later.find((v) => isEusRelease(v)),
  );
  return { ...(next ? { next } : {}), ...(nextEus ? { nextEus } : {}) };
}

/** A PromQL double-quoted string literal. */
function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A PromQL regex matcher value matching exactly one of `values`. */
function anyOf(values: readonly string[]): string {
  return promqlString(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

// Upstream leaves out the controllers that read every served version themselves: their requests say
// nothing about a workload still using a removed API.
const requestsThatCount =
  'apiserver_request_total{system_client!="kube-controller-manager",system_client!="cluster-policy-controller"}';

interface ClusterSelection {
  readonly clusters: readonly string[];
  readonly removedReleases: readonly string[];
}

/**
 * One expression for all clusters: each release's clusters select their own `removed_release`
 * values, so a single rule per alert serves a lab whose clusters run different releases.
 */
function apiRemovalExpr(selections: readonly ClusterSelection[], window: string): string {
  const deprecated = selections.map(({ clusters, removedReleases }) => {
    const release =
      removedReleases.length === 1
        ? `removed_release=${promqlString(removedReleases[0] ?? '')}`
        : `removed_release=~${anyOf(removedReleases)}`;
    return `group by (cluster, group, version, resource, removed_release) (apiserver_requested_deprecated_apis{${release},cluster=~${anyOf(clusters)}})`;
  });
  return [
    `(${deprecated.join('\nor ')})`,
    'and on (cluster, group, version, resource)',
    `(sum by (cluster, group, version, resource) (rate(${requestsThatCount}[${window}])) > 0)`,
  ].join('\n');
}

function withFor(duration: string): { for?: string } {
  return /^0+[smhdwy]?$/.test(duration) ? {} : { for: duration };
}

const apiRequestCountHint =
  'Run `kubectl --context {{ $labels.cluster }} get apirequestcounts {{ $labels.resource }}.{{ $labels.version }}.{{ $labels.group }} -o yaml` to find the workload.';

function apiRemovalRules(clusters: readonly ClusterRelease[], timing: RuleTiming): AlertingRule[] {
  const byMinor = new Map<string, string[]>();
  for (const cluster of clusters) {
    const minor = minorOf(cluster.release);
    if (minor === undefined) {
      throw new RangeError(
        `cluster ${cluster.name}: release '${cluster.release}' is not an OpenShift version such as 4.14 or 4.14.13`,
      );
    }
    byMinor.set(minor, [...(byMinor.get(minor) ?? []), cluster.name]);
  }
  const next: ClusterSelection[] = [];
  const nextEus: ClusterSelection[] = [];
  for (const [minor, names] of [...byMinor].sort(([a], [b]) => compareMinor(a, b))) {
    const horizon = removalHorizon(minor);
    if (horizon.next) next.push({ clusters: names, removedReleases: horizon.next.removedReleases });
    if (horizon.nextEus) nextEus.push({ clusters: names, removedReleases: horizon.nextEus.removedReleases });
  }
  const labels = { namespace: 'openshift-kube-apiserver', severity: 'info' };
  const rules: AlertingRule[] = [];
  if (next.length > 0) {
    rules.push({
      alert: alertNames.apiRemovedInNextRelease,
      expr: apiRemovalExpr(next, timing.requestRateWindow),
      ...withFor(timing.apiRemovalFor),
      labels,
      annotations: {
        summary: 'Deprecated API that will be removed in the next version is being used.',
        description:
          'Cluster {{ $labels.cluster }} keeps receiving requests for {{ $labels.group }}.{{ $labels.version }}/{{ $labels.resource }}, ' +
          'which the next OpenShift release (Kubernetes {{ $labels.removed_release }}) no longer serves. ' +
          `Migrate the workloads and manifests that use it before updating. ${apiRequestCountHint}`,
      },
    });
  }
  if (nextEus.length > 0) {
    rules.push({
      alert: alertNames.apiRemovedInNextEusRelease,
      expr: apiRemovalExpr(nextEus, timing.requestRateWindow),
      ...withFor(timing.apiRemovalFor),
      labels,
      annotations: {
        summary: 'Deprecated API that will be removed in the next EUS version is being used.',
        description:
          'Cluster {{ $labels.cluster }} keeps receiving requests for {{ $labels.group }}.{{ $labels.version }}/{{ $labels.resource }}, ' +
          'which the next EUS release no longer serves (removed in Kubernetes {{ $labels.removed_release }}). ' +
          `Migrate the workloads and manifests that use it before an EUS-to-EUS update. ${apiRequestCountHint}`,
      },
    });
  }
  return rules;
}

function clusterNotUpgradeable(timing: RuleTiming): AlertingRule {
  return {
    alert: alertNames.clusterNotUpgradeable,
    // `name="version"` is the ClusterVersion's own Upgradeable condition, which the CVO sets to False
    // when any ClusterOperator (or an admin gate) reports Upgradeable=False.
    expr: 'max by (cluster, namespace, name, condition) (cluster_operator_conditions{name="version", condition="Upgradeable"} == 0)',
    ...withFor(timing.notUpgradeableFor),
    labels: { namespace: 'openshift-cluster-version', severity: 'info' },
    annotations: {
      summary: 'One or more cluster operators have been blocking minor version cluster upgrades.',
      description:
        'Cluster {{ $labels.cluster }} reports Upgradeable=False: minor updates are refused until every operator reports Upgradeable=True; ' +
        'patch updates usually still apply. See `kubectl --context {{ $labels.cluster }} get clusterversion version -o yaml` for the reason.',
    },
  };
}

function duplicateTransferEncoding(timing: RuleTiming): AlertingRule {
  return {
    alert: alertNames.duplicateTransferEncodingHeaders,
    // A route's namespace arrives as `exported_namespace` when Prometheus's own `namespace` target
    // label wins (OpenShift's router); a lab exporter may call it `namespace`. Keep both.
    expr: 'sum by (cluster, namespace, exported_namespace, route) (haproxy_backend_duplicate_te_header_total) > 0',
    ...withFor(timing.duplicateTransferEncodingFor),
    labels: { severity: 'warning' },
    annotations: {
      summary: 'A backend answered with duplicate Transfer-Encoding headers.',
      description:
        'Route {{ $labels.route }} on cluster {{ $labels.cluster }} answered with more than one Transfer-Encoding header (RFC 7230 §3.3.3). ' +
        'From OpenShift 4.14 (HAProxy 2.6) the router rejects such responses with 502: fix the application before updating.',
    },
  };
}

export interface UpgradeReadinessRuleOptions {
  /** Clusters whose API-removal alerts to generate; each gets the rules of its own release. */
  readonly clusters: readonly ClusterRelease[];
  readonly timing?: RuleTiming;
}

/**
 * The rule file's content. API-removal rules exist only for clusters whose release and next
 * release are in the version map; the other two alerts cover every cluster.
 */
export function upgradeReadinessRules(options: UpgradeReadinessRuleOptions): RuleFile {
  const timing = options.timing ?? labRuleTiming;
  return {
    groups: [
      { name: 'pre-release-lifecycle', rules: apiRemovalRules(options.clusters, timing) },
      { name: 'cluster-operators', rules: [clusterNotUpgradeable(timing)] },
      { name: 'openshift-ingress.rules', rules: [duplicateTransferEncoding(timing)] },
    ].filter((group) => group.rules.length > 0),
  };
}

export function renderUpgradeReadinessRules(options: UpgradeReadinessRuleOptions): string {
  return stringify(upgradeReadinessRules(options), { lineWidth: 0, aliasDuplicateObjects: false });
}
