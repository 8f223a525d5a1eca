import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  kinds,
  machineConfigKind,
  machineConfigPoolKind,
  machineconfiguration,
} from '../../src/api/machineconfiguration/index.ts';
import { crdProblems, objectProblems } from '../support/kinds.ts';

/** Seed 000's shared container partition, as a MachineConfig carries it in its Ignition config. */
const containerPartition = {
  apiVersion: machineconfiguration.apiVersion,
  kind: 'MachineConfig',
  metadata: {
    name: '98-var-lib-containers-partitioned',
    labels: { [machineconfiguration.labels.role]: 'master' },
  },
  spec: {
    config: {
      ignition: { version: '3.2.0' },
      storage: {
        disks: [
          {
            device: '/dev/disk/by-path/pci-0000:00:17.0-ata-1.0',
            partitions: [
              { label: machineconfiguration.containerStoragePartitionLabel, startMiB: 250000, sizeMiB: 0 },
            ],
          },
        ],
        filesystems: [
          { device: '/dev/disk/by-partlabel/varlibcontainers', format: 'xfs', path: '/var/lib/containers' },
        ],
      },
    },
    kernelArguments: ['systemd.unified_cgroup_hierarchy=1'],
    extensions: null,
    fips: false,
    kernelType: 'realtime',
  },
};

const pool = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({
  apiVersion: machineconfiguration.apiVersion,
  kind: 'MachineConfigPool',
  metadata: { name: machineconfiguration.pools.worker },
  spec,
  ...(status ? { status } : {}),
});

test('every machineconfiguration kind generates a CRD the API server accepts', () => {
  for (const definition of kinds) assert.deepEqual(crdProblems(definition), [], definition.kind);
});

test('a MachineConfig keeps its Ignition config as written', () => {
  assert.deepEqual(objectProblems(machineConfigKind, containerPartition), []);
});

test('a paused pool with selectors, percentage maxUnavailable and counts is accepted', () => {
  const object = pool(
    {
      paused: true,
      maxUnavailable: '25%',
      machineConfigSelector: { matchLabels: { [machineconfiguration.labels.role]: 'worker' } },
      nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } },
      configuration: {
        name: 'rendered-worker-abc',
        source: [{ apiVersion: machineconfiguration.apiVersion, kind: 'MachineConfig', name: '00-worker' }],
      },
    },
    {
      observedGeneration: 3,
      configuration: { name: 'rendered-worker-abc' },
      machineCount: 3,
      updatedMachineCount: 2,
      readyMachineCount: 2,
      unavailableMachineCount: 1,
      degradedMachineCount: 0,
      conditions: [
        {
          type: machineconfiguration.poolConditionTypes.updating,
          status: 'True',
          lastTransitionTime: '2024-06-01T00:00:00Z',
          reason: '',
          message: 'All nodes are updating to rendered-worker-abc',
        },
      ],
    },
  );
  assert.deepEqual(objectProblems(machineConfigPoolKind, object), []);
});

test('maxUnavailable may be a number', () => {
  assert.deepEqual(
    objectProblems(
      machineConfigPoolKind,
      pool({ maxUnavailable: machineconfiguration.defaultMaxUnavailable }),
    ),
    [],
  );
});

test('a pool whose paused flag is not a boolean is refused', () => {
  assert.deepEqual(objectProblems(machineConfigPoolKind, pool({ paused: 'yes' })), [
    'spec.paused: Invalid value: "string": spec.paused in body must be of type boolean: "string"',
  ]);
});

test('a pool without a spec is refused', () => {
  const object = {
    apiVersion: machineconfiguration.apiVersion,
    kind: 'MachineConfigPool',
    metadata: { name: 'master' },
  };
  assert.deepEqual(objectProblems(machineConfigPoolKind, object), ['spec: Required value']);
});
