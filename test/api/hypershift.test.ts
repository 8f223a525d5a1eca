import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { formatFieldError } from '../../src/apiserver/field-errors.ts';
import {
  applyDefaults,
  prune,
  pruneNonNullableNulls,
  validateObject,
  type JSONSchemaProps,
} from '../../src/apiserver/schema/index.ts';
import { crdOf, type KindDefinition } from '../../src/api/kind.ts';
import {
  hostedClusterKind,
  hostedControlPlaneKind,
  kinds,
  nodePoolKind,
  type HostedCluster,
  type NodePool,
} from '../../src/api/hypershift/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

type Json = Record<string, unknown>;

/** The documents of a seed fixture; the seed's "..." elision lines are dropped first (see the fixture notes). */
function fixtureDocs(name: string): Json[] {
  const text = readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '...')
    .join('\n');
  return parseAllDocuments(text).map((doc) => doc.toJS() as Json);
}

function fixture(name: string): Json {
  const [doc] = fixtureDocs(name);
  assert.ok(doc, name);
  return doc;
}

function schemaOf(definition: KindDefinition, version = 'v1beta1'): JSONSchemaProps {
  const crd = crdOf(definition) as unknown as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
  assert.ok(schema);
  return schema;
}

/** What the API server reports for `object` (create, or update of `old`): prune, drop nulls, default, validate. */
function serverProblems(definition: KindDefinition, object: Json, old?: Json): string[] {
  const schema = schemaOf(definition);
  const admit = (o: Json): unknown =>
    applyDefaults(schema, pruneNonNullableNulls(schema, prune(schema, o).value));
  return validateObject(schema, admit(object), old === undefined ? undefined : admit(old)).map(
    formatFieldError,
  );
}

const notChecked =
  '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

const hostedCluster = (spec: Json, status?: Json): Json => ({
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'HostedCluster',
  metadata: { name: 'example', namespace: 'clusters' },
  spec,
  ...(status ? { status } : {}),
});

const nodePool = (spec: Json, status?: Json): Json => ({
  apiVersion: 'hypershift.openshift.io/v1beta1',
  kind: 'NodePool',
  metadata: { name: 'nodepool-1', namespace: 'clusters' },
  spec,
  ...(status ? { status } : {}),
});

const image = 'quay.io/openshift-release-dev/ocp-release:4.16.11-x86_64';

test('every hypershift kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('HostedCluster and NodePool are served as v1beta1 (stored) and v1alpha1', () => {
  for (const definition of [hostedClusterKind, nodePoolKind, hostedControlPlaneKind]) {
    assert.deepEqual(
      definition.versions.map((v) => [v.name, v.storage === true]),
      [
        ['v1beta1', true],
        ['v1alpha1', false],
      ],
    );
  }
  assert.deepEqual(hostedClusterKind.shortNames, ['hc', 'hcs']);
  assert.deepEqual(nodePoolKind.shortNames, ['np', 'nps']);
  assert.deepEqual(hostedControlPlaneKind.shortNames, ['hcp', 'hcps']);
});

test('printer columns read as upstream: HostedCluster VERSION … MESSAGE, NodePool CLUSTER … MESSAGE', () => {
  assert.deepEqual(
    hostedClusterKind.versions[0]?.printerColumns?.map((c) => c.name),
    ['Version', 'KubeConfig', 'Progress', 'Available', 'Progressing', 'Message'],
  );
  assert.deepEqual(
    nodePoolKind.versions[0]?.printerColumns?.map((c) => c.name),
    [
      'Cluster',
      'Desired Nodes',
      'Current Nodes',
      'Autoscaling',
      'Autorepair',
      'Version',
      'UpdatingVersion',
      'UpdatingConfig',
      'Message',
    ],
  );
  assert.deepEqual(nodePoolKind.versions[0]?.scale, {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
  });
});

test("seed 003's HostedCluster manifests (OAuth in v1alpha1, feature gate in v1beta1) are accepted as-is", () => {
  assert.deepEqual(objectProblems(hostedClusterKind, fixture('seed003-02-hostedcluster.yaml')), []);
  assert.deepEqual(objectProblems(hostedClusterKind, fixture('seed003-10-hostedcluster.yaml')), []);
});

test("seed 003's HostedCluster spec excerpts (OAuth, channel, etcd restore) fit the HostedCluster spec", () => {
  assert.deepEqual(
    objectProblems(hostedClusterKind, hostedCluster(fixture('seed003-03-hostedcluster.yaml').spec as Json)),
    [],
  );
  assert.deepEqual(
    objectProblems(hostedClusterKind, hostedCluster(fixture('seed003-11-hostedcluster.yaml').spec as Json)),
    [],
  );
  // The shell expands ${ETCD_SNAPSHOT_URL} to a pre-signed S3 URL before the manifest reaches the server.
  const restore = JSON.parse(
    JSON.stringify(fixture('seed003-20-hostedcluster.yaml').spec).replace(
      '${ETCD_SNAPSHOT_URL}',
      'https://somebucket.s3.amazonaws.com/my-cluster-snapshot.db?X-Amz-Signature=abc',
    ),
  ) as Json;
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster(restore)), []);
});

