import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, type JSONSchemaProps } from '../../src/apiserver/schema/index.ts';
import { evaluateJsonPath } from '../../src/apiserver/jsonpath.ts';
import { crdOf } from '../../src/api/kind.ts';
import { apiRequestCountKind, apiserver, kinds } from '../../src/api/apiserver/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

const byUser = (username: string, userAgent: string, verbs: string[]) => ({
  username,
  userAgent,
  requestCount: verbs.length,
  byVerb: verbs.map((verb) => ({ verb, requestCount: 1 })),
});

/** csistoragecapacities.v1beta1.storage.k8s.io as seed 001 lists it: removed in 1.27, 16 requests today. */
const csiStorageCapacities = {
  apiVersion: apiserver.apiVersion,
  kind: 'APIRequestCount',
  metadata: { name: apiserver.apiRequestCountName('csistoragecapacities', 'v1beta1', 'storage.k8s.io') },
  spec: { numberOfUsersToReport: 10 },
  status: {
    removedInRelease: '1.27',
    requestCount: 16,
    currentHour: {
      requestCount: 0,
      byNode: [
        {
          nodeName: '10.0.0.1',
          requestCount: 3,
          byUser: [
            byUser('system:kube-controller-manager', 'cluster-policy-controller/v0.0.0', ['list', 'watch']),
            byUser('system:kube-scheduler', 'kube-scheduler/v1.26.5+0abcdef', ['list']),
          ],
        },
      ],
    },
    last24h: [{ requestCount: 16, byNode: [] }],
  },
};

test('every apiserver kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('APIRequestCount prints REMOVEDINRELEASE REQUESTSINCURRENTHOUR REQUESTSINLAST24H, as seed 001 shows', () => {
  const columns = apiRequestCountKind.versions[0]?.printerColumns?.map((c) => c.name.toUpperCase());
  assert.deepEqual(columns, ['REMOVEDINRELEASE', 'REQUESTSINCURRENTHOUR', 'REQUESTSINLAST24H']);
});

test('an APIRequestCount with per-node, per-user and per-verb counts is accepted', () => {
  assert.deepEqual(objectProblems(apiRequestCountKind, csiStorageCapacities), []);
});

test("seed 001's jsonpath finds the verbs, users and user agents of the current hour", () => {
  const users = evaluateJsonPath(csiStorageCapacities, '.status.currentHour..byUser[*]') as {
    username: string;
    userAgent: string;
  }[];
  assert.deepEqual(
    users.map((u) => `${u.username},${u.userAgent}`),
    [
      'system:kube-controller-manager,cluster-policy-controller/v0.0.0',
      'system:kube-scheduler,kube-scheduler/v1.26.5+0abcdef',
    ],
  );
  assert.deepEqual(evaluateJsonPath(users[0], '..byVerb[*].verb'), ['list', 'watch']);
});

test('the number of users to report defaults to ten', () => {
  const crd = crdOf(apiRequestCountKind) as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
  assert.ok(schema);
  const defaulted = applyDefaults(schema, { ...csiStorageCapacities, spec: {} }) as {
    spec: { numberOfUsersToReport: number };
  };
  assert.equal(defaulted.spec.numberOfUsersToReport, apiserver.defaultNumberOfUsersToReport);
});

test('more than a hundred users to report is refused', () => {
  assert.deepEqual(
    objectProblems(apiRequestCountKind, { ...csiStorageCapacities, spec: { numberOfUsersToReport: 101 } }),
    [
      'spec.numberOfUsersToReport: Invalid value: 101: spec.numberOfUsersToReport in body should be less than or equal to 100',
    ],
  );
});

test('a removedInRelease that is not major.minor is refused', () => {
  const object = {
    ...csiStorageCapacities,
    status: { ...csiStorageCapacities.status, removedInRelease: 'v1.27' },
  };
  assert.deepEqual(objectProblems(apiRequestCountKind, object), [
    'status.removedInRelease: Invalid value: "v1.27": status.removedInRelease in body should match \'^[0-9][0-9]*\\.[0-9][0-9]*$\'',
  ]);
});

test('a status without its total request count is refused', () => {
  const object = { ...csiStorageCapacities, status: { removedInRelease: '1.27' } };
  assert.deepEqual(objectProblems(apiRequestCountKind, object), ['status.requestCount: Required value']);
});

test('instance names are resource.version.group, and resource.version for the core group', () => {
  assert.equal(
    apiserver.apiRequestCountName('flowschemas', 'v1beta2', 'flowcontrol.apiserver.k8s.io'),
    'flowschemas.v1beta2.flowcontrol.apiserver.k8s.io',
  );
  assert.equal(apiserver.apiRequestCountName('pods', 'v1', ''), 'pods.v1');
});
