import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { runCommand } from '../../src/host/run-command.ts';
import {
  createCertificateAuthority,
  describeCertificate,
  issueCertificate,
  verifyChain,
} from '../../src/host/x509.ts';

const opensslMissing = await runCommand('openssl', ['version']).then(
  () => false,
  () => 'the openssl CLI is not installed',
);

let dir: string;
let fileCount = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lcm-x509-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function file(pem: string): Promise<string> {
  const path = join(dir, `${fileCount++}.pem`);
  await writeFile(path, pem);
  return path;
}

async function opensslText(pem: string): Promise<string> {
  return (await runCommand('openssl', ['x509', '-noout', '-text', '-in', await file(pem)])).stdout;
}

/** `openssl verify`'s verdict: its output on success, the error text otherwise. */
async function opensslVerify(caPem: string, leafPem: string, untrustedPem?: string): Promise<string> {
  const args = ['verify', '-CAfile', await file(caPem)];
  if (untrustedPem !== undefined) args.push('-untrusted', await file(untrustedPem));
  args.push(await file(leafPem));
  return runCommand('openssl', args).then(
    (result) => result.stdout.trim(),
    (error: unknown) => String(error),
  );
}

const dayMs = 24 * 60 * 60 * 1000;

describe('certificate authorities', { skip: opensslMissing }, () => {
  test('a CA is self-signed with CA:TRUE and certificate-signing key usage, as openssl reads it', async () => {
    const ca = createCertificateAuthority({
      commonName: 'kube-apiserver-lb-signer',
      organization: 'lcm',
      organizationalUnit: 'openshift',
      validityDays: 3650,
    });
    const text = await opensslText(ca.certPem);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /Issuer: O = lcm, OU = openshift, CN = kube-apiserver-lb-signer/);
    assert.match(text, /Subject: O = lcm, OU = openshift, CN = kube-apiserver-lb-signer/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:TRUE/);
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    assert.match(text, /X509v3 Subject Key Identifier/);
    assert.match(await opensslVerify(ca.certPem, ca.certPem), /: OK$/);
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.ok(new X509Certificate(ca.certPem).checkPrivateKey(createPrivateKey(ca.keyPem)));
  });

  test('an RSA CA signs with sha256WithRSAEncryption, and validity past 2049 is a GeneralizedTime openssl accepts', async () => {
    const ca = createCertificateAuthority({
      commonName: 'rsa-root',
      validityDays: 100 * 365,
      keyType: 'rsa-2048',
    });
    const text = await opensslText(ca.certPem);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    const notAfter = describeCertificate(ca.certPem).notAfter;
    assert.ok(notAfter.getUTCFullYear() > 2100);
    assert.match(text, new RegExp(`Not After : .* ${notAfter.getUTCFullYear()} GMT`));
  });

  test('an intermediate CA chains to its root', async () => {
    const root = createCertificateAuthority({ commonName: 'root', validityDays: 3650 });
    const intermediate = createCertificateAuthority({
      commonName: 'intermediate',
      validityDays: 365,
      issuer: root,
    });
    const leaf = issueCertificate({
      ca: intermediate,
      commonName: 'leaf',
      usage: 'server',
      validityDays: 30,
    });
    assert.match(await opensslVerify(root.certPem, leaf.certPem, intermediate.certPem), /: OK$/);
    assert.equal(verifyChain(leaf.certPem + intermediate.certPem, root.certPem), true);
    assert.equal(
      verifyChain(leaf.certPem, root.certPem),
      false,
      'without the intermediate there is no chain',
    );
    assert.equal(describeCertificate(intermediate.certPem).issuer, 'CN=root');
  });
});

