import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { KubeObject } from '../../src/client/object.ts';
import type { ClusterIdentity, ClusterStateDump, RecertResult } from '../../src/host/recert.ts';
import { recertClusterState } from '../../src/host/recert.ts';
import { runCommand } from '../../src/host/run-command.ts';
import type { PemBlock } from '../../src/host/x509.ts';
import {
  createCertificateAuthority,
  describeCertificate,
  issueCertificate,
  splitPem,
  verifyChain,
} from '../../src/host/x509.ts';
import { seedClusterCertificates } from '../../src/lab/seed-certificates.ts';

const opensslMissing = await runCommand('openssl', ['version']).then(
  () => false,
  () => 'the openssl CLI is not installed',
);

const seed: ClusterIdentity = {
  clusterName: 'seed',
  baseDomain: 'lab.example.com',
  hostname: 'seed-node',
  nodeIP: '192.168.126.10',
};
const target: ClusterIdentity = {
  clusterName: 'sno7',
  baseDomain: 'edge.example.org',
  hostname: 'sno7-node',
  nodeIP: '10.20.30.40',
};
const seedClusterID = '6c1e1d2e-0b7a-4f5e-9c39-2a4a0f0e7a11';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

function storageKey(object: KubeObject): string {
  const resource = `${object.kind.toLowerCase()}s`;
  const { namespace, name } = object.metadata;
  return namespace === undefined ? `core/${resource}/${name}` : `core/${resource}/${namespace}/${name}`;
}

/** A corporate root the seed only trusts: no key of it and nothing it signed is in the state. */
const externalCa = createCertificateAuthority({ commonName: 'Example Corp Root CA', validityDays: 3650 });
const serviceAccountKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

const appConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'default' },
  data: { greeting: 'hello' },
};
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'openshift-etcd' } };

function seedState(): ClusterStateDump {
  const items = seedClusterCertificates(seed).map((object) => ({
    key: storageKey(object),
    value: object,
  }));
  items.push(
    { key: 'core/namespaces/openshift-etcd', value: namespace },
    { key: 'core/configmaps/default/app', value: appConfigMap },
    {
      key: `core/nodes/${seed.hostname}`,
      value: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: seed.hostname,
          labels: { 'kubernetes.io/hostname': seed.hostname, 'node-role.kubernetes.io/master': '' },
        },
        status: {
          addresses: [
            { type: 'InternalIP', address: seed.nodeIP },
            { type: 'Hostname', address: seed.hostname },
          ],
          nodeInfo: { machineID: seedClusterID.replace(/-/g, ''), systemUUID: seedClusterID },
        },
      },
    },
    {
      key: 'config.openshift.io/clusterversions/version',
      value: {
        apiVersion: 'config.openshift.io/v1',
        kind: 'ClusterVersion',
        metadata: { name: 'version' },
        spec: { clusterID: seedClusterID, channel: 'stable-4.16' },
      },
    },
    {
      key: 'config.openshift.io/infrastructures/cluster',
      value: {
        apiVersion: 'config.openshift.io/v1',
        kind: 'Infrastructure',
        metadata: { name: 'cluster' },
        status: {
          infrastructureName: 'seed-x7k2p',
          apiServerURL: `https://api.seed.lab.example.com:6443`,
          apiServerInternalURI: `https://api-int.seed.lab.example.com:6443`,
        },
      },
    },
    {
      key: 'config.openshift.io/dnses/cluster',
      value: {
        apiVersion: 'config.openshift.io/v1',
        kind: 'DNS',
        metadata: { name: 'cluster' },
        spec: { baseDomain: 'seed.lab.example.com' },
      },
    },
    {
      key: 'core/secrets/openshift-kube-apiserver/localhost-recovery-client-token',
      value: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'localhost-recovery-client-token', namespace: 'openshift-kube-apiserver' },
        type: 'Opaque',
        data: {
          kubeconfig: b64('clusters:\n- cluster:\n    server: https://api-int.seed.lab.example.com:6443\n'),
        },
      },
    },
    {
      key: 'core/secrets/openshift-kube-controller-manager/service-account-private-key',
      value: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'service-account-private-key', namespace: 'openshift-kube-controller-manager' },
        type: 'Opaque',
        data: {
          'service-account.key': b64(
            serviceAccountKey.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
          ),
        },
      },
    },
    {
      key: 'core/configmaps/openshift-kube-apiserver/sa-token-signing-certs',
      value: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'sa-token-signing-certs', namespace: 'openshift-kube-apiserver' },
        data: {
          'service-account-001.pub': serviceAccountKey.publicKey
            .export({ type: 'spki', format: 'pem' })
            .toString(),
        },
      },
    },
    {
      key: 'core/configmaps/openshift-config-managed/trusted-ca-bundle',
      value: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'trusted-ca-bundle', namespace: 'openshift-config-managed' },
        data: { 'ca-bundle.crt': externalCa.certPem },
      },
    },
  );
  return { items };
}

