import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { allKinds } from '../../src/api/index.ts';
import { installCrds } from '../../src/lab/crds.ts';
import { generatedCrds } from '../../scripts/generate-crds.ts';
import { request } from '../support/http.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

const fixtures = path.resolve('test/fixtures/seeds');

interface Manifest {
  readonly file: string;
  readonly object: { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } };
}

/**
 * What a user does with a seed example before applying it: fill in the `<placeholders>` the seed
 * asks them to replace, and drop the `...` lines that mark elided parts.
 */
function asUserWouldApply(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '...' && !/^\s*\.\.\.\s/.test(line))
    .join('\n')
    .replace(/<([a-z_-]+)>/g, (_m, name: string) => name.replace(/_/g, '-'));
}

async function seedManifests(): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const file of (await readdir(fixtures)).sort()) {
    for (const doc of parseAllDocuments(
      asUserWouldApply(await readFile(path.join(fixtures, file), 'utf8')),
    )) {
      const value = doc.toJS() as unknown;
      if (typeof value === 'object' && value !== null && 'apiVersion' in value && 'kind' in value) {
        manifests.push({ file, object: value as Manifest['object'] });
      }
    }
  }
  return manifests;
}

describe('generated CRDs', () => {
  it('deploy/crds is up to date with src/api (npm run generate:crds)', async () => {
    const directory = path.resolve('deploy/crds');
    const present = (await readdir(directory)).filter((f) => f.endsWith('.yaml')).sort();
    const wanted = generatedCrds();
    assert.deepEqual(present, [...wanted.keys()].sort());
    for (const [file, text] of wanted)
      assert.equal(await readFile(path.join(directory, file), 'utf8'), text, `${file} is stale`);
  });
});

describe('seed manifests against a real server with every CRD installed', () => {
  let api: TestApiServer;
  const resources = new Map<string, { resource: string; namespaced: boolean }>();

  before(async () => {
    api = await startTestApiServer({ backend: 'memory' });
    assert.equal(await installCrds(api.url, ['hub']), allKinds.length);
  });
  after(() => api.close());

  async function resourceFor(
    apiVersion: string,
    kind: string,
  ): Promise<{ resource: string; namespaced: boolean }> {
    const key = `${apiVersion}/${kind}`;
    const cached = resources.get(key);
    if (cached) return cached;
    const listPath = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const reply = await request(api.url, 'GET', listPath);
    const found = (
      reply.body.resources as { name: string; kind: string; namespaced: boolean }[] | undefined
    )?.find((r) => r.kind === kind && !r.name.includes('/'));
    assert.ok(found, `${kind} (${apiVersion}) is not served`);
    const resolved = { resource: found.name, namespaced: found.namespaced };
    resources.set(key, resolved);
    return resolved;
  }

  it('every manifest in the seeds is accepted as-is (strict field validation, dry run)', async () => {
    const manifests = await seedManifests();
    assert.ok(manifests.length >= 19, `only ${manifests.length} manifests found`);
    const refused: string[] = [];
    for (const { file, object } of manifests) {
      const { resource, namespaced } = await resourceFor(object.apiVersion, object.kind);
      const namespace = object.metadata?.namespace ?? 'default';
      if (namespaced)
        await request(api.url, 'POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
      const base = object.apiVersion.includes('/')
        ? `/apis/${object.apiVersion}`
        : `/api/${object.apiVersion}`;
      const collection = namespaced ? `${base}/namespaces/${namespace}/${resource}` : `${base}/${resource}`;
      const reply = await request(api.url, 'POST', `${collection}?dryRun=All&fieldValidation=Strict`, {
        body: object,
      });
      if (reply.status !== 201 || reply.headers.warning !== undefined) {
        refused.push(
          `${file} (${object.kind}): ${reply.status} ${reply.text} ${String(reply.headers.warning ?? '')}`,
        );
      }
    }
    assert.deepEqual(refused, []);
  });
});