test("seed 003's status outputs fit the HostedCluster status, missing only what the excerpts trimmed", () => {
  const updates = fixture('seed003-12-hostedcluster.yaml');
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({}, { version: updates.version })), [
    'status.version.desired: Required value',
    'status.version.observedGeneration: Required value',
    notChecked,
  ]);
  const released = fixture('seed003-15-hostedcluster.yaml').status as Json;
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({}, released)), [
    'status.conditions[0].reason: Required value',
    'status.version.observedGeneration: Required value',
    notChecked,
  ]);
});

test("seed 003's NodePool manifests and status output are accepted", () => {
  assert.deepEqual(objectProblems(nodePoolKind, fixture('seed003-05-nodepool.yaml')), []);
  assert.deepEqual(objectProblems(nodePoolKind, fixture('seed003-21-nodepool.yaml')), []);
  // `status:` with nothing after it is null, which the server drops like any unset field.
  assert.deepEqual(serverProblems(nodePoolKind, fixture('seed003-07-nodepool.yaml')), []);
  const status = fixture('seed003-14-nodepool.yaml').status as Json;
  assert.deepEqual(objectProblems(nodePoolKind, nodePool({}, status)), []);
});

test('a NodePool gets upstream defaults: amd64, rolling replace with maxSurge 1 / maxUnavailable 0, no auto repair', () => {
  const defaulted = applyDefaults(
    schemaOf(nodePoolKind),
    nodePool({ clusterName: 'example', management: { upgradeType: 'Replace' } }),
  ) as NodePool;
  assert.equal(defaulted.spec?.arch, 'amd64');
  assert.deepEqual(defaulted.spec?.management, {
    upgradeType: 'Replace',
    autoRepair: false,
    replace: { strategy: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  });
});

test('a HostedCluster gets upstream defaults for networking, etcd and availability policies', () => {
  const defaulted = applyDefaults(
    schemaOf(hostedClusterKind),
    hostedCluster({ release: { image } }),
  ) as HostedCluster;
  assert.deepEqual(defaulted.spec?.etcd, {
    managementType: 'Managed',
    managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } },
  });
  assert.deepEqual(defaulted.spec?.networking, {
    networkType: 'OVNKubernetes',
    clusterNetwork: [{ cidr: '10.132.0.0/14' }],
    serviceNetwork: [{ cidr: '172.31.0.0/16' }],
  });
  assert.equal(defaulted.spec?.controllerAvailabilityPolicy, 'HighlyAvailable');
  assert.equal(defaulted.spec?.infrastructureAvailabilityPolicy, 'SingleReplica');
});

test('an unknown platform type is refused with the supported platforms', () => {
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({ platform: { type: 'Bogus' } })), [
    'spec.platform.type: Unsupported value: "Bogus": supported values: "AWS", "None", "IBMCloud", "Agent", "KubeVirt", "Azure", "PowerVS", "OpenStack"',
    notChecked,
  ]);
});

test('a NodePool management without an upgradeType is refused, and so is an unknown one', () => {
  assert.deepEqual(objectProblems(nodePoolKind, nodePool({ management: { autoRepair: true } })), [
    'spec.management.upgradeType: Required value',
    notChecked,
  ]);
  assert.deepEqual(objectProblems(nodePoolKind, nodePool({ management: { upgradeType: 'Rebuild' } })), [
    'spec.management.upgradeType: Unsupported value: "Rebuild": supported values: "Replace", "InPlace"',
    notChecked,
  ]);
});

test('the upgrade type of a NodePool cannot be changed after creation (seed 003 §6.5)', () => {
  const before = nodePool({ clusterName: 'example', management: { upgradeType: 'Replace' } });
  const after = nodePool({ clusterName: 'example', management: { upgradeType: 'InPlace' } });
  assert.deepEqual(serverProblems(nodePoolKind, after, before), [
    'spec.management.upgradeType: Invalid value: "string": UpgradeType is immutable',
  ]);
});

test("seed 003's update patches are accepted: release image and drain timeout on a NodePool, release image on a HostedCluster", () => {
  const pool = nodePool({
    clusterName: 'example',
    management: { upgradeType: 'Replace' },
    release: { image: 'quay.io/ocp:4.16.10' },
  });
  const patched = { ...pool, spec: { ...(pool.spec as Json), nodeDrainTimeout: '60s', release: { image } } };
  assert.deepEqual(serverProblems(nodePoolKind, patched, pool), []);
  const cluster = hostedCluster({ release: { image: 'quay.io/ocp:4.16.10' }, channel: 'stable-4.16' });
  assert.deepEqual(
    serverProblems(hostedClusterKind, hostedCluster({ release: { image }, channel: 'stable-4.16' }), cluster),
    [],
  );
});

test('a release image with white space is refused', () => {
  assert.deepEqual(
    objectProblems(hostedClusterKind, hostedCluster({ release: { image: 'quay.io/ocp 4.16' } })),
    [
      'spec.release.image: Invalid value: "string": Image must start with a word character (letters, digits, or underscores) and contain no white spaces',
    ],
  );
});