const value = (dump: ClusterStateDump, key: string): Record<string, unknown> => {
  const item = dump.items.find((i) => i.key === key);
  assert.ok(item, `${key} is in the state`);
  return item.value as Record<string, unknown>;
};
const data = (dump: ClusterStateDump, key: string): Record<string, string> =>
  value(dump, key).data as Record<string, string>;
const secretText = (dump: ClusterStateDump, key: string, entry: string): string =>
  unb64(data(dump, key)[entry] ?? '');

/** Every PEM block of the state: Secret data decoded, ConfigMap data as it is. */
function pemBlocks(dump: ClusterStateDump): PemBlock[] {
  return dump.items.flatMap((item) => {
    const entries = Object.values((item.value as { data?: Record<string, string> }).data ?? {});
    const texts = item.key.startsWith('core/secrets/') ? entries.map(unb64) : entries;
    return texts.flatMap((text) => splitPem(text).filter((p): p is PemBlock => typeof p !== 'string'));
  });
}

/** SPKI (hex) of every key of the state, private keys and certificates alike. */
function publicKeysOf(dump: ClusterStateDump, kinds: 'private' | 'all'): Set<string> {
  const keys = new Set<string>();
  for (const block of pemBlocks(dump)) {
    const spki = (key: ReturnType<typeof createPublicKey>) =>
      key.export({ type: 'spki', format: 'der' }).toString('hex');
    if (block.label.endsWith('PRIVATE KEY')) {
      const type =
        block.label === 'PRIVATE KEY' ? 'pkcs8' : block.label === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs1';
      keys.add(spki(createPublicKey(createPrivateKey({ key: block.der, format: 'der', type }))));
    } else if (kinds === 'all' && block.label === 'CERTIFICATE') {
      keys.add(spki(new X509Certificate(block.der).publicKey));
    }
  }
  return keys;
}

const leafSecrets = [
  {
    secret: 'openshift-kube-apiserver/serving-cert',
    bundle: 'openshift-config-managed/kube-apiserver-server-ca',
  },
  {
    secret: 'openshift-ingress/router-certs-default',
    bundle: 'openshift-config-managed/default-ingress-cert',
  },
  {
    secret: 'openshift-kube-apiserver/kubelet-client',
    bundle: 'openshift-config/admin-kubeconfig-client-ca',
  },
  {
    secret: `openshift-etcd/etcd-serving-${target.hostname}`,
    bundle: 'openshift-config/etcd-ca-bundle',
    seedName: `openshift-etcd/etcd-serving-${seed.hostname}`,
  },
  {
    secret: `openshift-etcd/etcd-peer-${target.hostname}`,
    bundle: 'openshift-etcd/etcd-ca-bundle',
    seedName: `openshift-etcd/etcd-peer-${seed.hostname}`,
  },
];

let dir: string;
let seedDump: ClusterStateDump;
let first: RecertResult;
let second: RecertResult;
let files = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lcm-recert-'));
  seedDump = seedState();
  first = recertClusterState(seedDump, { ...target, seed });
  second = recertClusterState(seedDump, { ...target, seed });
});
after(() => rm(dir, { recursive: true, force: true }));

async function opensslVerify(caPem: string, leafPem: string): Promise<string> {
  const ca = join(dir, `${files++}.pem`);
  const leaf = join(dir, `${files++}.pem`);
  await writeFile(ca, caPem);
  await writeFile(leaf, leafPem);
  return runCommand('openssl', ['verify', '-CAfile', ca, leaf]).then(
    (result) => result.stdout.trim(),
    (error: unknown) => String(error),
  );
}

