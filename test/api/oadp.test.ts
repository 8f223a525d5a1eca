import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataProtectionApplicationKind, kinds, oadp } from '../../src/api/oadp/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

/** The DataProtectionApplication an IBU target runs: restic off (seed 000), one S3 location. */
const ibuDpa = {
  apiVersion: oadp.apiVersion,
  kind: 'DataProtectionApplication',
  metadata: {
    name: 'dataprotectionapplication',
    namespace: oadp.namespace,
    annotations: { 'ran.openshift.io/ztp-deploy-wave': '100' },
  },
  spec: {
    configuration: {
      restic: { enable: false },
      velero: { defaultPlugins: ['aws', 'openshift'], resourceTimeout: '10m' },
    },
    backupLocations: [
      {
        velero: {
          config: {
            profile: 'default',
            region: 'minio',
            s3Url: 'http://minio:9000',
            insecureSkipTLSVerify: 'true',
            s3ForcePathStyle: 'true',
          },
          provider: 'aws',
          default: true,
          credential: { key: 'cloud', name: 'cloud-credentials' },
          objectStorage: { bucket: 'ibu', prefix: 'sno1' },
        },
      },
    ],
  },
};

test('every oadp kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('the image-based-upgrade DataProtectionApplication with restic disabled is accepted', () => {
  assert.deepEqual(objectProblems(dataProtectionApplicationKind, ibuDpa), []);
});

test('a node agent, snapshot location and reconciled status are accepted', () => {
  const dpa = {
    ...ibuDpa,
    spec: {
      ...ibuDpa.spec,
      configuration: {
        nodeAgent: { enable: true, uploaderType: 'kopia' },
        velero: { defaultPlugins: ['csi'] },
      },
      snapshotLocations: [{ velero: { provider: 'aws', config: { region: 'us-east-1' } } }],
    },
    status: {
      conditions: [
        {
          type: oadp.conditionTypes.reconciled,
          status: 'True',
          reason: oadp.conditionReasons.complete,
          message: oadp.conditionMessages.reconcileComplete,
          lastTransitionTime: '2024-06-01T00:00:00Z',
        },
      ],
    },
  };
  assert.deepEqual(objectProblems(dataProtectionApplicationKind, dpa), []);
});

test('a DataProtectionApplication without configuration is refused', () => {
  const dpa = { ...ibuDpa, spec: { backupLocations: [] } };
  assert.deepEqual(objectProblems(dataProtectionApplicationKind, dpa), [
    'spec.configuration: Required value',
  ]);
});

test('an unknown default plugin is refused with the supported plugins', () => {
  const dpa = { ...ibuDpa, spec: { configuration: { velero: { defaultPlugins: ['minio'] } } } };
  assert.deepEqual(objectProblems(dataProtectionApplicationKind, dpa), [
    'spec.configuration.velero.defaultPlugins[0]: Unsupported value: "minio": supported values: "aws", "legacy-aws", "gcp", "azure", "csi", "vsm", "openshift", "kubevirt", "hypershift"',
  ]);
});

test('a node agent without an uploader type is refused', () => {
  const dpa = { ...ibuDpa, spec: { configuration: { nodeAgent: { enable: true } } } };
  assert.deepEqual(objectProblems(dataProtectionApplicationKind, dpa), [
    'spec.configuration.nodeAgent.uploaderType: Required value',
  ]);
});

test('configuration fields this model does not spell out are kept', () => {
  const dpa = {
    ...ibuDpa,
    spec: { configuration: { velero: { defaultPlugins: ['aws'], clientBurst: 30 } } },
  };
  assert.deepEqual(objectProblems(dataProtectionApplicationKind, dpa), []);
});