test('replicas and autoScaling are mutually exclusive, and autoScaling max must not be below min', () => {
  assert.deepEqual(objectProblems(nodePoolKind, nodePool({ replicas: 2, autoScaling: { min: 1, max: 3 } })), [
    'spec: Invalid value: "object": Both replicas or autoScaling should not be set',
  ]);
  assert.deepEqual(objectProblems(nodePoolKind, nodePool({ autoScaling: { min: 3, max: 2 } })), [
    'spec.autoScaling: Invalid value: "object": max must be equal or greater than min',
  ]);
});

test('pausedUntil takes "true" or an RFC 3339 time, nothing else (seed 003 §9.2)', () => {
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({ pausedUntil: 'true' })), []);
  assert.deepEqual(
    objectProblems(hostedClusterKind, hostedCluster({ pausedUntil: '2024-03-03T03:28:48Z' })),
    [],
  );
  assert.deepEqual(objectProblems(nodePoolKind, nodePool({ pausedUntil: 'true' })), []);
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({ pausedUntil: 'tomorrow' })), [
    "spec.pausedUntil: Invalid value: \"string\": PausedUntil must be a date in RFC3339 format or 'True', 'true', 'False' or 'false'",
  ]);
});

test('an OpenID issuer must be https without query or fragment (seed 003 §3.1)', () => {
  const withIssuer = (issuer: string) =>
    hostedCluster({
      configuration: {
        oauth: {
          identityProviders: [
            {
              name: 'IAM',
              type: 'OpenID',
              mappingMethod: 'lookup',
              openID: { clientID: 'id', clientSecret: { name: 's' }, issuer, claims: { email: ['email'] } },
            },
          ],
        },
      },
    });
  assert.deepEqual(objectProblems(hostedClusterKind, withIssuer('https://example.com/identity')), []);
  const message =
    'spec.configuration.oauth.identityProviders[0].openID.issuer: Invalid value: "string": issuer must use the https scheme with no query or fragment component';
  assert.deepEqual(objectProblems(hostedClusterKind, withIssuer('http://example.com/identity')), [message]);
  assert.deepEqual(objectProblems(hostedClusterKind, withIssuer('https://example.com/identity?x=1')), [
    message,
  ]);
});

test('TechPreviewNoUpgrade cannot be turned off once enabled (seed 003 ch. 5)', () => {
  const gate = (featureSet: string) => hostedCluster({ configuration: { featureGate: { featureSet } } });
  assert.deepEqual(serverProblems(hostedClusterKind, gate('TechPreviewNoUpgrade'), gate('')), []);
  assert.deepEqual(serverProblems(hostedClusterKind, gate(''), gate('TechPreviewNoUpgrade')), [
    'spec.configuration.featureGate.featureSet: Invalid value: "string": TechPreviewNoUpgrade may not be changed',
  ]);
});

test('clusterID may be filled in once, then neither changed nor removed', () => {
  const id = 'd6d42268-7dff-4d37-92cf-691bd2d42f41';
  assert.deepEqual(
    serverProblems(hostedClusterKind, hostedCluster({ clusterID: id }), hostedCluster({})),
    [],
  );
  assert.deepEqual(
    serverProblems(
      hostedClusterKind,
      hostedCluster({ clusterID: '11111111-2222-3333-4444-555555555555' }),
      hostedCluster({ clusterID: id }),
    ),
    ['spec.clusterID: Invalid value: "string": clusterID is immutable'],
  );
  assert.deepEqual(serverProblems(hostedClusterKind, hostedCluster({}), hostedCluster({ clusterID: id })), [
    '<nil>: Invalid value: "object": clusterID cannot be removed once set',
  ]);
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({ clusterID: 'not-a-uuid' })), [
    'spec.clusterID: Invalid value: "string": clusterID must be an RFC4122 UUID value (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal digits)',
  ]);
});

test('an etcd restore URL must be https or s3, and a managed etcd needs its managed section', () => {
  const etcd = (storage: Json) =>
    hostedCluster({ etcd: { managementType: 'Managed', managed: { storage } } });
  assert.deepEqual(
    objectProblems(
      hostedClusterKind,
      etcd({ type: 'PersistentVolume', restoreSnapshotURL: ['http://x/snap.db'] }),
    ),
    [
      'spec.etcd.managed.storage.restoreSnapshotURL: Invalid value: "array": restoreSnapshotURL must be a valid URL with scheme https or s3',
    ],
  );
  assert.deepEqual(
    objectProblems(hostedClusterKind, hostedCluster({ etcd: { managementType: 'Managed' } })),
    [
      'spec.etcd: Invalid value: "object": Only managed configuration must be set when managementType is Managed',
    ],
  );
});

test('a NodePort publishing strategy needs its nodePort section', () => {
  const services = [{ service: 'APIServer', servicePublishingStrategy: { type: 'NodePort' } }];
  assert.deepEqual(objectProblems(hostedClusterKind, hostedCluster({ services })), [
    'spec.services[0].servicePublishingStrategy: Invalid value: "object": nodePort is required when type is NodePort, and forbidden otherwise',
  ]);
});