describe('the seed cluster certificates of a simulated installation', { skip: opensslMissing }, () => {
  test('three distinct signers; every leaf verifies with openssl against its trust bundle and against no other', async () => {
    const issuers = new Set(
      leafSecrets.map(
        ({ secret, seedName }) =>
          describeCertificate(secretText(seedDump, `core/secrets/${seedName ?? secret}`, 'tls.crt')).issuer,
      ),
    );
    assert.deepEqual([...issuers].sort(), [
      'OU=openshift, CN=admin-kubeconfig-signer',
      'OU=openshift, CN=etcd-signer',
      'OU=openshift, CN=kube-apiserver-lb-signer',
    ]);
    for (const { secret, bundle, seedName } of leafSecrets) {
      const leaf = secretText(seedDump, `core/secrets/${seedName ?? secret}`, 'tls.crt');
      const caBundle = data(seedDump, `core/configmaps/${bundle}`)['ca-bundle.crt'] ?? '';
      assert.match(await opensslVerify(caBundle, leaf), /: OK$/, secret);
      assert.equal(verifyChain(leaf, externalCa.certPem), false);
    }
    const api = describeCertificate(
      secretText(seedDump, 'core/secrets/openshift-kube-apiserver/serving-cert', 'tls.crt'),
    );
    assert.equal(api.subject, 'CN=api.seed.lab.example.com');
    assert.deepEqual(api.sans, [
      'DNS:api.seed.lab.example.com',
      'DNS:api-int.seed.lab.example.com',
      'IP:192.168.126.10',
    ]);
    const router = describeCertificate(
      secretText(seedDump, 'core/secrets/openshift-ingress/router-certs-default', 'tls.crt'),
    );
    assert.deepEqual(router.sans, ['DNS:*.apps.seed.lab.example.com']);
    assert.deepEqual(
      describeCertificate(
        secretText(seedDump, 'core/secrets/openshift-kube-apiserver/kubelet-client', 'tls.crt'),
      ).extendedKeyUsage,
      ['clientAuth'],
    );
  });
});

