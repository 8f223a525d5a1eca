/**
 * UPD-3 / UPD-8: firing alerts from Prometheus. Seed 001 names four: the two API-removal alerts
 * (migrate, then acknowledge), ClusterNotUpgradeable (blocks minor updates, rarely patch ones) and
 * DuplicateTransferEncodingHeadersDetected (HAProxy 2.6 in 4.14 rejects such responses); every other
 * critical alert should be resolved before an update starts.
 */
import { alerts as apiAlerts } from '../../api/apiserver/constants.ts';
import { compareMinor, minorOf } from '../../api/removals/index.ts';
import type { Alert, Check, ReadinessContext } from '../report/context.ts';
import type { Finding, Severity } from '../report/types.ts';
import { isKnownVersion, isMinorUpdate } from './support/versions.ts';

export const alertsId = 'UPD-3/alerts';

export const namedAlerts = {
  clusterNotUpgradeable: 'ClusterNotUpgradeable',
  duplicateTransferEncoding: 'DuplicateTransferEncodingHeadersDetected',
} as const;

/** The release whose router (HAProxy 2.6) stops accepting duplicate Transfer-Encoding headers. */
const haproxy26Release = '4.14';

const nameOf = (alert: Alert): string => alert.labels.alertname ?? '(unnamed)';

function describe(alert: Alert): string {
  const text = alert.annotations.description ?? alert.annotations.message ?? alert.annotations.summary ?? '';
  const where = ['namespace', 'route', 'name', 'resource', 'group', 'version']
    .filter((k) => alert.labels[k] !== undefined)
    .map((k) => `${k}=${alert.labels[k]}`)
    .join(' ');
  return [where, text].filter((s) => s !== '').join(': ') || nameOf(alert);
}

function grouped(alerts: readonly Alert[]): Map<string, Alert[]> {
  const map = new Map<string, Alert[]>();
  for (const alert of alerts) map.set(nameOf(alert), [...(map.get(nameOf(alert)) ?? []), alert]);
  return map;
}

function crossesHaproxy26(ctx: ReadinessContext): boolean {
  if (minorOf(ctx.targetVersion) === undefined || compareMinor(ctx.targetVersion, haproxy26Release) < 0)
    return false;
  return !isKnownVersion(ctx.currentVersion) || compareMinor(ctx.currentVersion, haproxy26Release) < 0;
}

function findingFor(name: string, firing: readonly Alert[], ctx: ReadinessContext): Finding {
  const details = firing.map(describe);
  const base = { check: alertsId, evidence: { details, counts: { firing: firing.length } } };
  switch (name) {
    case apiAlerts.removedInNextRelease:
    case apiAlerts.removedInNextEusRelease:
      return {
        ...base,
        severity: 'warning',
        title: `${name} is firing: APIs removed in the ${name === apiAlerts.removedInNextRelease ? 'next' : 'next EUS'} release are still requested`,
        fix: 'Find who uses them (see UPD-2/removed-api-usage, or kubectl get apirequestcounts), migrate those manifests and clients to the replacement APIs, then acknowledge in admin-acks.',
      };
    case namedAlerts.clusterNotUpgradeable: {
      const minor =
        !isKnownVersion(ctx.currentVersion) || isMinorUpdate(ctx.currentVersion, ctx.targetVersion);
      return {
        ...base,
        severity: minor ? 'blocker' : 'warning',
        title: minor
          ? `${name} is firing: a minor update cannot start until every operator reports Upgradeable=True`
          : `${name} is firing: it rarely blocks a patch update, but resolve it before the next minor update`,
        fix: 'Find the operators reporting Upgradeable=False (kubectl get clusteroperators -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\t"}{.status.conditions[?(@.type=="Upgradeable")].status}{"\\n"}{end}\') and resolve their reasons (see UPD-8/upgradeable).',
      };
    }
    case namedAlerts.duplicateTransferEncoding: {
      const crosses = crossesHaproxy26(ctx);
      return {
        ...base,
        severity: crosses ? 'blocker' : 'warning',
        title: `${name} is firing: routes carry responses with duplicate Transfer-Encoding headers${crosses ? `, which the ${haproxy26Release} router (HAProxy 2.6) rejects` : ''}`,
        fix: 'Update the applications behind these routes so they no longer send multiple Transfer-Encoding headers (e.g. remove the duplicate header from the application configuration); otherwise they become unreachable through their routes.',
      };
    }
    default:
      return {
        ...base,
        severity: 'blocker',
        title: `critical alert ${name} is firing`,
        fix: `Resolve ${name} before updating (Observe → Alerting in the console, or the alert's runbook); an update started with critical alerts can leave the cluster in a problematic state.`,
      };
  }
}

const named: ReadonlySet<string> = new Set([
  apiAlerts.removedInNextRelease,
  apiAlerts.removedInNextEusRelease,
  namedAlerts.clusterNotUpgradeable,
  namedAlerts.duplicateTransferEncoding,
]);

export const alertsCheck: Check = {
  id: alertsId,
  title: 'Firing alerts: critical ones and those seed 001 names',
  async run(ctx) {
    if (ctx.alerts === undefined) {
      const why = ctx.unavailableSources?.prometheus;
      return [
        {
          check: alertsId,
          severity: 'info',
          title:
            why === undefined
              ? 'not checked: no Prometheus configured (--prometheus)'
              : `not checked: ${why}`,
          evidence: {},
          fix: 'Pass --prometheus <url> (e.g. the thanos-querier route of openshift-monitoring), or review Observe → Alerting in the console.',
        },
      ];
    }
    const firing = (await ctx.alerts()).filter((a) => a.state === 'firing');
    const relevant = firing.filter((a) => named.has(nameOf(a)) || a.labels.severity === 'critical');
    const findings = [...grouped(relevant)].map(([name, list]) => findingFor(name, list, ctx));
    const rank = (s: Severity): number => (s === 'blocker' ? 0 : s === 'warning' ? 1 : 2);
    return findings.sort((a, b) => rank(a.severity) - rank(b.severity) || a.title.localeCompare(b.title));
  },
};
