/**
 * A synthetic manifest repository for the scan benchmark: many directories of multi-document YAML
 * and some JSON Lists, mixed kinds, a share of them on APIs Kubernetes has removed. Deterministic
 * (seeded), so runs compare.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Corpus {
  readonly files: readonly string[];
  readonly bytes: number;
  readonly objects: number;
  /** Objects on an API removed by Kubernetes 1.27 or earlier (blockers for OpenShift 4.14). */
  readonly removedBy127: number;
  /** Objects on an API removed after 1.27 (warnings for OpenShift 4.14). */
  readonly removedLater: number;
}

/** mulberry32: small, fast, good enough to vary a corpus. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Kind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly body: (name: string, rnd: () => number) => string;
  /** 'blocker' when removed by 1.27, 'later' when removed after it. */
  readonly removed?: 'blocker' | 'later';
}

const labels = (name: string): string =>
  `  labels:\n    app: ${name}\n    tier: backend\n    team: payments\n`;

const podSpec = (name: string, rnd: () => number): string =>
  `      containers:
        - name: ${name}
          image: quay.example.com/shop/${name}:1.${Math.floor(rnd() * 40)}.0
          args: ["--port=8080", "--log-level=info"]
          ports:
            - containerPort: 8080
              name: http
          env:
            - name: MODE
              value: production
            - name: REPLICA_ZONE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['topology.kubernetes.io/zone']
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 512Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 10
`;

const workload = (apiVersion: string, kind: string, removed?: Kind['removed']): Kind => ({
  apiVersion,
  kind,
  removed,
  body: (name, rnd) =>
    `spec:\n  replicas: ${1 + Math.floor(rnd() * 5)}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n${podSpec(name, rnd)}`,
});

const current: readonly Kind[] = [
  workload('apps/v1', 'Deployment'),
  workload('apps/v1', 'StatefulSet'),
  {
    apiVersion: 'v1',
    kind: 'Service',
    body: (name) =>
      `spec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`,
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    body: (name, rnd) =>
      `data:\n  application.properties: |\n    server.port=8080\n    feature.${name}=${rnd() > 0.5}\n    cache.ttl=${Math.floor(rnd() * 600)}\n  log-level: info\n`,
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    body: (name) =>
      `spec:\n  rules:\n    - host: ${name}.apps.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${name}\n                port:\n                  number: 80\n`,
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    body: (name) => `spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: ${name}\n`,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    body: () =>
      `rules:\n  - apiGroups: [""]\n    resources: ["configmaps", "secrets"]\n    verbs: ["get", "list", "watch"]\n`,
  },
];

const removed: readonly Kind[] = [
  workload('extensions/v1beta1', 'Deployment', 'blocker'),
  {
    apiVersion: 'batch/v1beta1',
    kind: 'CronJob',
    removed: 'blocker',
    body: (name, rnd) =>
      `spec:\n  schedule: "${Math.floor(rnd() * 60)} * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec(name, rnd).replace(/^ {6}/gm, '          ')}`,
  },
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    removed: 'blocker',
    body: (name) => `spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: ${name}\n`,
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kind: 'Ingress',
    removed: 'blocker',
    body: (name) =>
      `spec:\n  backend:\n    serviceName: ${name}\n    servicePort: 80\n  rules:\n    - host: ${name}.apps.example.com\n`,
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kind: 'HorizontalPodAutoscaler',
    removed: 'blocker',
    body: (name) =>
      `spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${name}\n  minReplicas: 2\n  maxReplicas: 10\n`,
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kind: 'FlowSchema',
    removed: 'later',
    body: () => `spec:\n  matchingPrecedence: 1000\n  priorityLevelConfiguration:\n    name: workload-low\n`,
  },
];

function manifest(kind: Kind, name: string, namespace: string, rnd: () => number): string {
  return `apiVersion: ${kind.apiVersion}\nkind: ${kind.kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${labels(name)}${kind.body(name, rnd)}`;
}

/**
 * Writes at least `objects` manifests under `dir`: `objects / 4` directories' worth of files holding
 * 1–8 documents each, every 20th file a JSON `List`. About `removedShare` of the objects use removed APIs.
 */
export async function writeCorpus(dir: string, objects: number, removedShare = 0.15): Promise<Corpus> {
  const rnd = random(20_240_614);
  const files: string[] = [];
  let bytes = 0;
  let written = 0;
  let removedBy127 = 0;
  let removedLater = 0;
  const pick = (): Kind => {
    if (rnd() < removedShare) {
      const kind = removed[Math.floor(rnd() * removed.length)] as Kind;
      if (kind.removed === 'blocker') removedBy127++;
      else removedLater++;
      return kind;
    }
    return current[Math.floor(rnd() * current.length)] as Kind;
  };
  const dirs = Math.max(1, Math.round(objects / 200));
  for (let d = 0; d < dirs; d++) await mkdir(path.join(dir, `team-${d}`, 'manifests'), { recursive: true });
  for (let f = 0; written < objects; f++) {
    const count = Math.min(objects - written, 1 + Math.floor(rnd() * 8));
    const sub = path.join(dir, `team-${f % dirs}`, f % 3 === 0 ? '' : 'manifests');
    const namespace = `team-${f % dirs}`;
    let text: string;
    let file: string;
    if (f % 20 === 19) {
      const { parseDocument } = await import('yaml');
      const items = Array.from(
        { length: count },
        (_, i) => parseDocument(manifest(pick(), `app-${f}-${i}`, namespace, rnd)).toJS() as unknown,
      );
      text = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`;
      file = path.join(sub, `list-${f}.json`);
    } else {
      const docs = Array.from({ length: count }, (_, i) => manifest(pick(), `app-${f}-${i}`, namespace, rnd));
      text = docs.join('---\n');
      file = path.join(sub, `app-${f}.yaml`);
    }
    await writeFile(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
    written += count;
  }
  return { files, bytes, objects: written, removedBy127, removedLater };
}
