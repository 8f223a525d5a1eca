/**
 * Real kubectl 1.33 against the embedded API server on etcd: the everyday verbs, output formats,
 * error messages and logical-cluster isolation a user sees.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { kubectlSession } from '../support/kubectl.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

let api: TestApiServer;
let kubeconfig: string;

const { kubectl, ok, fails } = kubectlSession(() => ({ dir: api.dir, kubeconfig }));

async function createNamespace(name: string, context?: string): Promise<void> {
  await ok(['create', 'namespace', name], context === undefined ? {} : { context });
}

function names(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

function asRecord(value: unknown): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object');
  return value as Record<string, unknown>;
}

const shopManifest = (image: string, labels: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: apply-ns
  labels: ${labels}
spec:
  replicas: 1
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: shop
        image: ${image}
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
  namespace: apply-ns
data:
  mode: blue
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: apply-ns
spec:
  selector: {app: shop}
  ports:
  - port: 80
    targetPort: 8080
`;

describe('kubectl against the embedded API server (etcd backend)', () => {
  before(async () => {
    api = await startTestApiServer({ backend: 'etcd', clusters: ['spoke1'] });
    kubeconfig = await api.writeKubeconfig();
  });

  after(async () => {
    await api?.close();
  });

  describe('discovery and version', () => {
    it('kubectl version reports a 1.33 client and the server version', async () => {
      const stdout = await ok(['version']);
      assert.match(stdout, /^Client Version: v1\.33\./m);
      assert.match(stdout, /^Server Version: v1\.33\.0-lcm$/m);
    });

    it('get ns prints the namespace table with STATUS and AGE for the default namespaces', async () => {
      const stdout = await ok(['get', 'ns']);
      const [header, ...rows] = stdout.trimEnd().split('\n');
      assert.match(header ?? '', /^NAME\s+STATUS\s+AGE$/);
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
        assert.ok(
          rows.some((row) => new RegExp(`^${ns}\\s+Active\\s+\\d+[smh]$`).test(row)),
          `no Active row for ${ns} in:\n${stdout}`,
        );
      }
    });

    it('api-resources lists configmaps, deployments and CRDs with their short names and scope', async () => {
      const stdout = await ok(['api-resources']);
      assert.match(stdout, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
      assert.match(stdout, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
      assert.match(stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(
        stdout,
        /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
      );
    });
  });

  describe('imperative create (protobuf request bodies)', () => {
    before(() => createNamespace('create-ns'));

    it('create namespace makes an Active namespace', async () => {
      assert.equal(await ok(['create', 'namespace', 'fresh-ns']), 'namespace/fresh-ns created\n');
      const phase = await ok(['get', 'namespace', 'fresh-ns', '-o', 'jsonpath={.status.phase}']);
      assert.equal(phase, 'Active');
    });

    it('create configmap --from-literal stores the literal data', async () => {
      const stdout = await ok([
        '-n',
        'create-ns',
        'create',
        'configmap',
        'settings',
        '--from-literal=color=green',
      ]);
      assert.equal(stdout, 'configmap/settings created\n');
      const data = JSON.parse(await ok(['-n', 'create-ns', 'get', 'cm', 'settings', '-o', 'json'])) as {
        data?: unknown;
      };
      assert.deepEqual(data.data, { color: 'green' });
    });

    it('create secret generic stores base64 data with type Opaque', async () => {
      const stdout = await ok([
        '-n',
        'create-ns',
        'create',
        'secret',
        'generic',
        'creds',
        '--from-literal=password=s3cret',
      ]);
      assert.equal(stdout, 'secret/creds created\n');
      const got = await ok([
        '-n',
        'create-ns',
        'get',
        'secret',
        'creds',
        '-o',
        'jsonpath={.type} {.data.password}',
      ]);
      assert.equal(got, `Opaque ${Buffer.from('s3cret').toString('base64')}`);
    });

    it('create deployment --image --replicas stores replicas, image and the app selector', async () => {
      const stdout = await ok([
        '-n',
        'create-ns',
        'create',
        'deployment',
        'web',
        '--image=nginx:1.25',
        '--replicas=2',
      ]);
      assert.equal(stdout, 'deployment.apps/web created\n');
      const got = await ok([
        '-n',
        'create-ns',
        'get',
        'deployment',
        'web',
        '-o',
        'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.selector.matchLabels.app}',
      ]);
      assert.equal(got, '2 nginx:1.25 web');
    });

    it('create of an existing object fails with the AlreadyExists message', async () => {
      const stderr = await fails(['-n', 'create-ns', 'create', 'configmap', 'settings']);
      assert.match(stderr, /configmaps "settings" already exists/);
      const fromFile = await fails(['create', '-f', '-'], {
        stdin: JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings', namespace: 'create-ns' },
        }),
      });
      assert.match(
        fromFile,
        /^Error from server \(AlreadyExists\): error when creating "STDIN": configmaps "settings" already exists$/m,
      );
    });

    it('get of a missing object exits 1 with the NotFound message', async () => {
      const stderr = await fails(['-n', 'create-ns', 'get', 'configmap', 'nope']);
      assert.equal(stderr, 'Error from server (NotFound): configmaps "nope" not found\n');
    });

    it('get in a namespace that does not exist: the server answers for the object, kubectl then names the namespace', async () => {
      // kube-apiserver checks namespace existence only on create; kubectl 1.33 looks the namespace up
      // after a 404 and reports that instead (as it does against a real cluster).
      const stderr = await fails(['-n', 'no-such-ns', 'get', 'configmap', 'nope']);
      assert.equal(stderr, 'Error from server (NotFound): namespaces "no-such-ns" not found\n');
    });
  });

  describe('apply', () => {
    before(() => createNamespace('apply-ns'));

    it('apply of a multi-document YAML creates all three objects', async () => {
      const stdout = await ok(['apply', '-f', '-'], {
        stdin: shopManifest('shop:1.0', '{app: shop, tier: back}'),
      });
      assert.equal(
        stdout,
        'deployment.apps/shop created\nconfigmap/shop-config created\nservice/shop created\n',
      );
      const listed = await ok(['-n', 'apply-ns', 'get', 'deploy,cm,svc', '-o', 'name']);
      for (const name of ['deployment.apps/shop', 'configmap/shop-config', 'service/shop'])
        assert.ok(listed.includes(name), `${name} missing from:\n${listed}`);
    });

    it('re-apply with a changed image and labels reports configured and applies the three-way merge', async () => {
      const stdout = await ok(['apply', '-f', '-'], {
        stdin: shopManifest('shop:2.0', '{app: shop, track: stable}'),
      });
      assert.equal(
        stdout,
        'deployment.apps/shop configured\nconfigmap/shop-config unchanged\nservice/shop unchanged\n',
      );
      const got = await ok([
        '-n',
        'apply-ns',
        'get',
        'deploy',
        'shop',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image} {.metadata.labels}',
      ]);
      // `tier` was in the last applied configuration and is gone from the new one: apply removes it.
      assert.equal(got, 'shop:2.0 {"app":"shop","track":"stable"}');
    });

    it('re-apply of the unchanged manifest reports every object unchanged', async () => {
      const stdout = await ok(['apply', '-f', '-'], {
        stdin: shopManifest('shop:2.0', '{app: shop, track: stable}'),
      });
      assert.equal(
        stdout,
        'deployment.apps/shop unchanged\nconfigmap/shop-config unchanged\nservice/shop unchanged\n',
      );
    });
  });

  describe('output formats and describe', () => {
    before(async () => {
      await createNamespace('out-ns');
      await ok(['-n', 'out-ns', 'create', 'configmap', 'alpha', '--from-literal=a=1', '--from-literal=b=2']);
      await ok(['-n', 'out-ns', 'create', 'configmap', 'beta', '--from-literal=a=3']);
    });

    it('-o yaml prints the object as YAML with server-set metadata', async () => {
      const object = asRecord(parseYaml(await ok(['-n', 'out-ns', 'get', 'cm', 'alpha', '-o', 'yaml'])));
      assert.equal(object.apiVersion, 'v1');
      assert.equal(object.kind, 'ConfigMap');
      assert.deepEqual(object.data, { a: '1', b: '2' });
      const metadata = asRecord(object.metadata);
      assert.equal(metadata.name, 'alpha');
      assert.equal(metadata.namespace, 'out-ns');
      assert.match(String(metadata.uid), /^[0-9a-f-]{36}$/);
      assert.match(String(metadata.resourceVersion), /^\d+$/);
      assert.match(String(metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('-o json of a list prints a v1 List holding both objects', async () => {
      const list = asRecord(JSON.parse(await ok(['-n', 'out-ns', 'get', 'cm', '-o', 'json'])));
      assert.equal(list.kind, 'List');
      assert.ok(Array.isArray(list.items));
      const itemNames = list.items.map((item) => asRecord(asRecord(item).metadata).name);
      assert.deepEqual(itemNames, ['alpha', 'beta']);
    });

    it('-o jsonpath extracts fields from every item', async () => {
      const stdout = await ok([
        '-n',
        'out-ns',
        'get',
        'cm',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.data.a}{"\\n"}{end}',
      ]);
      assert.equal(stdout, 'alpha=1\nbeta=3\n');
    });

    it('-o custom-columns prints the chosen columns and <none> for a missing value', async () => {
      const stdout = await ok([
        '-n',
        'out-ns',
        'get',
        'cm',
        '-o',
        'custom-columns=NAME:.metadata.name,B:.data.b',
      ]);
      const lines = stdout.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^NAME\s+B$/);
      assert.match(lines[1] ?? '', /^alpha\s+2$/);
      assert.match(lines[2] ?? '', /^beta\s+<none>$/);
    });

    it('describe deployment shows name, labels, selector, replicas and the container image', async () => {
      const stdout = await ok(['-n', 'apply-ns', 'describe', 'deployment', 'shop']);
      assert.match(stdout, /^Name:\s+shop$/m);
      assert.match(stdout, /^Namespace:\s+apply-ns$/m);
      assert.match(stdout, /^Labels:\s+app=shop\n\s+track=stable$/m);
      assert.match(stdout, /^Selector:\s+app=shop$/m);
      assert.match(
        stdout,
        /^Replicas:\s+1 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m,
      );
      assert.match(stdout, /^StrategyType:\s+RollingUpdate$/m);
      assert.match(stdout, /^\s+shop:\n\s+Image:\s+shop:2\.0$/m);
    });

    it('describe deployment shows the container port with its defaulted TCP protocol', async () => {
      const stdout = await ok(['-n', 'apply-ns', 'describe', 'deployment', 'shop']);
      // The API server defaults ports[].protocol to TCP (SetDefaults_ContainerPort).
      assert.match(stdout, /^\s+Port:\s+8080\/TCP$/m);
    });

    it('describe configmap shows its data section', async () => {
      const stdout = await ok(['-n', 'out-ns', 'describe', 'configmap', 'alpha']);
      assert.match(stdout, /^Name:\s+alpha$/m);
      assert.match(stdout, /^Namespace:\s+out-ns$/m);
      // kubectl prints the keys in Go map order, which varies from run to run.
      assert.match(stdout, /^Data\n====\n/m);
      assert.match(stdout, /^a:\n----\n1\n/m);
      assert.match(stdout, /^b:\n----\n2\n/m);
    });
  });

  describe('label, annotate, patch, scale, delete', () => {
    before(async () => {
      await createNamespace('edit-ns');
      await ok(['-n', 'edit-ns', 'create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=x=9']);
      await ok(['apply', '-f', '-'], {
        stdin: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'pair', namespace: 'edit-ns' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'pair' } },
            template: {
              metadata: { labels: { app: 'pair' } },
              spec: {
                containers: [
                  { name: 'main', image: 'main:1' },
                  { name: 'sidecar', image: 'sidecar:1' },
                ],
              },
            },
          },
        }),
      });
    });

    it('label adds a label, refuses to change it without --overwrite, and changes it with it', async () => {
      assert.equal(await ok(['-n', 'edit-ns', 'label', 'cm', 'cfg', 'env=prod']), 'configmap/cfg labeled\n');
      const refused = await fails(['-n', 'edit-ns', 'label', 'cm', 'cfg', 'env=dev']);
      assert.match(refused, /'env' already has a value \(prod\), and --overwrite is false/);
      await ok(['-n', 'edit-ns', 'label', 'cm', 'cfg', 'env=dev', '--overwrite']);
      assert.equal(
        await ok(['-n', 'edit-ns', 'get', 'cm', 'cfg', '-o', 'jsonpath={.metadata.labels.env}']),
        'dev',
      );
    });

    it('annotate adds an annotation and --overwrite replaces it', async () => {
      assert.equal(
        await ok(['-n', 'edit-ns', 'annotate', 'cm', 'cfg', 'owner=alice']),
        'configmap/cfg annotated\n',
      );
      const refused = await fails(['-n', 'edit-ns', 'annotate', 'cm', 'cfg', 'owner=bob']);
      assert.match(refused, /'owner' already has a value \(alice\)/);
      await ok(['-n', 'edit-ns', 'annotate', 'cm', 'cfg', 'owner=bob', '--overwrite']);
      const owner = await ok([
        '-n',
        'edit-ns',
        'get',
        'cm',
        'cfg',
        '-o',
        'jsonpath={.metadata.annotations.owner}',
      ]);
      assert.equal(owner, 'bob');
    });

    it('patch --type=merge adds a key and null removes one', async () => {
      const stdout = await ok([
        '-n',
        'edit-ns',
        'patch',
        'cm',
        'cfg',
        '--type=merge',
        '-p',
        '{"data":{"b":"2","x":null}}',
      ]);
      assert.equal(stdout, 'configmap/cfg patched\n');
      const data = await ok(['-n', 'edit-ns', 'get', 'cm', 'cfg', '-o', 'jsonpath={.data}']);
      assert.deepEqual(JSON.parse(data), { a: '1', b: '2' });
    });

    it('patch --type=json applies replace and add operations in order', async () => {
      await ok([
        '-n',
        'edit-ns',
        'patch',
        'cm',
        'cfg',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/data/a","value":"one"},{"op":"add","path":"/data/c","value":"3"}]',
      ]);
      const data = await ok(['-n', 'edit-ns', 'get', 'cm', 'cfg', '-o', 'jsonpath={.data}']);
      assert.deepEqual(JSON.parse(data), { a: 'one', b: '2', c: '3' });
    });

    it('patch --type=json with a failing test operation is refused and changes nothing', async () => {
      const stderr = await fails([
        '-n',
        'edit-ns',
        'patch',
        'cm',
        'cfg',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/data/a","value":"two"},{"op":"test","path":"/data/b","value":"nope"}]',
      ]);
      assert.match(stderr, /testing value \/data\/b failed/);
      assert.equal(await ok(['-n', 'edit-ns', 'get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}']), 'one');
    });

    it('default strategic patch changes one container image by name and keeps the other container', async () => {
      const stdout = await ok([
        '-n',
        'edit-ns',
        'patch',
        'deployment',
        'pair',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"sidecar:2"}]}}}}',
      ]);
      assert.equal(stdout, 'deployment.apps/pair patched\n');
      const images = await ok([
        '-n',
        'edit-ns',
        'get',
        'deployment',
        'pair',
        '-o',
        'jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}',
      ]);
      assert.equal(images, 'main=main:1 sidecar=sidecar:2 ');
    });

    it('scale deployment --replicas sets spec.replicas', async () => {
      assert.equal(
        await ok(['-n', 'edit-ns', 'scale', 'deployment', 'pair', '--replicas=4']),
        'deployment.apps/pair scaled\n',
      );
      assert.equal(
        await ok(['-n', 'edit-ns', 'get', 'deploy', 'pair', '-o', 'jsonpath={.spec.replicas}']),
        '4',
      );
    });

    it('scale with a stale --current-replicas precondition is refused', async () => {
      const stderr = await fails([
        '-n',
        'edit-ns',
        'scale',
        'deployment',
        'pair',
        '--current-replicas=1',
        '--replicas=2',
      ]);
      assert.match(stderr, /^error: Expected replicas to be 1, was 4$/m);
      assert.equal(
        await ok(['-n', 'edit-ns', 'get', 'deploy', 'pair', '-o', 'jsonpath={.spec.replicas}']),
        '4',
      );
    });

    it('delete --wait removes the object and a later get is NotFound', async () => {
      await ok(['-n', 'edit-ns', 'create', 'configmap', 'doomed']);
      assert.equal(
        await ok(['-n', 'edit-ns', 'delete', 'cm', 'doomed', '--wait']),
        'configmap "doomed" deleted\n',
      );
      const stderr = await fails(['-n', 'edit-ns', 'get', 'cm', 'doomed']);
      assert.equal(stderr, 'Error from server (NotFound): configmaps "doomed" not found\n');
    });
  });

  describe('namespace deletion', () => {
    it('delete namespace --wait removes the namespace and every object inside it', async () => {
      await createNamespace('doomed-ns');
      await ok(['-n', 'doomed-ns', 'create', 'configmap', 'inside', '--from-literal=k=v']);
      await ok(['-n', 'doomed-ns', 'create', 'secret', 'generic', 'inside-secret', '--from-literal=k=v']);
      await ok(['-n', 'doomed-ns', 'create', 'deployment', 'inside-deploy', '--image=busybox']);
      assert.equal(
        await ok(['delete', 'namespace', 'doomed-ns', '--wait']),
        'namespace "doomed-ns" deleted\n',
      );
      assert.equal(
        await fails(['get', 'namespace', 'doomed-ns']),
        'Error from server (NotFound): namespaces "doomed-ns" not found\n',
      );
      // Re-creating the namespace must not resurrect anything: its contents were deleted, not hidden.
      await createNamespace('doomed-ns');
      const left = await kubectl(['-n', 'doomed-ns', 'get', 'configmaps,secrets,deployments', '-o', 'name']);
      assert.equal(left.code, 0, left.stderr);
      assert.equal(left.stdout, '');
    });
  });

  describe('selectors and paging', () => {
    before(async () => {
      await createNamespace('sel-ns');
      const labelled: [string, string[]][] = [
        ['web-a', ['app=web', 'env=a']],
        ['web-b', ['app=web', 'env=b', 'legacy=true']],
        ['db-c', ['app=db', 'env=c']],
        ['plain', []],
      ];
      for (const [name, labels] of labelled) {
        await ok(['-n', 'sel-ns', 'create', 'configmap', name]);
        if (labels.length > 0) await ok(['-n', 'sel-ns', 'label', 'configmap', name, ...labels]);
      }
    });

    it('-l app=web selects by equality', async () => {
      const stdout = await ok(['-n', 'sel-ns', 'get', 'cm', '-l', 'app=web', '-o', 'name']);
      assert.deepEqual(names(stdout), ['configmap/web-a', 'configmap/web-b']);
    });

    it("-l 'env in (a,c)' selects by set membership", async () => {
      const stdout = await ok(['-n', 'sel-ns', 'get', 'cm', '-l', 'env in (a,c)', '-o', 'name']);
      assert.deepEqual(names(stdout), ['configmap/db-c', 'configmap/web-a']);
    });

    it("-l '!legacy' selects objects without the label, unlabelled ones included", async () => {
      const stdout = await ok(['-n', 'sel-ns', 'get', 'cm', '-l', '!legacy', '-o', 'name']);
      assert.deepEqual(names(stdout), ['configmap/db-c', 'configmap/plain', 'configmap/web-a']);
    });

    it('--field-selector metadata.name=x selects one object by name', async () => {
      const stdout = await ok([
        '-n',
        'sel-ns',
        'get',
        'cm',
        '--field-selector',
        'metadata.name=db-c',
        '-o',
        'name',
      ]);
      assert.equal(stdout, 'configmap/db-c\n');
    });

    it('get --chunk-size=2 over 7 configmaps pages with continue tokens and returns all 7', async () => {
      await createNamespace('page-ns');
      for (let i = 1; i <= 7; i++) await ok(['-n', 'page-ns', 'create', 'configmap', `page-${i}`]);
      const result = await kubectl(['-n', 'page-ns', 'get', 'cm', '--chunk-size=2', '-o', 'name', '-v=6']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(
        names(result.stdout),
        [1, 2, 3, 4, 5, 6, 7].map((i) => `configmap/page-${i}`),
      );
      const requests = result.stderr.split('\n').filter((line) => /verb="GET".*\/configmaps\?/.test(line));
      assert.equal(requests.length, 4, `expected 4 pages of at most 2:\n${requests.join('\n')}`);
      assert.equal(requests.filter((line) => line.includes('continue=')).length, 3);
    });
  });

  describe('logical clusters', () => {
    it('the spoke1 context sees its own namespaces and objects, not the hub’s', async () => {
      await createNamespace('hub-only');
      await createNamespace('spoke-only', 'spoke1');
      await ok(['-n', 'default', 'create', 'configmap', 'shared-name', '--from-literal=where=hub']);
      await ok(['-n', 'default', 'create', 'configmap', 'shared-name', '--from-literal=where=spoke'], {
        context: 'spoke1',
      });

      const spokeNs = await ok(['get', 'ns', '-o', 'name'], { context: 'spoke1' });
      assert.ok(spokeNs.includes('namespace/spoke-only'), spokeNs);
      assert.ok(!spokeNs.includes('namespace/hub-only'), spokeNs);
      assert.ok(!spokeNs.includes('namespace/apply-ns'), spokeNs);
      const hubNs = await ok(['get', 'ns', '-o', 'name']);
      assert.ok(hubNs.includes('namespace/hub-only'), hubNs);
      assert.ok(!hubNs.includes('namespace/spoke-only'), hubNs);

      const where = ['-n', 'default', 'get', 'cm', 'shared-name', '-o', 'jsonpath={.data.where}'];
      assert.equal(await ok(where), 'hub');
      assert.equal(await ok(where, { context: 'spoke1' }), 'spoke');
      await ok(['-n', 'default', 'create', 'deployment', 'hub-web', '--image=nginx']);
      assert.equal(
        await fails(['-n', 'default', 'get', 'deployment', 'hub-web'], { context: 'spoke1' }),
        'Error from server (NotFound): deployments.apps "hub-web" not found\n',
      );
    });
  });
});