describe('leaf certificates', { skip: opensslMissing }, () => {
  const ca = createCertificateAuthority({ commonName: 'signer', validityDays: 3650 });

  test('a serving certificate carries its DNS and IP SANs, serverAuth only, CA:FALSE, and verifies against its CA', async () => {
    const leaf = issueCertificate({
      ca,
      commonName: 'api.sno1.example.com',
      dnsNames: ['api.sno1.example.com', 'api-int.sno1.example.com'],
      ipAddresses: ['192.168.126.10', 'fd2e:6f44:5dd8::10'],
      usage: 'server',
      validityDays: 30,
    });
    const text = await opensslText(leaf.certPem);
    assert.match(
      text,
      /DNS:api\.sno1\.example\.com, DNS:api-int\.sno1\.example\.com, IP Address:192\.168\.126\.10, IP Address:FD2E:6F44:5DD8:0:0:0:0:10/,
    );
    assert.match(text, /X509v3 Extended Key Usage: \s+TLS Web Server Authentication\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /X509v3 Authority Key Identifier/);
    assert.match(await opensslVerify(ca.certPem, leaf.certPem), /: OK$/);
    assert.match(
      (
        await runCommand('openssl', [
          'verify',
          '-purpose',
          'sslserver',
          '-CAfile',
          await file(ca.certPem),
          await file(leaf.certPem),
        ])
      ).stdout,
      /: OK/,
    );

    const described = describeCertificate(leaf.certPem);
    assert.equal(described.subject, 'CN=api.sno1.example.com');
    assert.equal(described.issuer, 'CN=signer');
    assert.deepEqual(described.sans, [
      'DNS:api.sno1.example.com',
      'DNS:api-int.sno1.example.com',
      'IP:192.168.126.10',
      'IP:fd2e:6f44:5dd8::10',
    ]);
    assert.deepEqual(described.extendedKeyUsage, ['serverAuth']);
    assert.equal(described.isCA, false);
    assert.equal(described.notAfter.getTime() - described.notBefore.getTime(), 30 * dayMs);
    assert.equal(described.fingerprint256, new X509Certificate(leaf.certPem).fingerprint256);
    assert.match(described.serial, /^[0-9A-F]{32}$/);
  });

  test('a client certificate names its organizations and is for clientAuth only; openssl refuses it as a server', async () => {
    const leaf = issueCertificate({
      ca,
      commonName: 'system:admin',
      organizations: ['system:masters', 'system:cluster-admins'],
      usage: 'client',
      validityDays: 365,
    });
    const text = await opensslText(leaf.certPem);
    assert.match(text, /Subject: O = system:masters, O = system:cluster-admins, CN = system:admin/);
    assert.match(text, /X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/);
    assert.deepEqual(describeCertificate(leaf.certPem).sans, []);
    const asServer = await runCommand('openssl', [
      'verify',
      '-purpose',
      'sslserver',
      '-CAfile',
      await file(ca.certPem),
      await file(leaf.certPem),
    ]).then(
      () => 'accepted',
      (error: unknown) => String(error),
    );
    assert.match(asServer, /unsuitable certificate purpose/);
  });

  test("'both' gives serverAuth and clientAuth; an RSA CA can sign an ECDSA P-384 leaf", async () => {
    const rsaCa = createCertificateAuthority({ commonName: 'rsa', validityDays: 10, keyType: 'rsa-2048' });
    const leaf = issueCertificate({
      ca: rsaCa,
      commonName: 'system:etcd-server',
      usage: 'both',
      validityDays: 5,
      keyType: 'ecdsa-p384',
    });
    assert.deepEqual(describeCertificate(leaf.certPem).extendedKeyUsage, ['serverAuth', 'clientAuth']);
    const text = await opensslText(leaf.certPem);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /NIST CURVE: P-384/);
    assert.match(await opensslVerify(rsaCa.certPem, leaf.certPem), /: OK$/);
  });

  test('a certificate does not verify against another CA, nor against a bundle without its issuer', async () => {
    const other = createCertificateAuthority({ commonName: 'signer', validityDays: 3650 });
    const leaf = issueCertificate({ ca, commonName: 'x', usage: 'server', validityDays: 1 });
    assert.equal(verifyChain(leaf.certPem, ca.certPem), true);
    assert.equal(verifyChain(leaf.certPem, other.certPem), false, 'same name, other key');
    assert.equal(
      verifyChain(leaf.certPem, other.certPem + ca.certPem),
      true,
      'a bundle verifies with any of its CAs',
    );
    assert.doesNotMatch(await opensslVerify(other.certPem, leaf.certPem), /: OK$/);
  });

  test('issuing refuses a non-CA issuer and a CA whose key does not match its certificate', () => {
    const leaf = issueCertificate({ ca, commonName: 'leaf', usage: 'server', validityDays: 1 });
    assert.throws(
      () => issueCertificate({ ca: leaf, commonName: 'x', usage: 'server', validityDays: 1 }),
      /not a CA/,
    );
    const other = createCertificateAuthority({ commonName: 'other', validityDays: 1 });
    assert.throws(
      () =>
        issueCertificate({
          ca: { certPem: ca.certPem, keyPem: other.keyPem },
          commonName: 'x',
          usage: 'client',
          validityDays: 1,
        }),
      /private key does not match/,
    );
    assert.throws(
      () => issueCertificate({ ca, commonName: 'x', usage: 'client', validityDays: 0 }),
      /validityDays/,
    );
    assert.throws(
      () =>
        issueCertificate({
          ca,
          commonName: 'x',
          usage: 'server',
          validityDays: 1,
          ipAddresses: ['not-an-ip'],
        }),
      /not an IPv4 or IPv6 address/,
    );
  });
});
