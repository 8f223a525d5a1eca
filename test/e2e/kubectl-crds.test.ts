/**
 * Real kubectl 1.33 against CustomResourceDefinitions on the embedded API server (memory backend):
 * structural-schema validation and defaulting, CEL transition rules, printer columns, served
 * versions, the status and scale subresources, explain, and CRD deletion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { KubectlResult } from '../../src/lab/kubectl.ts';
import { kubectlSession } from '../support/kubectl.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

let api: TestApiServer;
let kubeconfig: string;

const { kubectl, ok, fails } = kubectlSession(() => ({ dir: api.dir, kubeconfig }));

function apply(object: unknown): Promise<KubectlResult> {
  return kubectl(['apply', '-f', '-'], { stdin: JSON.stringify(object) });
}

async function applyOk(object: unknown): Promise<string> {
  const result = await apply(object);
  assert.equal(result.code, 0, `apply failed:\n${result.stderr}`);
  return result.stdout;
}

function asRecord(value: unknown): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object');
  return value as Record<string, unknown>;
}

const group = 'lab.lcm.io';
const crdName = `widgets.${group}`;

const widgetSchema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        description: 'Desired state of the widget.',
        required: ['size', 'owner'],
        properties: {
          size: { type: 'string', description: 'How big the widget is.', enum: ['small', 'medium', 'large'] },
          owner: {
            type: 'string',
            description: 'Who owns the widget; fixed at creation.',
            'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
          },
          color: { type: 'string', default: 'blue' },
          replicas: { type: 'integer', minimum: 0, default: 1 },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      status: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          conditions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['type', 'status'],
              properties: {
                type: { type: 'string' },
                status: { type: 'string' },
                reason: { type: 'string' },
                message: { type: 'string' },
                lastTransitionTime: { type: 'string', format: 'date-time' },
              },
            },
          },
        },
      },
    },
  },
};

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: crdName },
  spec: {
    group,
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wdg'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
        },
        additionalPrinterColumns: [
          { name: 'Size', type: 'string', jsonPath: '.spec.size' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        ],
        schema: widgetSchema,
      },
      { name: 'v1beta1', served: true, storage: false, subresources: { status: {} }, schema: widgetSchema },
    ],
  },
};

/** A second, minimal CRD that the deletion test may destroy without disturbing the others. */
const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `gadgets.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { note: { type: 'string' } } } },
          },
        },
      },
    ],
  },
};

function widget(name: string, spec: Record<string, unknown>, version = 'v1'): Record<string, unknown> {
  return {
    apiVersion: `${group}/${version}`,
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec,
  };
}

async function readWidget(name: string): Promise<Record<string, unknown>> {
  return asRecord(JSON.parse(await ok(['get', 'widget', name, '-o', 'json'])));
}

const readyPatch = JSON.stringify({
  status: {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'AllGood',
        message: 'the widget works',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ],
  },
});

describe('kubectl with CustomResourceDefinitions (memory backend)', () => {
  before(async () => {
    api = await startTestApiServer({ backend: 'memory', clusters: ['spoke1'] });
    kubeconfig = await api.writeKubeconfig();
  });

  after(async () => {
    await api?.close();
  });

  describe('defining the CRD', () => {
    it('apply creates the CRD and kubectl wait sees it Established', async () => {
      assert.equal(
        await applyOk(widgetCrd),
        `customresourcedefinition.apiextensions.k8s.io/${crdName} created\n`,
      );
      const waited = await ok(['wait', '--for=condition=Established', `crd/${crdName}`, '--timeout=10s']);
      assert.equal(waited, `customresourcedefinition.apiextensions.k8s.io/${crdName} condition met\n`);
    });

    it('CRDs are per logical cluster: the spoke context neither lists the CRD nor serves its resource', async () => {
      const listed = await kubectl(['get', 'crd', '-o', 'name'], { context: 'spoke1' });
      assert.equal(listed.code, 0, listed.stderr);
      assert.ok(!listed.stdout.includes(crdName), listed.stdout);
      const stderr = await fails(['get', 'widgets'], { context: 'spoke1' });
      assert.match(stderr, /the server doesn't have a resource type "widgets"/);
      assert.match(
        await ok(['get', 'crd', '-o', 'name']),
        new RegExp(`customresourcedefinition.apiextensions.k8s.io/${crdName}`),
      );
    });
  });

  describe('validation and defaulting of custom resources', () => {
    it('a created CR shows its schema defaults and keeps fields under x-kubernetes-preserve-unknown-fields', async () => {
      assert.equal(
        await applyOk(
          widget('w1', { size: 'small', owner: 'alice', extra: { anything: { goes: [1, 'two'] } } }),
        ),
        `widget.${group}/w1 created\n`,
      );
      const object = asRecord(parseYaml(await ok(['get', 'widget', 'w1', '-o', 'yaml'])));
      assert.equal(object.apiVersion, `${group}/v1`);
      assert.deepEqual(object.spec, {
        size: 'small',
        owner: 'alice',
        color: 'blue',
        replicas: 1,
        extra: { anything: { goes: [1, 'two'] } },
      });
      assert.equal(asRecord(object.metadata).generation, 1);
    });

    it('an unknown field is refused with the strict decoding error naming the field', async () => {
      const result = await apply(widget('bogus', { size: 'small', owner: 'alice', bogus: 1 }));
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /strict decoding error: unknown field "spec\.bogus"/);
      assert.match(await fails(['get', 'widget', 'bogus']), /widgets.lab.lcm.io "bogus" not found/);
    });

    it('a value outside the enum is refused as Unsupported value with the allowed values', async () => {
      const result = await apply(widget('tiny', { size: 'tiny', owner: 'alice' }));
      assert.equal(result.code, 1, result.stdout);
      assert.match(
        result.stderr,
        /spec\.size: Unsupported value: "tiny": supported values: "small", "medium", "large"/,
      );
    });

    it('a missing required field is refused as Required value', async () => {
      const result = await apply(widget('ownerless', { size: 'small' }));
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /spec\.owner: Required value/);
      assert.match(await fails(['get', 'widget', 'ownerless']), /not found/);
    });

    it('changing a field guarded by self == oldSelf is refused with the rule message', async () => {
      await applyOk(widget('immutable', { size: 'small', owner: 'alice' }));
      const result = await apply(widget('immutable', { size: 'small', owner: 'bob' }));
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /spec\.owner: Invalid value: "string": Value is immutable/);
      assert.equal(await ok(['get', 'widget', 'immutable', '-o', 'jsonpath={.spec.owner}']), 'alice');
      // The same rule lets an update that leaves the field alone through.
      await applyOk(widget('immutable', { size: 'large', owner: 'alice' }));
      assert.equal(await ok(['get', 'widget', 'immutable', '-o', 'jsonpath={.spec.size}']), 'large');
    });
  });

  describe('reading custom resources', () => {
    before(async () => {
      await applyOk(widget('listed', { size: 'medium', owner: 'carol', replicas: 2 }));
    });

    it('get <plural> prints the additionalPrinterColumns', async () => {
      const stdout = await ok(['get', 'widgets']);
      const [header, ...rows] = stdout.trimEnd().split('\n');
      assert.match(header ?? '', /^NAME\s+SIZE\s+REPLICAS\s+READY$/);
      assert.ok(
        rows.some((row) => /^listed\s+medium\s+2\s*$/.test(row)),
        `no printer-column row for "listed" in:\n${stdout}`,
      );
    });

    it('get <shortname> finds the same objects', async () => {
      const stdout = await ok(['get', 'wdg', 'listed', '-o', 'name']);
      assert.equal(stdout, `widget.${group}/listed\n`);
    });

    it('the served v1beta1 version returns the same object in its own apiVersion', async () => {
      const stdout = await ok([
        'get',
        `widgets.v1beta1.${group}`,
        'listed',
        '-o',
        'jsonpath={.apiVersion} {.spec.owner} {.metadata.uid}',
      ]);
      const uid = await ok(['get', 'widget', 'listed', '-o', 'jsonpath={.metadata.uid}']);
      assert.equal(stdout, `${group}/v1beta1 carol ${uid}`);
    });

    it('kubectl explain <plural>.spec shows the schema descriptions, required fields and enum', async () => {
      const stdout = await ok(['explain', 'widgets.spec']);
      assert.match(stdout, /^KIND:\s+Widget$/m);
      assert.match(stdout, /^VERSION:\s+v1$/m);
      assert.match(stdout, /^FIELD: spec <Object>$/m);
      assert.match(stdout, /Desired state of the widget\./);
      assert.match(stdout, /^\s+owner\s+<string> -required-\n\s+Who owns the widget; fixed at creation\.$/m);
      assert.match(stdout, /^\s+size\s+<string> -required-\n\s+enum: small, medium, large$/m);
      assert.match(stdout, /^\s+replicas\s+<integer>$/m);
    });
  });

  describe('subresources', () => {
    before(async () => {
      await applyOk(widget('sub', { size: 'small', owner: 'dave' }));
    });

    it('scale <kind>/<name> --replicas=3 sets spec.replicas through the scale subresource', async () => {
      assert.equal(await ok(['scale', 'widget/sub', '--replicas=3']), `widget.${group}/sub scaled\n`);
      assert.equal(await ok(['get', 'widget', 'sub', '-o', 'jsonpath={.spec.replicas}']), '3');
      const scale = asRecord(
        JSON.parse(await ok(['get', '--raw', `/apis/${group}/v1/namespaces/default/widgets/sub/scale`])),
      );
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.apiVersion, 'autoscaling/v1');
      assert.deepEqual(scale.spec, { replicas: 3 });
    });

    it('a status patch makes kubectl wait --for=condition=Ready succeed and the Ready column show True', async () => {
      const before = await kubectl(['wait', '--for=condition=Ready', 'widget/sub', '--timeout=1s']);
      assert.equal(before.code, 1, 'Ready must not hold before the status is written');
      assert.equal(
        await ok(['patch', 'widget', 'sub', '--subresource=status', '--type=merge', '-p', readyPatch]),
        `widget.${group}/sub patched\n`,
      );
      assert.equal(
        await ok(['wait', '--for=condition=Ready', 'widget/sub', '--timeout=10s']),
        `widget.${group}/sub condition met\n`,
      );
      const row = (await ok(['get', 'widgets', 'sub', '--no-headers'])).trimEnd();
      assert.match(row, /^sub\s+small\s+3\s+True$/);
    });

    it('a patch of the main resource that touches status changes spec but not status', async () => {
      const statusBefore = (await readWidget('sub')).status;
      assert.ok(statusBefore !== undefined, 'the previous test wrote a status');
      await ok([
        'patch',
        'widget',
        'sub',
        '--type=merge',
        '-p',
        '{"spec":{"color":"red"},"status":{"replicas":9,"conditions":[]}}',
      ]);
      const after = await readWidget('sub');
      assert.equal(asRecord(after.spec).color, 'red');
      assert.deepEqual(after.status, statusBefore);
    });

    it('a status patch that touches spec changes status but not spec', async () => {
      await ok([
        'patch',
        'widget',
        'sub',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"spec":{"color":"green"},"status":{"replicas":3}}',
      ]);
      const after = await readWidget('sub');
      assert.equal(asRecord(after.spec).color, 'red');
      assert.equal(asRecord(after.status).replicas, 3);
    });

    it('metadata.generation bumps on a spec change but not on a status change', async () => {
      const generation = async (): Promise<number> =>
        Number(await ok(['get', 'widget', 'sub', '-o', 'jsonpath={.metadata.generation}']));
      const start = await generation();
      assert.ok(start >= 1);
      await ok([
        'patch',
        'widget',
        'sub',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"replicas":1}}',
      ]);
      assert.equal(await generation(), start, 'a status write must not bump generation');
      await ok(['patch', 'widget', 'sub', '--type=merge', '-p', '{"spec":{"color":"yellow"}}']);
      assert.equal(await generation(), start + 1, 'a spec write must bump generation');
      await ok(['label', 'widget', 'sub', 'touched=yes']);
      assert.equal(await generation(), start + 1, 'a metadata write must not bump generation');
    });
  });

  describe('deleting a CRD', () => {
    it('delete crd removes its custom resources along with the resource type', async () => {
      await applyOk(gadgetCrd);
      await ok(['wait', '--for=condition=Established', `crd/gadgets.${group}`, '--timeout=10s']);
      await applyOk({
        apiVersion: `${group}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g1', namespace: 'default' },
        spec: { note: 'doomed' },
      });
      assert.equal(await ok(['get', 'gadgets', '-o', 'name']), `gadget.${group}/g1\n`);

      assert.equal(
        await ok(['delete', 'crd', `gadgets.${group}`]),
        `customresourcedefinition.apiextensions.k8s.io "gadgets.${group}" deleted\n`,
      );
      // Which message depends on whether kubectl's discovery cache still lists gadgets; both mean
      // the resource is no longer served.
      assert.match(
        await fails(['get', 'gadgets']),
        /the server doesn't have a resource type "gadgets"|the server could not find the requested resource \(list gadgets\.lab\.lcm\.io\)/,
      );

      // Re-creating the CRD must not bring the old objects back: they were deleted, not hidden.
      await applyOk(gadgetCrd);
      await ok(['wait', '--for=condition=Established', `crd/gadgets.${group}`, '--timeout=10s']);
      const left = await kubectl(['get', 'gadgets', '-A', '-o', 'name']);
      assert.equal(left.code, 0, left.stderr);
      assert.equal(left.stdout, '');
    });
  });
});
