/**
 * Request bodies captured from real kubectl v1.33.9 (`kubectl create …` against a server that saved
 * what it received). Each expectation equals what `kubectl create … --dry-run=client -o json`
 * prints for the same command, minus the nulls Go writes for unset timestamps.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { decodeProtobufObject } from '../../../src/apiserver/protobuf/decode.ts';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`fixtures/${name}.bin`, import.meta.url));

describe('protobuf bodies sent by kubectl 1.33', () => {
  it('kubectl create configmap cm1 --from-literal=a=b --from-literal=greeting=hello', () => {
    assert.deepEqual(decodeProtobufObject(fixture('configmap')), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm1', namespace: 'default' },
      data: { a: 'b', greeting: 'hello' },
    });
  });

  it('kubectl create secret generic s1 --from-file=blob=<binary> --from-literal=user=admin', () => {
    assert.deepEqual(decodeProtobufObject(fixture('secret-generic')), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's1', namespace: 'default' },
      data: { blob: 'AAEC//4=', user: 'YWRtaW4=' },
    });
  });

  it('kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=8080', () => {
    assert.deepEqual(decodeProtobufObject(fixture('deployment')), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.27', resources: {}, ports: [{ containerPort: 8080 }] },
            ],
          },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('kubectl create rolebinding rb1 --clusterrole=view --user=alice --serviceaccount=default:sa1', () => {
    assert.deepEqual(decodeProtobufObject(fixture('rolebinding')), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb1', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'ServiceAccount', name: 'sa1', namespace: 'default' },
      ],
    });
  });

  it('kubectl create service clusterip svc1 --tcp=80:8080 --tcp=443:named', () => {
    assert.deepEqual(decodeProtobufObject(fixture('service-clusterip')), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc1', namespace: 'default', labels: { app: 'svc1' } },
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
          { name: '443-named', protocol: 'TCP', port: 443, targetPort: 'named' },
        ],
        selector: { app: 'svc1' },
      },
      status: { loadBalancer: {} },
    });
  });

  it('kubectl create poddisruptionbudget pdb1 --selector=app=web --min-available=50%', () => {
    assert.deepEqual(decodeProtobufObject(fixture('poddisruptionbudget')), {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'pdb1', namespace: 'default' },
      spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
      // Go writes these non-omitempty int32s even when zero, exactly as its JSON does.
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
  });

  it('kubectl create token sa1 --duration=1h --audience=api', () => {
    assert.deepEqual(decodeProtobufObject(fixture('tokenrequest')), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: {},
      spec: { expirationSeconds: 3600, audiences: ['api'] },
      status: { token: '' },
    });
  });
});
