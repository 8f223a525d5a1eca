import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startRegistry, type RegistryProcess } from '../../src/lab/registry.ts';
import { buildImage } from '../../src/host/oci/build.ts';
import { RegistryClient } from '../../src/host/oci/client.ts';
import { sha256Digest } from '../../src/host/oci/digest.ts';
import { credentialsFor, dockerConfigFor, parseDockerConfig } from '../../src/host/oci/docker-config.ts';
import { RegistryError } from '../../src/host/oci/errors.ts';
import { blobPath, readIndex } from '../../src/host/oci/layout.ts';
import { hostPlatform, mediaTypes, refNameAnnotation } from '../../src/host/oci/media-types.ts';
import { parseImageReference } from '../../src/host/oci/reference.ts';
import { extractLayer } from '../../src/host/oci/tar.ts';
import { pullToLayout, pushLayout } from '../../src/host/oci/transfer.ts';

const run = promisify(execFile);

/** Everything under `dir`, as relative path → file bytes (hex), symlink target or directory mode. */
async function snapshot(dir: string, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const relative = `${prefix}${name}`;
    const info = await lstat(path);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) out.set(relative, `link -> ${await readlink(path)}`);
    else if (info.isDirectory()) {
      out.set(relative, `dir ${mode}`);
      for (const [k, v] of await snapshot(path, `${relative}/`)) out.set(k, v);
    } else out.set(relative, `file ${mode} ${sha256Digest(await readFile(path))}`);
  }
  return out;
}

async function skopeoInspect(ref: string, ...flags: string[]): Promise<unknown> {
  const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', ...flags, `docker://${ref}`]);
  return JSON.parse(stdout) as unknown;
}

