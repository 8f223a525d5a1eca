/**
 * UPD-5: the acknowledgements a minor update waits for. The CVO lists gates in `admin-gates`
 * (openshift-config-managed) as `ack-<from minor>-…: <why>`; a gate applies while the cluster leaves
 * that minor, and the update is blocked until `admin-acks` (openshift-config) holds the key as "true".
 */
import { adminAcks, adminGates } from '../../api/config/constants.ts';
import { compareMinor, minorOf } from '../../api/removals/index.ts';
import type { Check, ReadinessContext } from '../report/context.ts';
import type { Finding } from '../report/types.ts';
import { types, type ConfigMap } from './support/kinds.ts';

export const adminAcksId = 'UPD-5/admin-acks';

/** The CVO's adminAckGateRegexp: the minor the gate is for follows `ack-`. */
const gateKey = /^ack-([4-5]\.[0-9]+)-[^-]/;

/** The exact line that acknowledges `key` (seed 001's command, with kubectl). */
export function ackCommand(key: string): string {
  return `kubectl -n ${adminAcks.namespace} patch cm ${adminAcks.name} --patch '{"data":{"${key}":"true"}}' --type=merge`;
}

/** Gates crossed by current → target: those for a minor in [current, target). */
function applies(gateMinor: string, ctx: ReadinessContext): boolean {
  return compareMinor(gateMinor, ctx.currentVersion) >= 0 && compareMinor(gateMinor, ctx.targetVersion) < 0;
}

export const adminAcksCheck: Check = {
  id: adminAcksId,
  title: 'Administrator acknowledgements (admin-acks)',
  async run(ctx) {
    if (minorOf(ctx.currentVersion) === undefined)
      return [
        {
          check: adminAcksId,
          severity: 'info',
          title: 'not checked: the current version is unknown (no ClusterVersion)',
          evidence: {},
          fix: 'Nothing to do on a cluster without a Cluster Version Operator.',
        },
      ];
    if (compareMinor(ctx.currentVersion, ctx.targetVersion) >= 0) return [];
    const [gates, acks] = await Promise.all([
      ctx.client.get<ConfigMap>(types.configMap, adminGates.name, adminGates.namespace),
      ctx.client.get<ConfigMap>(types.configMap, adminAcks.name, adminAcks.namespace),
    ]);
    if (gates === undefined)
      return [
        {
          check: adminAcksId,
          severity: 'info',
          title: `no ${adminGates.namespace}/${adminGates.name} ConfigMap: the cluster declares no acknowledgement gates`,
          evidence: {},
          fix: 'Nothing to do; an OpenShift cluster always has this ConfigMap, so check that this is one.',
        },
      ];
    const findings: Finding[] = [];
    for (const [key, reason] of Object.entries(gates.data ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const minor = gateKey.exec(key)?.[1];
      if (minor === undefined) {
        findings.push({
          check: adminAcksId,
          severity: 'warning',
          title: `admin-gates key ${JSON.stringify(key)} is not of the form ack-<4.y>-<description>`,
          evidence: { objects: [`ConfigMap/${adminGates.namespace}/${adminGates.name}`] },
          fix: 'The Cluster Version Operator reports such a key as an error (AdminAckConfigMapGateKeyError); ask support.',
        });
        continue;
      }
      if (!applies(minor, ctx) || acks?.data?.[key] === 'true') continue;
      findings.push({
        check: adminAcksId,
        severity: 'blocker',
        title: `acknowledgement ${key} is required before updating from ${ctx.currentVersion} to ${ctx.targetVersion}`,
        evidence: {
          objects: [
            `ConfigMap/${adminGates.namespace}/${adminGates.name}`,
            `ConfigMap/${adminAcks.namespace}/${adminAcks.name}`,
          ],
          details: [
            reason === '' ? '(the gate gives no description)' : reason,
            acks === undefined
              ? `${adminAcks.namespace}/${adminAcks.name} does not exist`
              : acks.data?.[key] === undefined
                ? `${adminAcks.namespace}/${adminAcks.name} has no ${key} key`
                : `${adminAcks.namespace}/${adminAcks.name} has ${key}=${JSON.stringify(acks.data[key])}, not "true"`,
          ],
        },
        fix:
          acks === undefined
            ? `kubectl -n ${adminAcks.namespace} create configmap ${adminAcks.name} --from-literal=${key}=true`
            : ackCommand(key),
      });
    }
    return findings;
  },
};