describe('recert of a seed cluster state', { skip: opensslMissing }, () => {
  test('every leaf verifies (openssl) against the new trust bundle and no longer against the seed one', async () => {
    for (const { secret, bundle, seedName } of leafSecrets) {
      const leaf = secretText(first.dump, `core/secrets/${secret}`, 'tls.crt');
      const newBundle = data(first.dump, `core/configmaps/${bundle}`)['ca-bundle.crt'] ?? '';
      const seedBundle = data(seedDump, `core/configmaps/${bundle}`)['ca-bundle.crt'] ?? '';
      assert.notEqual(newBundle, seedBundle, `${bundle} was rewritten`);
      assert.match(await opensslVerify(newBundle, leaf), /: OK$/, secret);
      assert.doesNotMatch(await opensslVerify(seedBundle, leaf), /: OK$/, secret);
      assert.equal(verifyChain(leaf, seedBundle), false);
      assert.equal(verifyChain(leaf, newBundle), true);
      const seedLeaf = secretText(seedDump, `core/secrets/${seedName ?? secret}`, 'tls.crt');
      assert.equal(
        verifyChain(seedLeaf, newBundle),
        false,
        'the seed leaf does not verify against the new CA',
      );
    }
    const rootBundle = data(first.dump, 'core/configmaps/default/kube-root-ca.crt')['ca.crt'] ?? '';
    assert.match(
      await opensslVerify(
        rootBundle,
        secretText(first.dump, 'core/secrets/openshift-kube-apiserver/serving-cert', 'tls.crt'),
      ),
      /: OK$/,
    );
  });

  test('each TLS key matches its certificate, and signer secrets hold the new CA with its key', () => {
    for (const item of first.dump.items) {
      const object = item.value as { type?: string; data?: Record<string, string> };
      if (object.type !== 'kubernetes.io/tls') continue;
      const certificate = new X509Certificate(unb64(object.data?.['tls.crt'] ?? ''));
      assert.ok(
        certificate.checkPrivateKey(createPrivateKey(unb64(object.data?.['tls.key'] ?? ''))),
        item.key,
      );
    }
    const signer = new X509Certificate(
      secretText(first.dump, 'core/secrets/openshift-etcd/etcd-signer', 'tls.crt'),
    );
    assert.equal(signer.ca, true);
    assert.equal(signer.subject, 'OU=openshift\nCN=etcd-signer');
    assert.equal(
      data(first.dump, 'core/configmaps/openshift-etcd/etcd-ca-bundle')['ca-bundle.crt'],
      signer.toString(),
    );
  });

  test('no private key of the seed remains anywhere, and no seed certificate but the external CA', () => {
    const seedKeys = publicKeysOf(seedDump, 'private');
    assert.equal(seedKeys.size, 9, '3 signers, 5 leaves and the service-account key');
    const newKeys = publicKeysOf(first.dump, 'all');
    for (const key of seedKeys) assert.ok(!newKeys.has(key), 'a seed key is still in use');
    assert.equal(first.summary.keysRegenerated, 9);

    const serialized = JSON.stringify(first.dump);
    const decoded =
      first.dump.items.map((i) => JSON.stringify(i.value)).join('') +
      pemBlocks(first.dump)
        .map((b) => b.der.toString('base64'))
        .join('');
    for (const block of pemBlocks(seedDump)) {
      const body = block.der.toString('base64');
      if (
        block.label === 'CERTIFICATE' &&
        new X509Certificate(block.der).subject === 'CN=Example Corp Root CA'
      ) {
        assert.ok(decoded.includes(body), 'the external CA is kept');
        continue;
      }
      assert.ok(
        !decoded.includes(body) && !serialized.includes(b64(block.text)),
        `seed ${block.label} is gone`,
      );
    }
    assert.deepEqual(data(first.dump, 'core/configmaps/openshift-config-managed/trusted-ca-bundle'), {
      'ca-bundle.crt': externalCa.certPem,
    });
    assert.deepEqual(
      first.summary.keptCertificates.map((c) => c.subject),
      ['CN=Example Corp Root CA'],
    );
  });

  test('the service-account key pair is replaced by a new pair of the same type and PEM format', () => {
    const keyPem = secretText(
      first.dump,
      'core/secrets/openshift-kube-controller-manager/service-account-private-key',
      'service-account.key',
    );
    assert.match(keyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const key = createPrivateKey(keyPem);
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    const publicPem = data(first.dump, 'core/configmaps/openshift-kube-apiserver/sa-token-signing-certs')[
      'service-account-001.pub'
    ];
    assert.equal(publicPem, createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString());
  });

  test('two recerts of the same seed share no key and no CA', () => {
    const firstKeys = publicKeysOf(first.dump, 'all');
    const secondKeys = publicKeysOf(second.dump, 'all');
    const shared = [...firstKeys].filter((k) => secondKeys.has(k));
    assert.equal(shared.length, 1, 'only the external CA');
    const fingerprints = (r: RecertResult) =>
      new Set(r.summary.certificateAuthorities.map((c) => c.newFingerprint256));
    const secondCAs = fingerprints(second);
    assert.ok([...fingerprints(first)].every((f) => !secondCAs.has(f)));
    assert.notEqual(first.summary.clusterID?.to, second.summary.clusterID?.to);
  });

  test("leaves keep subject shape, usages and validity length; SANs name the target's hostname, domain and IP", () => {
    const api = describeCertificate(
      secretText(first.dump, 'core/secrets/openshift-kube-apiserver/serving-cert', 'tls.crt'),
    );
    assert.equal(api.subject, 'CN=api.sno7.edge.example.org');
    assert.equal(api.issuer, 'OU=openshift, CN=kube-apiserver-lb-signer');
    assert.deepEqual(api.sans, [
      'DNS:api.sno7.edge.example.org',
      'DNS:api-int.sno7.edge.example.org',
      'IP:10.20.30.40',
    ]);
    assert.deepEqual(api.extendedKeyUsage, ['serverAuth']);
    assert.equal(api.notAfter.getTime() - api.notBefore.getTime(), 30 * 24 * 3600 * 1000);

    const router = describeCertificate(
      secretText(first.dump, 'core/secrets/openshift-ingress/router-certs-default', 'tls.crt'),
    );
    assert.deepEqual(router.sans, ['DNS:*.apps.sno7.edge.example.org']);

    const etcd = describeCertificate(
      secretText(first.dump, `core/secrets/openshift-etcd/etcd-serving-${target.hostname}`, 'tls.crt'),
    );
    assert.equal(etcd.subject, 'O=system:etcd-servers, CN=system:etcd-server');
    assert.deepEqual(etcd.extendedKeyUsage, ['serverAuth', 'clientAuth']);
    assert.deepEqual(etcd.sans, [
      'DNS:sno7-node',
      'DNS:localhost',
      'DNS:etcd.kube-system.svc',
      'DNS:etcd.openshift-etcd.svc',
      'IP:10.20.30.40',
      'IP:127.0.0.1',
      'IP:::1',
    ]);
    const client = describeCertificate(
      secretText(first.dump, 'core/secrets/openshift-kube-apiserver/kubelet-client', 'tls.crt'),
    );
    assert.equal(client.subject, 'O=kube-master, CN=system:kube-apiserver');
    assert.deepEqual(client.extendedKeyUsage, ['clientAuth']);
    assert.equal(client.notAfter.getTime() - client.notBefore.getTime(), 365 * 24 * 3600 * 1000);

    const secret = value(first.dump, `core/secrets/openshift-etcd/etcd-serving-${target.hostname}`);
    assert.deepEqual(secret.metadata, {
      name: 'etcd-serving-sno7-node',
      namespace: 'openshift-etcd',
      annotations: {
        'auth.openshift.io/certificate-hostnames':
          'sno7-node,localhost,etcd.kube-system.svc,etcd.openshift-etcd.svc,10.20.30.40,127.0.0.1,::1',
      },
    });
  });

  test('the seed identity is replaced in the Node, ClusterVersion, Infrastructure, DNS and a kubeconfig', () => {
    const keys = first.dump.items.map((i) => i.key);
    assert.ok(keys.includes('core/nodes/sno7-node') && !keys.includes('core/nodes/seed-node'));
    const node = value(first.dump, 'core/nodes/sno7-node') as {
      metadata: unknown;
      status: { addresses: unknown; nodeInfo: { systemUUID: string; machineID: string } };
    };
    assert.deepEqual(node.metadata, {
      name: 'sno7-node',
      labels: { 'kubernetes.io/hostname': 'sno7-node', 'node-role.kubernetes.io/master': '' },
    });
    assert.deepEqual(node.status.addresses, [
      { type: 'InternalIP', address: '10.20.30.40' },
      { type: 'Hostname', address: 'sno7-node' },
    ]);

    const clusterID = (
      value(first.dump, 'config.openshift.io/clusterversions/version').spec as { clusterID: string }
    ).clusterID;
    assert.match(clusterID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(clusterID, seedClusterID);
    assert.deepEqual(first.summary.clusterID, { from: seedClusterID, to: clusterID });
    assert.equal(node.status.nodeInfo.systemUUID, clusterID);
    assert.equal(node.status.nodeInfo.machineID, clusterID.replace(/-/g, ''));

    assert.deepEqual(value(first.dump, 'config.openshift.io/infrastructures/cluster').status, {
      infrastructureName: 'sno7-x7k2p',
      apiServerURL: 'https://api.sno7.edge.example.org:6443',
      apiServerInternalURI: 'https://api-int.sno7.edge.example.org:6443',
    });
    assert.deepEqual(value(first.dump, 'config.openshift.io/dnses/cluster').spec, {
      baseDomain: 'sno7.edge.example.org',
    });
    assert.equal(
      secretText(
        first.dump,
        'core/secrets/openshift-kube-apiserver/localhost-recovery-client-token',
        'kubeconfig',
      ),
      'clusters:\n- cluster:\n    server: https://api-int.sno7.edge.example.org:6443\n',
    );
    assert.ok(
      !JSON.stringify(first.dump).includes('seed-node') &&
        !JSON.stringify(first.dump).includes('192.168.126.10'),
    );
  });

  test('objects without certificates or identity strings are untouched', () => {
    assert.deepEqual(value(first.dump, 'core/configmaps/default/app'), appConfigMap);
    assert.deepEqual(value(first.dump, 'core/namespaces/openshift-etcd'), namespace);
    assert.equal(first.dump.items.length, seedDump.items.length);
  });

  test('the summary lists each CA and certificate with its old and new fingerprint, and the replaced strings', () => {
    const { summary } = first;
    assert.deepEqual(summary.certificateAuthorities.map((c) => c.subject).sort(), [
      'OU=openshift, CN=admin-kubeconfig-signer',
      'OU=openshift, CN=etcd-signer',
      'OU=openshift, CN=kube-apiserver-lb-signer',
    ]);
    assert.equal(summary.certificates.length, 5);
    for (const entry of [...summary.certificateAuthorities, ...summary.certificates]) {
      assert.ok(entry.oldFingerprint256 !== null && entry.oldFingerprint256 !== entry.newFingerprint256);
    }
    const lb = summary.certificateAuthorities.find((c) => c.subject.endsWith('kube-apiserver-lb-signer'));
    assert.deepEqual(lb?.locations, [
      'core/secrets/openshift-kube-apiserver-operator/loadbalancer-serving-signer#data.tls.crt',
      'core/configmaps/openshift-config-managed/kube-apiserver-server-ca#data.ca-bundle.crt',
      'core/configmaps/openshift-config-managed/default-ingress-cert#data.ca-bundle.crt',
      'core/configmaps/default/kube-root-ca.crt#data.ca.crt',
    ]);
    const replaced = new Map(summary.identity.map((r) => [r.from, r.to]));
    assert.equal(replaced.get('seed.lab.example.com'), 'sno7.edge.example.org');
    assert.equal(replaced.get('seed-node'), 'sno7-node');
    assert.equal(replaced.get('192.168.126.10'), '10.20.30.40');
    assert.equal(replaced.get('seed-x7k2p'), 'sno7-x7k2p');
    assert.deepEqual(summary.renamedKeys, [
      {
        from: 'core/secrets/openshift-etcd/etcd-serving-seed-node',
        to: 'core/secrets/openshift-etcd/etcd-serving-sno7-node',
      },
      {
        from: 'core/secrets/openshift-etcd/etcd-peer-seed-node',
        to: 'core/secrets/openshift-etcd/etcd-peer-sno7-node',
      },
      { from: 'core/nodes/seed-node', to: 'core/nodes/sno7-node' },
    ]);
    assert.deepEqual(summary.warnings, []);
  });
});

describe('recert edge cases', () => {
  test('a certificate whose issuer is not in the state is signed by a new CA made for that issuer, with a warning', () => {
    const absent = createCertificateAuthority({ commonName: 'gone-signer', validityDays: 10 });
    const leaf = issueCertificate({
      ca: absent,
      commonName: 'orphan',
      usage: 'server',
      validityDays: 1,
      dnsNames: ['x.seed.lab.example.com'],
    });
    const dump = {
      items: [
        {
          key: 'core/secrets/ns/orphan',
          value: {
            kind: 'Secret',
            type: 'kubernetes.io/tls',
            data: { 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) },
          },
        },
      ],
    };
    const { dump: result, summary } = recertClusterState(dump, { ...target, seed });
    const pem = secretText(result, 'core/secrets/ns/orphan', 'tls.crt');
    assert.equal(verifyChain(pem, absent.certPem), false);
    assert.deepEqual(describeCertificate(pem).sans, ['DNS:x.sno7.edge.example.org']);
    assert.equal(summary.certificateAuthorities[0]?.subject, 'CN=gone-signer');
    assert.equal(summary.certificateAuthorities[0]?.oldFingerprint256, null);
    assert.match(summary.warnings[0] ?? '', /issuer CN=gone-signer of CN=orphan is not in the state/);
  });

  test('a self-signed serving certificate stays self-signed, with a new key', () => {
    const ca = createCertificateAuthority({ commonName: 'self', validityDays: 10 });
    const dump = { items: [{ key: 'core/configmaps/ns/self', value: { data: { 'ca.crt': ca.certPem } } }] };
    assert.equal(
      recertClusterState(dump, { ...target, seed }).summary.keptCertificates.length,
      1,
      'no key, no leaf: external',
    );
    const withKey = {
      items: [
        {
          key: 'core/secrets/ns/self',
          value: { data: { 'tls.crt': b64(ca.certPem), 'tls.key': b64(ca.keyPem) } },
        },
      ],
    };
    const pem = secretText(
      recertClusterState(withKey, { ...target, seed }).dump,
      'core/secrets/ns/self',
      'tls.crt',
    );
    assert.equal(verifyChain(pem, pem), true);
    assert.equal(verifyChain(pem, ca.certPem), false);
  });

  test('refuses an identity without a node IP', () => {
    assert.throws(
      () => recertClusterState({ items: [] }, { ...target, nodeIP: 'nope', seed }),
      /the target cluster's nodeIP "nope" is not an IP address/,
    );
  });
});