/** Finds the file distribution keeps a blob's bytes in. */
function storedBlobFile(registry: RegistryProcess, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(registry.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}

/**
 * A token-auth front for an open registry, as quay or a registry with `auth: token` behaves:
 * requests without a bearer token whose scope covers the repository get a Bearer challenge; the
 * realm hands out tokens only for the right Basic credentials.
 */
async function startTokenProxy(
  upstream: RegistryProcess,
  username: string,
  password: string,
): Promise<{ host: string; methods: string[]; tokenRequests: string[]; close(): Promise<void> }> {
  const tokens = new Map<string, string>();
  const methods: string[] = [];
  const tokenRequests: string[] = [];
  let host = '';
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      const scope = url.searchParams.getAll('scope').join(' ');
      tokenRequests.push(`${url.searchParams.get('service')} ${scope}`);
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
        return;
      }
      const token = randomBytes(8).toString('hex');
      tokens.set(token, scope);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    const repo = /^\/v2\/(.+)\/(?:blobs|manifests|tags)\//.exec(url.pathname)?.[1];
    const actions = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push';
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const granted = presented !== undefined ? tokens.get(presented) : undefined;
    const needed = repo !== undefined ? `repository:${repo}:${actions}` : '';
    if (granted === undefined || (repo !== undefined && !granted.split(' ').includes(needed))) {
      const scope = repo !== undefined ? `,scope="${needed}"` : '';
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/token",service="lab-registry"${scope}`,
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    methods.push(req.method ?? '');
    const headers = { ...req.headers };
    delete headers.authorization;
    const forward = httpRequest(
      `${upstream.url}${req.url ?? '/'}`,
      { method: req.method, headers },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    methods,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('image references', () => {
  it('splits registry, repository, tag and digest', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5000/ibu/seed:4.16.1'), {
      registry: '127.0.0.1:5000',
      repository: 'ibu/seed',
      tag: '4.16.1',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageReference(`quay.io/openshift/seed:4.16@${digest}`), {
      registry: 'quay.io',
      repository: 'openshift/seed',
      tag: '4.16',
      digest,
    });
    assert.deepEqual(parseImageReference(`localhost/seed@${digest}`), {
      registry: 'localhost',
      repository: 'seed',
      digest,
    });
  });

  it('applies Docker Hub defaults', () => {
    assert.deepEqual(parseImageReference('busybox'), {
      registry: 'docker.io',
      repository: 'library/busybox',
      tag: 'latest',
    });
    assert.deepEqual(parseImageReference('index.docker.io/team/app:1'), {
      registry: 'docker.io',
      repository: 'team/app',
      tag: '1',
    });
  });

  it('rejects malformed references with the reason', () => {
    assert.throws(() => parseImageReference('quay.io/Seed:1'), /must be lowercase/);
    assert.throws(() => parseImageReference('quay.io/seed@sha256:abc'), /not algorithm:hex|64 lowercase hex/);
    assert.throws(() => parseImageReference('quay.io/seed:bad tag'), /tag/);
    assert.throws(() => parseImageReference(''), /invalid image reference/);
  });
});

describe('pull secret credentials', () => {
  it('matches kubelet-style keys: scheme and /v1/ ignored, host globs, longest path first', () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:h').toString('base64') },
          '*.example.com': { username: 'glob', password: 'g' },
          'quay.example.com': { auth: Buffer.from('quay:q').toString('base64') },
          'quay.example.com/ibu': { auth: Buffer.from('ibu:i').toString('base64') },
        },
      }),
    );
    const user = (registry: string, repository?: string): string | undefined => {
      const found = credentialsFor(config, registry, repository);
      return found?.kind === 'basic' ? found.username : undefined;
    };
    assert.equal(user('docker.io', 'library/busybox'), 'hub');
    assert.equal(user('mirror.example.com'), 'glob');
    assert.equal(user('quay.example.com', 'other/x'), 'quay');
    assert.equal(user('quay.example.com', 'ibu/seed'), 'ibu');
    assert.equal(user('a.b.example.com'), undefined);
    assert.equal(user('127.0.0.1:5000'), undefined);
  });

  it('reads the legacy .dockercfg shape and names a bad auth field', () => {
    const legacy = parseDockerConfig({ 'reg.local:5000': { auth: Buffer.from('u:p').toString('base64') } });
    assert.equal(credentialsFor(legacy, 'reg.local:5000')?.kind, 'basic');
    assert.throws(
      () => parseDockerConfig('{"auths":{"reg.local":{"auth":"bm9jb2xvbg=="}}}'),
      /auths\["reg\.local"\]\.auth is not base64 of "username:password"/,
    );
    assert.throws(() => parseDockerConfig('{'), /pull secret: not JSON/);
  });
});

