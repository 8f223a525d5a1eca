/**
 * The sample application the lab puts on target hosts, so an image-based upgrade has real state to
 * carry across: a namespace with a Deployment, a ConfigMap, a Secret, and a PVC bound to a
 * host-path PV whose data file lives outside every stateroot (as a real PV's disk does).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../client/object.ts';
import type { SimulatedHost } from './sim-host.ts';

export const sampleAppNamespace = 'sample-app';
export const sampleAppClusterRole = 'sample-app-reader';

export function sampleVolumeDir(host: Pick<SimulatedHost, 'dir'>): string {
  return path.join(host.dir, 'volumes', 'app-data');
}

function objects(host: SimulatedHost): KubeObject[] {
  const labels = { app: 'web' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: sampleAppNamespace, labels: { 'lcm.io/sample': 'true' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config', namespace: sampleAppNamespace, labels },
      data: { greeting: `hello from ${host.name}` },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-secret', namespace: sampleAppNamespace, labels },
      stringData: { token: `token-of-${host.name}` },
    },
    {
      // Cluster-scoped, so the rehearsal carries it in a Backup of its own by apply-label (IBU-15/16).
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: sampleAppClusterRole, labels },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `app-data-${host.name}`, labels },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'local',
        hostPath: { path: sampleVolumeDir(host) },
        claimRef: { namespace: sampleAppNamespace, name: 'app-data' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'app-data', namespace: sampleAppNamespace, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        volumeName: `app-data-${host.name}`,
        resources: { requests: { storage: '1Gi' } },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: sampleAppNamespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'quay.io/lcm-lab/web:1.0',
                envFrom: [{ configMapRef: { name: 'web-config' } }],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'app-data' } }],
          },
        },
      },
    },
  ];
}

/** Installs the sample app if missing (idempotent) and returns the content of its data file. */
export async function installSampleApp(host: SimulatedHost): Promise<string> {
  const client = host.client();
  for (const object of objects(host)) await client.createIfMissing(object);
  // No kubelet or volume binder runs in the lab: report what they would on a healthy node.
  const statuses: [{ apiVersion: string; kind: string }, string, string | undefined, unknown][] = [
    [{ apiVersion: 'v1', kind: 'PersistentVolume' }, `app-data-${host.name}`, undefined, { phase: 'Bound' }],
    [
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
      'app-data',
      sampleAppNamespace,
      { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
    ],
    [
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      'web',
      sampleAppNamespace,
      { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
    ],
  ];
  for (const [type, name, namespace, status] of statuses) {
    await client.patch(
      type,
      name,
      { status },
      { type: 'merge', subresource: 'status', ...(namespace ? { namespace } : {}) },
    );
  }
  const dataFile = path.join(sampleVolumeDir(host), 'data.txt');
  await mkdir(path.dirname(dataFile), { recursive: true });
  try {
    return await readFile(dataFile, 'utf8');
  } catch {
    const content = `written on ${host.name} before any upgrade\n`;
    await writeFile(dataFile, content);
    return content;
  }
}
