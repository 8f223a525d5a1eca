/**
 * HTTPS as a real cluster serves it: the client trusts the kubeconfig's CA, presents its client
 * certificate and sends its bearer token (certificates made with openssl; skipped without it).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { KubeClient } from '../../src/client/client.ts';
import { ConnectionError } from '../../src/client/errors.ts';

const run = promisify(execFile);
const haveOpenssl = await run('openssl', ['version']).then(
  () => true,
  () => false,
);

let dir: string;
let server: Server;
let url: string;
const seen: { authorization?: string; clientCn?: string }[] = [];

async function openssl(...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

const b64 = async (file: string): Promise<string> =>
  (await readFile(path.join(dir, file))).toString('base64');

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'tls', cluster: { server: url, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'tls', context: { cluster: 'tls', user: 'u' } }],
    'current-context': 'tls',
  });
}

describe('KubeClient over TLS', { skip: haveOpenssl ? false : 'openssl is not installed' }, () => {
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lcm-tls-'));
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=lcm-test-ca',
    );
    for (const [name, subject, ext] of [
      ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1'],
      ['client', '/CN=lcm-admin', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      await openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        subject,
      );
      await writeFile(path.join(dir, `${name}.ext`), `${ext}\n`);
      await openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
      );
    }
    server = createServer(
      {
        key: await readFile(path.join(dir, 'server.key')),
        cert: await readFile(path.join(dir, 'server.crt')),
        ca: await readFile(path.join(dir, 'ca.crt')),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        seen.push({
          ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
          ...(peer.subject?.CN ? { clientCn: String(peer.subject.CN) } : {}),
        });
        response.setHeader('Content-Type', 'application/json');
        if (request.url === '/api/v1') {
          response.end(
            JSON.stringify({
              kind: 'APIResourceList',
              groupVersion: 'v1',
              resources: [{ name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['get'] }],
            }),
          );
        } else {
          response.end(
            JSON.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'x', namespace: 'default' },
            }),
          );
        }
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('trusts the CA from data, presents the client certificate and sends the bearer token', async () => {
    const client = await KubeClient.fromKubeconfig(
      kubeconfig(
        {
          token: 'tkn',
          'client-certificate-data': await b64('client.crt'),
          'client-key-data': await b64('client.key'),
        },
        { 'certificate-authority-data': await b64('ca.crt') },
      ),
    );
    try {
      const object = await client.get({ apiVersion: 'v1', kind: 'ConfigMap' }, 'x');
      assert.equal(object.metadata.name, 'x');
      assert.deepEqual(seen.at(-1), { authorization: 'Bearer tkn', clientCn: 'lcm-admin' });
    } finally {
      client.close();
    }
  });

  it('refuses a server its CA did not sign, unless told to skip verification', async () => {
    const untrusted = await KubeClient.fromKubeconfig(kubeconfig({ token: 't' }, {}));
    try {
      await assert.rejects(untrusted.resourceFor('v1', 'ConfigMap'), ConnectionError);
    } finally {
      untrusted.close();
    }
    await writeFile(path.join(dir, 'token'), 'rotating\n');
    const insecure = await KubeClient.fromKubeconfig(
      kubeconfig({ tokenFile: path.join(dir, 'token') }, { 'insecure-skip-tls-verify': true }),
    );
    try {
      await insecure.resourceFor('v1', 'ConfigMap');
      assert.equal(seen.at(-1)?.authorization, 'Bearer rotating');
    } finally {
      insecure.close();
    }
  });
});
