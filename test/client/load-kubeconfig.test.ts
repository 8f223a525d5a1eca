import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { labKubeconfig } from '../../src/client/kubeconfig.ts';
import { connectionFor, loadKubeconfig, readKubeconfig } from '../../src/client/load-kubeconfig.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lcm-kubeconfig-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function config(overrides: {
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
  context?: Record<string, unknown>;
}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prod', cluster: { server: 'https://api.example:6443', ...overrides.cluster } }],
    users: [{ name: 'admin', user: { ...overrides.user } }],
    contexts: [{ name: 'prod-admin', context: { cluster: 'prod', user: 'admin', ...overrides.context } }],
    'current-context': 'prod-admin',
  });
}

describe('loadKubeconfig', () => {
  it('reads a bearer token, the CA from data, and the context namespace', async () => {
    const settings = await loadKubeconfig(
      config({
        cluster: { 'certificate-authority-data': b64('CA PEM') },
        user: { token: 's3cret' },
        context: { namespace: 'lcm-system' },
      }),
    );
    assert.equal(settings.context, 'prod-admin');
    assert.equal(settings.server, 'https://api.example:6443');
    assert.equal(settings.token, 's3cret');
    assert.equal(settings.ca, 'CA PEM');
    assert.equal(settings.namespace, 'lcm-system');
    assert.equal(settings.insecureSkipTlsVerify, false);
  });

  it('defaults the namespace to "default"', async () => {
    assert.equal((await loadKubeconfig(config({}))).namespace, 'default');
  });

  it('reads client certificate, key and CA from files relative to the kubeconfig', async () => {
    await writeFile(path.join(dir, 'client.crt'), 'CERT PEM');
    await writeFile(path.join(dir, 'client.key'), 'KEY PEM');
    await writeFile(path.join(dir, 'ca.crt'), 'CA FILE PEM');
    await writeFile(path.join(dir, 'token'), 'from-file\n');
    const file = path.join(dir, 'certs.kubeconfig');
    await writeFile(
      file,
      config({
        cluster: { 'certificate-authority': 'ca.crt' },
        user: { 'client-certificate': 'client.crt', 'client-key': 'client.key', tokenFile: 'token' },
      }),
    );
    const settings = await loadKubeconfig(file);
    assert.equal(settings.clientCertificate, 'CERT PEM');
    assert.equal(settings.clientKey, 'KEY PEM');
    assert.equal(settings.ca, 'CA FILE PEM');
    assert.equal(settings.tokenFile, path.join(dir, 'token'));
  });

  it('prefers the -data fields and honours insecure-skip-tls-verify', async () => {
    const settings = await loadKubeconfig(
      config({
        cluster: { 'insecure-skip-tls-verify': true },
        user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
      }),
    );
    assert.equal(settings.clientCertificate, 'CERT');
    assert.equal(settings.clientKey, 'KEY');
    assert.equal(settings.insecureSkipTlsVerify, true);
  });

  it('keeps the logical-cluster path of the server URL', async () => {
    const text = labKubeconfig('http://127.0.0.1:7000', 'hub', ['hub', 'spoke-1']);
    const settings = await loadKubeconfig(text, { context: 'spoke-1' });
    assert.equal(settings.server, 'http://127.0.0.1:7000/clusters/spoke-1');
    assert.equal((await loadKubeconfig(text)).server, 'http://127.0.0.1:7000');
  });

  it('names the missing context and lists the ones there are', async () => {
    await assert.rejects(
      loadKubeconfig(config({}), { context: 'staging' }),
      /context "staging" not found \(contexts: prod-admin\)/,
    );
  });

  it('names a missing cluster or user', async () => {
    await assert.rejects(
      loadKubeconfig(config({ context: { cluster: 'gone' } })),
      /cluster "gone" not found/,
    );
    await assert.rejects(loadKubeconfig(config({ context: { user: 'nobody' } })), /user "nobody" not found/);
  });

  it('refuses credential plugins it cannot run, naming the user', async () => {
    await assert.rejects(
      loadKubeconfig(config({ user: { exec: { command: 'aws' } } })),
      /user "admin": exec and auth-provider credential plugins are not supported/,
    );
  });

  it('names the file it cannot read, and a missing certificate file', async () => {
    await assert.rejects(loadKubeconfig(path.join(dir, 'absent')), /cannot read kubeconfig .*absent/);
    await assert.rejects(
      loadKubeconfig(config({ cluster: { 'certificate-authority': path.join(dir, 'nope.crt') } })),
      /cluster "prod": cannot read certificate-authority .*nope\.crt/,
    );
  });

  it('lists every context for a multi-cluster kubeconfig', async () => {
    const parsed = await readKubeconfig(labKubeconfig('http://127.0.0.1:7000', 'hub', ['a', 'b']));
    assert.deepEqual(parsed.contexts, ['hub', 'a', 'b']);
    assert.equal(parsed.currentContext, 'hub');
    assert.equal((await connectionFor(parsed, 'b')).server, 'http://127.0.0.1:7000/clusters/b');
  });
});