describe('OCI images against a real docker-registry', () => {
  let root: string;
  let open: RegistryProcess;
  let secured: RegistryProcess;
  let tree: string;
  let jsonFile: string;
  let layoutDir: string;
  const labels = { 'lca.openshift.io/seed-format-version': '3', 'com.example.purpose': 'test' };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lcm-oci-'));
    [open, secured] = await Promise.all([
      startRegistry({ dir: join(root, 'registry-open') }),
      startRegistry({ dir: join(root, 'registry-auth'), auth: { username: 'seed', password: 'pa55' } }),
    ]);
    tree = join(root, 'tree');
    await mkdir(join(tree, 'etc'), { recursive: true });
    await mkdir(join(tree, 'var/lib/state'), { recursive: true });
    await mkdir(join(tree, 'usr/bin'), { recursive: true });
    await mkdir(join(tree, 'tmp/empty'), { recursive: true });
    await writeFile(join(tree, 'etc/hostname'), 'seed-sno\n');
    await writeFile(join(tree, 'var/lib/state/data.bin'), randomBytes(300_000));
    await writeFile(join(tree, 'usr/bin/tool'), '#!/bin/sh\necho hi\n');
    await chmod(join(tree, 'usr/bin/tool'), 0o755);
    await symlink('hostname', join(tree, 'etc/hostname-link'));
    jsonFile = join(root, 'manifest.json');
    await writeFile(
      jsonFile,
      JSON.stringify({ seedClusterOCPVersion: '4.16.1', images: ['quay.io/a@sha256:1'] }),
    );
    layoutDir = join(root, 'built');
    await buildImage({
      layoutDir,
      refName: '4.16.1',
      layers: [
        { path: tree, annotations: { 'org.opencontainers.image.title': 'state' } },
        { path: jsonFile, annotations: { 'org.opencontainers.image.title': 'manifest.json' } },
      ],
      config: { labels },
      annotations: { 'org.opencontainers.image.version': '4.16.1' },
    });
  });

  after(async () => {
    await Promise.all([open.stop(), secured.stop()]);
    await rm(root, { recursive: true, force: true });
  });

  it('builds a layout whose index names the image and whose layers unpack to the same bytes', async () => {
    const index = await readIndex(layoutDir);
    assert.equal(index.manifests.length, 1);
    assert.equal(index.manifests[0]?.annotations?.[refNameAnnotation], '4.16.1');
    assert.deepEqual(JSON.parse(await readFile(join(layoutDir, 'oci-layout'), 'utf8')), {
      imageLayoutVersion: '1.0.0',
    });
    const again = join(root, 'built-again');
    const first = await buildImage({ layoutDir: again, layers: [{ path: tree }], config: { labels } });
    const second = await buildImage({ layoutDir: again, layers: [{ path: tree }], config: { labels } });
    assert.equal(first.manifestDigest, second.manifestDigest, 'the same tree builds the same image');
  });

  it('pushes a two-layer image and pulls it back byte-identical into a fresh layout', async () => {
    const ref = `${open.host}/ibu/seed:4.16.1`;
    const pushed = await pushLayout(layoutDir, ref);
    assert.equal(pushed.mediaType, mediaTypes.ociManifest);

    const pulledDir = join(root, 'pulled');
    const pulled = await pullToLayout(ref, pulledDir);
    assert.equal(pulled.digest, pushed.digest);
    assert.equal(pulled.manifest.layers.length, 2);
    assert.deepEqual(pulled.manifest.annotations, { 'org.opencontainers.image.version': '4.16.1' });

    const [stateLayer, jsonLayer] = pulled.manifest.layers;
    assert.ok(stateLayer && jsonLayer);
    assert.equal(stateLayer.mediaType, mediaTypes.ociLayerGzip);
    await extractLayer(blobPath(pulledDir, stateLayer.digest), join(root, 'out-state'));
    assert.deepEqual(await snapshot(join(root, 'out-state')), await snapshot(tree));
    await extractLayer(blobPath(pulledDir, jsonLayer.digest), join(root, 'out-json'));
    assert.deepEqual(await readFile(join(root, 'out-json/manifest.json')), await readFile(jsonFile));

    const config = JSON.parse(await readFile(blobPath(pulledDir, pulled.manifest.config.digest), 'utf8')) as {
      config: { Labels: Record<string, string> };
      rootfs: { diff_ids: string[] };
    };
    assert.deepEqual(config.config.Labels, labels);
    assert.equal(config.rootfs.diff_ids.length, 2);
    assert.deepEqual(await new RegistryClient().listTags({ registry: open.host, repository: 'ibu/seed' }), [
      '4.16.1',
    ]);
  });

  it('writes images skopeo reads: OCI manifest type, labels, layers', async () => {
    const ref = `${open.host}/ibu/seed:4.16.1`;
    await pushLayout(layoutDir, ref);
    const raw = (await skopeoInspect(ref, '--raw')) as { mediaType: string; layers: unknown[] };
    assert.equal(raw.mediaType, mediaTypes.ociManifest);
    assert.equal(raw.layers.length, 2);
    const inspected = (await skopeoInspect(ref)) as { Labels: Record<string, string>; Architecture: string };
    assert.deepEqual(inspected.Labels, labels);
    assert.equal(inspected.Architecture, hostPlatform().architecture);
  });

  it('uploads large blobs in PATCH chunks through a Bearer token flow', async () => {
    const proxy = await startTokenProxy(open, 'robot', 'token-pass');
    try {
      const pullSecret = JSON.stringify(dockerConfigFor(proxy.host, 'robot', 'token-pass'));
      const client = new RegistryClient({
        dockerConfig: pullSecret,
        monolithicLimit: 10_000,
        chunkSize: 16_384,
      });
      const repo = { registry: proxy.host, repository: 'ibu/chunked' };
      const blob = randomBytes(100_000);
      const file = join(root, 'big.bin');
      await writeFile(file, blob);
      const pushed = await client.pushBlob(repo, file);
      assert.equal(pushed.digest, sha256Digest(blob));
      assert.equal(proxy.methods.filter((m) => m === 'PATCH').length, Math.ceil(100_000 / 16_384));
      assert.ok(proxy.tokenRequests.includes('lab-registry repository:ibu/chunked:pull,push'));

      const into = join(root, 'chunked.bin');
      await client.pullBlob(repo, pushed.digest, into, pushed.size);
      assert.deepEqual(await readFile(into), blob);

      const wrongSecret = new RegistryClient({ dockerConfig: dockerConfigFor(proxy.host, 'robot', 'nope') });
      await assert.rejects(
        wrongSecret.pullBlob(repo, pushed.digest, join(root, 'never.bin')),
        (error: unknown) => {
          assert.ok(error instanceof RegistryError);
          assert.match(
            error.message,
            /token from http:\/\/127\.0\.0\.1:\d+\/token: 401 Unauthorized from token service \(check the pull secret: the registry rejected its credentials/,
          );
          return true;
        },
      );
    } finally {
      await proxy.close();
    }
  });

  it('accepts Docker v2 manifests and picks this platform from a multi-platform index', async () => {
    const client = new RegistryClient();
    const repo = { registry: open.host, repository: 'ibu/docker' };
    const layerDir = join(root, 'docker-layer');
    await buildImage({ layoutDir: layerDir, layers: [{ path: jsonFile }] });
    const [built] = (await readIndex(layerDir)).manifests;
    assert.ok(built);
    const ociManifest = JSON.parse(await readFile(blobPath(layerDir, built.digest), 'utf8')) as {
      config: { digest: string; size: number };
      layers: { digest: string; size: number }[];
    };
    const layer = ociManifest.layers[0];
    assert.ok(layer);
    await client.pushBlob(repo, blobPath(layerDir, ociManifest.config.digest));
    await client.pushBlob(repo, blobPath(layerDir, layer.digest));
    const dockerManifest = {
      schemaVersion: 2 as const,
      mediaType: mediaTypes.dockerManifest,
      config: { mediaType: mediaTypes.dockerConfig, ...ociManifest.config },
      layers: [{ mediaType: mediaTypes.dockerLayerGzip, ...layer }],
    };
    const manifestDigest = await client.pushManifest({ ...repo, tag: 'v2' }, dockerManifest);
    const pulled = await pullToLayout(`${open.host}/ibu/docker:v2`, join(root, 'docker-pulled'));
    assert.equal(pulled.mediaType, mediaTypes.dockerManifest);
    assert.equal(pulled.digest, manifestDigest);

    const manifestSize = Buffer.byteLength(JSON.stringify(dockerManifest));
    await client.pushManifest(
      { ...repo, tag: 'multi' },
      {
        schemaVersion: 2,
        mediaType: mediaTypes.ociIndex,
        manifests: [
          {
            mediaType: mediaTypes.dockerManifest,
            digest: manifestDigest,
            size: manifestSize,
            platform: hostPlatform(),
          },
        ],
      },
    );
    const viaIndex = await pullToLayout(`${open.host}/ibu/docker:multi`, join(root, 'index-pulled'));
    assert.equal(viaIndex.digest, manifestDigest);
    await assert.rejects(
      pullToLayout(`${open.host}/ibu/docker:multi`, join(root, 'other-arch'), {
        platform: { os: 'linux', architecture: 'riscv64' },
      }),
      /no image for linux\/riscv64/,
    );
  });

  it('mounts a blob from another repository instead of uploading it, and pushes empty blobs', async () => {
    const client = new RegistryClient();
    const source = { registry: open.host, repository: 'ibu/mount-source' };
    const target = { registry: open.host, repository: 'ibu/mount-target' };
    const { digest } = await client.pushBlob(source, randomBytes(2048));
    assert.equal(await client.blobExists(target, digest), false);
    assert.equal(await client.mountBlob(target, digest, source.repository), true);
    assert.equal(await client.blobExists(target, digest), true);
    const empty = join(root, 'empty-file');
    await writeFile(empty, '');
    assert.deepEqual(await client.pushBlob(target, empty), { digest: sha256Digest(''), size: 0 });
  });

  it('deletes a manifest, after which pulling it is a 404 naming the image', async () => {
    const ref = `${open.host}/ibu/deleteme:1`;
    await pushLayout(layoutDir, ref);
    const client = new RegistryClient();
    await client.deleteManifest(parseImageReference(ref));
    await assert.rejects(client.getManifest(parseImageReference(ref)), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 404);
      assert.equal(error.message, `pull ${ref}: 404 Not Found from registry: manifest unknown`);
      return true;
    });
  });

  it('detects a blob whose bytes do not match its digest and keeps no partial file', async () => {
    const client = new RegistryClient();
    const repo = { registry: open.host, repository: 'ibu/corrupt' };
    const { digest, size } = await client.pushBlob(repo, randomBytes(4096));
    await writeFile(storedBlobFile(open, digest), randomBytes(size));
    const target = join(root, 'corrupt.bin');
    await assert.rejects(client.pullBlob(repo, digest, target, size), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, 'DIGEST_MISMATCH');
      assert.match(
        error.message,
        /^pull blob sha256:\w+… from 127\.0\.0\.1:\d+\/ibu\/corrupt: content digest mismatch/,
      );
      return true;
    });
    await assert.rejects(stat(target));
    await assert.rejects(stat(`${target}.partial`));
  });

  it('without credentials, a push to an htpasswd registry fails with a 401 that points at the pull secret', async () => {
    await assert.rejects(pushLayout(layoutDir, `${secured.host}/ibu/seed:4.16.1`), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 401);
      assert.match(
        error.message,
        new RegExp(
          `^push blob sha256:\\w+… to ${secured.host}/ibu/seed: 401 Unauthorized from registry \\(check the pull secret: it has no credentials for ${secured.host}\\)$`,
        ),
      );
      return true;
    });
    const wrong = new RegistryClient({ dockerConfig: dockerConfigFor(secured.host, 'seed', 'wrong') });
    await assert.rejects(
      wrong.getManifest(parseImageReference(`${secured.host}/ibu/seed:4.16.1`)),
      (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.match(
          error.message,
          /^pull 127\.0\.0\.1:\d+\/ibu\/seed:4\.16\.1: 401 Unauthorized from registry/,
        );
        assert.match(error.message, /rejected its credentials/);
        return true;
      },
    );
  });

  it('with a docker-config pull secret, pushes and pulls through htpasswd auth', async () => {
    const pullSecret = JSON.stringify(dockerConfigFor(secured.host, 'seed', 'pa55'));
    const client = new RegistryClient({ dockerConfig: pullSecret });
    const ref = `${secured.host}/ibu/seed:4.16.1`;
    const pushed = await pushLayout(layoutDir, ref, { client });
    const pulled = await pullToLayout(ref, join(root, 'pulled-auth'), { client });
    assert.equal(pulled.digest, pushed.digest);
    const inspected = (await skopeoInspect(ref, '--creds', 'seed:pa55')) as {
      Labels: Record<string, string>;
    };
    assert.deepEqual(inspected.Labels, labels);
  });

  it('reports a stopped registry as not reachable', async () => {
    const gone = await startRegistry({ dir: join(root, 'registry-gone') });
    await gone.stop();
    const ref = `${gone.host}/ibu/seed:4.16`;
    await assert.rejects(new RegistryClient().getManifest(parseImageReference(ref)), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(
        error.message,
        `pull ${ref}: registry at ${gone.host} is not reachable (connection refused)`,
      );
      return true;
    });
  });
});
