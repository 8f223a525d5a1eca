import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeProtobufObject, ProtobufDecodeError } from '../../../src/apiserver/protobuf/decode.ts';
import { k8sEnvelope, ProtoWriter } from './proto-writer.ts';

type Build = (w: ProtoWriter) => void;

/** ObjectMeta as Go marshals it: every non-pointer string written, empty or not. */
const objectMeta =
  (name: string, namespace: string, more: Build = () => {}): Build =>
  (m) => {
    m.string(1, name)
      .string(2, '')
      .string(3, namespace)
      .string(4, '')
      .string(5, '')
      .string(6, '')
      .varint(7, 0);
    m.message(8, () => {});
    more(m);
  };

const quantity =
  (value: string): Build =>
  (q) =>
    q.string(1, value);

describe('decodeProtobufObject', () => {
  it('decodes a ConfigMap with data, binaryData and labels, dropping the empty strings Go writes', () => {
    const body = k8sEnvelope(
      'v1',
      'ConfigMap',
      new ProtoWriter()
        .message(
          1,
          objectMeta('settings', 'apps', (m) => m.stringMap(11, { app: 'web', tier: 'front' })),
        )
        .stringMap(2, { 'log.level': 'debug', empty: '' })
        .message(3, (e) => e.string(1, 'blob').bytes(2, Uint8Array.of(0, 1, 2, 0xff))),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'apps', labels: { app: 'web', tier: 'front' } },
      data: { 'log.level': 'debug', empty: '' },
      binaryData: { blob: 'AAEC/w==' },
    });
  });

  it('decodes a Secret: data as base64, stringData as text, type, and immutable=false kept', () => {
    const body = k8sEnvelope(
      'v1',
      'Secret',
      new ProtoWriter()
        .message(1, objectMeta('creds', 'default'))
        .message(2, (e) => e.string(1, 'key').bytes(2, Uint8Array.of(0xde, 0xad, 0xbe, 0xef)))
        .string(3, 'Opaque')
        .stringMap(4, { user: 'admin' })
        .varint(5, false),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'default' },
      data: { key: '3q2+7w==' },
      type: 'Opaque',
      stringData: { user: 'admin' },
      immutable: false,
    });
  });

  it('decodes a Namespace with finalizers, owner references, a timestamp and a generation', () => {
    const body = k8sEnvelope(
      'v1',
      'Namespace',
      new ProtoWriter()
        .message(1, (m) => {
          m.string(1, 'team-a').string(5, 'c0ffee').string(6, '42').varint(7, 3);
          m.message(8, (t) => t.varint(1, 1_700_000_000).varint(2, 500_000_000));
          m.message(13, (o) =>
            o.string(1, 'Tenant').string(3, 'a').string(4, 'u-1').string(5, 'example.com/v1').varint(6, true),
          );
          m.string(14, 'example.com/cleanup');
        })
        .message(2, (s) => s.string(1, 'kubernetes'))
        .message(3, () => {}),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'team-a',
        uid: 'c0ffee',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2023-11-14T22:13:20Z',
        ownerReferences: [
          { kind: 'Tenant', name: 'a', uid: 'u-1', apiVersion: 'example.com/v1', controller: true },
        ],
        finalizers: ['example.com/cleanup'],
      },
      spec: { finalizers: ['kubernetes'] },
      status: {},
    });
  });

  it('decodes a Deployment with a full container, inline volume sources, and keeps replicas 0', () => {
    const container: Build = (c) => {
      c.string(1, 'web').string(2, 'nginx:1.27').string(3, 'nginx').string(4, '-g').string(4, 'daemon off;');
      c.message(6, (p) => p.string(1, 'http').varint(2, 0).varint(3, 8080).string(4, 'TCP').string(5, ''));
      c.message(7, (e) => e.string(1, 'MODE').string(2, 'prod'));
      c.message(7, (e) =>
        e
          .string(1, 'TOKEN')
          .string(2, '')
          .message(3, (s) =>
            s.message(4, (k) =>
              k
                .message(1, (r) => r.string(1, 'creds'))
                .string(2, 'token')
                .varint(3, true),
            ),
          ),
      );
      c.message(8, (r) => {
        r.message(1, (e) => e.string(1, 'memory').message(2, quantity('256Mi')));
        r.message(2, (e) => e.string(1, 'cpu').message(2, quantity('100m')));
      });
      c.message(9, (v) => v.string(1, 'config').varint(2, true).string(3, '/etc/app').string(4, ''));
    };
    const podSpec: Build = (p) => {
      p.message(1, (v) =>
        v
          .string(1, 'config')
          .message(2, (s) => s.message(19, (c) => c.message(1, (r) => r.string(1, 'app-config')))),
      );
      p.message(1, (v) =>
        v.string(1, 'scratch').message(2, (s) => s.message(2, (e) => e.string(1, 'Memory'))),
      );
      p.message(1, (v) =>
        v.string(1, 'data').message(2, (s) => s.message(10, (c) => c.string(1, 'data-pvc').varint(2, false))),
      );
      p.message(1, (v) =>
        v.string(1, 'tls').message(2, (s) => s.message(6, (c) => c.string(1, 'tls-secret').varint(3, 0o420))),
      );
      p.message(1, (v) =>
        v
          .string(1, 'host')
          .message(2, (s) => s.message(1, (h) => h.string(1, '/var/log').string(2, 'Directory'))),
      );
      p.message(2, container);
      p.string(3, 'Always').varint(4, 30).string(6, 'ClusterFirst').varint(11, false);
    };
    const body = k8sEnvelope(
      'apps/v1',
      'Deployment',
      new ProtoWriter()
        .message(
          1,
          objectMeta('web', 'default', (m) => m.stringMap(11, { app: 'web' })),
        )
        .message(2, (s) => {
          s.varint(1, 0);
          s.message(2, (l) => l.stringMap(1, { app: 'web' }));
          s.message(3, (t) =>
            t
              .message(
                1,
                objectMeta('', '', (m) => m.stringMap(11, { app: 'web' })),
              )
              .message(2, podSpec),
          );
          s.message(4, (st) =>
            st.string(1, 'RollingUpdate').message(2, (r) => {
              r.message(1, (i) => i.varint(1, 0).varint(2, 1));
              r.message(2, (i) => i.varint(1, 1).string(3, '25%'));
            }),
          );
          s.varint(5, 0).varint(7, false);
        })
        .message(3, () => {}),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            volumes: [
              { name: 'config', configMap: { name: 'app-config' } },
              { name: 'scratch', emptyDir: { medium: 'Memory' } },
              { name: 'data', persistentVolumeClaim: { claimName: 'data-pvc' } },
              { name: 'tls', secret: { secretName: 'tls-secret', defaultMode: 0o420 } },
              { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
            ],
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27',
                command: ['nginx'],
                args: ['-g', 'daemon off;'],
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                env: [
                  { name: 'MODE', value: 'prod' },
                  {
                    name: 'TOKEN',
                    valueFrom: { secretKeyRef: { name: 'creds', key: 'token', optional: true } },
                  },
                ],
                resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m' } },
                volumeMounts: [{ name: 'config', readOnly: true, mountPath: '/etc/app' }],
              },
            ],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      },
      status: {},
    });
  });

  it('decodes a RoleBinding with its subjects and roleRef', () => {
    const body = k8sEnvelope(
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      new ProtoWriter()
        .message(1, objectMeta('readers', 'dev'))
        .message(2, (s) =>
          s.string(1, 'User').string(2, 'rbac.authorization.k8s.io').string(3, 'alice').string(4, ''),
        )
        .message(2, (s) => s.string(1, 'ServiceAccount').string(2, '').string(3, 'ci').string(4, 'dev'))
        .message(3, (r) =>
          r.string(1, 'rbac.authorization.k8s.io').string(2, 'ClusterRole').string(3, 'view'),
        ),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'readers', namespace: 'dev' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'dev' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    });
  });

  it('decodes an Eviction whose DeleteOptions keep gracePeriodSeconds 0 and preconditions', () => {
    const body = k8sEnvelope(
      'policy/v1',
      'Eviction',
      new ProtoWriter().message(1, objectMeta('web-7d9f', 'default')).message(2, (d) =>
        d
          .varint(1, 0)
          .message(2, (p) => p.string(1, 'u-42'))
          .string(4, 'Foreground')
          .string(5, 'All'),
      ),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-7d9f', namespace: 'default' },
      deleteOptions: {
        gracePeriodSeconds: 0,
        preconditions: { uid: 'u-42' },
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      },
    });
  });

  it('accepts DeleteOptions under any decoded group version, as AddToGroupVersion registers them', () => {
    const options = new ProtoWriter().varint(1, 5).varint(3, true);
    for (const apiVersion of ['meta.k8s.io/v1', 'apps/v1', 'v1']) {
      assert.deepEqual(decodeProtobufObject(k8sEnvelope(apiVersion, 'DeleteOptions', options)), {
        apiVersion,
        kind: 'DeleteOptions',
        gracePeriodSeconds: 5,
        orphanDependents: true,
      });
    }
  });

  it('decodes a Service port targetPort as a number or a name (IntOrString)', () => {
    const body = k8sEnvelope(
      'v1',
      'Service',
      new ProtoWriter().message(1, objectMeta('api', 'default')).message(2, (s) => {
        s.message(1, (p) =>
          p
            .string(1, 'http')
            .string(2, 'TCP')
            .varint(3, 80)
            .message(4, (i) => i.varint(1, 0).varint(2, 8080))
            .varint(5, 0),
        );
        s.message(1, (p) =>
          p
            .string(1, 'grpc')
            .string(2, 'TCP')
            .varint(3, 9090)
            .message(4, (i) => i.varint(1, 1).string(3, 'grpc')),
        );
        s.stringMap(2, { app: 'api' }).string(3, '').string(4, 'ClusterIP');
      }),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'default' },
      spec: {
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
          { name: 'grpc', protocol: 'TCP', port: 9090, targetPort: 'grpc' },
        ],
        selector: { app: 'api' },
        type: 'ClusterIP',
      },
    });
  });

  it('skips fields this schema does not know, such as ones added by a newer client', () => {
    const body = k8sEnvelope(
      'v1',
      'ConfigMap',
      new ProtoWriter().message(1, objectMeta('x', 'y')).varint(99, 7).string(100, 'future').fixed64(101, 1n),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'y' },
    });
  });

  it('refuses a body without the protobuf magic', () => {
    assert.throws(() => decodeProtobufObject(new TextEncoder().encode('k8s{}')), {
      name: 'ProtobufDecodeError',
      message: /magic bytes/,
    });
  });

  it('refuses a truncated object message with the kind in the message', () => {
    const object = new ProtoWriter().message(1, objectMeta('settings', 'apps')).finish();
    assert.throws(() => decodeProtobufObject(k8sEnvelope('v1', 'ConfigMap', object.subarray(0, 5))), {
      name: 'ProtobufDecodeError',
      message: /^cannot decode v1 ConfigMap from protobuf: truncated message/,
    });
  });

  it('refuses a body cut off mid-envelope', () => {
    const body = k8sEnvelope('v1', 'ConfigMap', new ProtoWriter().message(1, objectMeta('settings', 'apps')));
    assert.throws(() => decodeProtobufObject(body.subarray(0, body.length - 10)), ProtobufDecodeError);
  });

  it('names the decodable group versions when a kind is unknown, so the client knows to send JSON', () => {
    const body = k8sEnvelope('example.com/v1', 'Widget', new ProtoWriter());
    assert.throws(
      () => decodeProtobufObject(body),
      (err: unknown) => {
        assert.ok(err instanceof ProtobufDecodeError);
        assert.match(err.message, /^protobuf bodies are decoded for v1, apps\/v1, batch\/v1, /);
        assert.match(err.message, /; send JSON for example\.com\/v1, Kind=Widget$/);
        return true;
      },
    );
    assert.throws(
      () => decodeProtobufObject(k8sEnvelope('apps/v1', 'ConfigMap', new ProtoWriter())),
      /Kind=ConfigMap$/,
    );
  });

  it('reports a field sent with the wrong wire type', () => {
    const body = k8sEnvelope('v1', 'ConfigMap', new ProtoWriter().varint(1, 5));
    assert.throws(
      () => decodeProtobufObject(body),
      /ConfigMap\.metadata: wire type 0 where the schema expects wire type 2/,
    );
  });
});
