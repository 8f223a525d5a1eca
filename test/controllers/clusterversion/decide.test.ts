import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ClusterOperatorStatusCondition,
  ConditionalUpdate,
  Release,
} from '../../../src/api/config/cluster-version.ts';
import { kube127ApiRemovalsAck } from '../../../src/api/config/constants.ts';
import {
  decide,
  type ClusterOperatorObject,
  type ClusterVersionObject,
  type CvoStatus,
  type DecideInput,
  type Decision,
} from '../../../src/controllers/clusterversion/decide.ts';
import { summarizePreconditions } from '../../../src/controllers/clusterversion/preconditions.ts';
import { rolloutOrder } from '../../../src/controllers/clusterversion/progress.ts';
import {
  askRecommender,
  updateQuery,
  withoutRecommender,
  type UpdatesObservation,
} from '../../../src/controllers/clusterversion/updates.ts';
import {
  currentVersion,
  isMinorUpdate,
  versionFromImage,
} from '../../../src/controllers/clusterversion/versions.ts';

const gate413 = kube127ApiRemovalsAck;
const gate413Text =
  'Kubernetes 1.27 and therefore OpenShift 4.14 remove several APIs which require admin consideration. Please see the knowledge article https://access.redhat.com/articles/6958394 for details and instructions.';
const gate414 = 'ack-4.14-kube-1.28-api-removals-in-4.15';
const gate414Text = 'OpenShift 4.15 removes APIs; acknowledge after migrating.';
const labGates = { [gate413]: gate413Text, [gate414]: gate414Text };

const t0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const image = (version: string): string => `quay.io/openshift-release-dev/ocp-release:${version}-x86_64`;
const clusterId = '0f3c1d5e-8a51-4d8e-9a5b-2f1c3e4d5a6b';
const operatorNames = ['authentication', 'etcd', 'ingress', 'kube-apiserver', 'machine-config'];
const noRecommender = withoutRecommender('stable-4.13');

function clusterVersion(
  version: string,
  options: {
    desiredUpdate?: { version?: string; image?: string; force?: boolean };
    overrides?: { kind: string; group: string; namespace: string; name: string; unmanaged: boolean }[];
    channel?: string;
  } = {},
): ClusterVersionObject {
  const installed = '2026-01-01T00:00:00Z';
  return {
    metadata: { generation: 2 },
    spec: {
      clusterID: clusterId,
      ...(options.channel !== '' ? { channel: options.channel ?? 'stable-4.13' } : {}),
      ...(options.desiredUpdate !== undefined ? { desiredUpdate: options.desiredUpdate } : {}),
      ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
    },
    status: {
      desired: { version, image: image(version) },
      history: [
        {
          state: 'Completed',
          startedTime: installed,
          completionTime: installed,
          version,
          image: image(version),
          verified: false,
        },
      ],
      observedGeneration: 1,
      versionHash: '',
      availableUpdates: null,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: installed,
          message: `Done applying ${version}`,
        },
        { type: 'Failing', status: 'False', lastTransitionTime: installed },
        {
          type: 'Progressing',
          status: 'False',
          lastTransitionTime: installed,
          message: `Cluster version is ${version}`,
        },
      ],
    },
  };
}

function operator(
  name: string,
  version: string,
  upgradeable?: { status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string },
): ClusterOperatorObject {
  const conditions: ClusterOperatorStatusCondition[] = [
    { type: 'Available', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
  ];
  if (upgradeable !== undefined)
    conditions.push({ type: 'Upgradeable', lastTransitionTime: '2026-01-01T00:00:00Z', ...upgradeable });
  return { metadata: { name }, status: { conditions, versions: [{ name: 'operator', version }] } };
}

function input(cv: ClusterVersionObject, overrides: Partial<DecideInput> = {}): DecideInput {
  const version = cv.status?.desired?.version ?? '';
  return {
    clusterVersion: cv,
    clusterOperators: operatorNames.map((n) =>
      operator(n, version, { status: 'True', reason: 'AsExpected' }),
    ),
    adminGates: labGates,
    adminAcks: {},
    updates: noRecommender,
    now: t0,
    updateDurationMs: 10_000,
    ...overrides,
  };
}

function condition(status: CvoStatus, type: string): ClusterOperatorStatusCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

function upgradeableOf(
  decision: Decision,
): { status: string; reason?: string; message?: string } | undefined {
  const found = condition(decision.status, 'Upgradeable');
  if (found === undefined) return undefined;
  return {
    status: found.status,
    ...(found.reason !== undefined ? { reason: found.reason } : {}),
    ...(found.message !== undefined ? { message: found.message } : {}),
  };
}

/** The ClusterVersion after `decision` is written (what the next reconcile reads). */
function written(cv: ClusterVersionObject, decision: Decision): ClusterVersionObject {
  return { ...cv, status: decision.status };
}

/** The operators after `decision` is written. */
function writtenOperators(
  operators: readonly ClusterOperatorObject[],
  decision: Decision,
): ClusterOperatorObject[] {
  return operators.map((co) => {
    const update = decision.operators.find((o) => o.name === co.metadata.name);
    return update === undefined ? co : { ...co, status: update.status };
  });
}

describe('admin gates decide Upgradeable (upstream clusterAdminAcksCompletedUpgradeable)', () => {
  const invalidName = 'ack-four-thirteen';
  const invalidNameMessage = `admin-gates configmap gate name ${invalidName} has invalid format; must comply with "^ack-[4-5][.]([0-9]{1,})-[^-]".`;
  const cases: {
    name: string;
    version: string;
    gates: Record<string, string> | undefined;
    acks: Record<string, string> | undefined;
    expected: { reason: string; message: string } | undefined;
  }[] = [
    {
      name: 'an unacknowledged gate for the current minor requires an admin ack, described by the gate',
      version: '4.13.30',
      gates: labGates,
      acks: {},
      expected: { reason: 'AdminAckRequired', message: gate413Text },
    },
    {
      name: 'acknowledging the gate with "true" clears it',
      version: '4.13.30',
      gates: labGates,
      acks: { [gate413]: 'true' },
      expected: undefined,
    },
    {
      name: 'only the exact value "true" acknowledges',
      version: '4.13.30',
      gates: labGates,
      acks: { [gate413]: 'True' },
      expected: { reason: 'AdminAckRequired', message: gate413Text },
    },
    {
      name: '"false" does not acknowledge',
      version: '4.13.30',
      gates: labGates,
      acks: { [gate413]: 'false' },
      expected: { reason: 'AdminAckRequired', message: gate413Text },
    },
    {
      name: 'an ack for another gate does not count',
      version: '4.13.30',
      gates: labGates,
      acks: { [gate414]: 'true' },
      expected: { reason: 'AdminAckRequired', message: gate413Text },
    },
    {
      name: 'on 4.14 only the 4.14 gate applies',
      version: '4.14.13',
      gates: labGates,
      acks: {},
      expected: { reason: 'AdminAckRequired', message: gate414Text },
    },
    {
      name: 'on 4.14 the 4.13 ack is irrelevant',
      version: '4.14.13',
      gates: labGates,
      acks: { [gate413]: 'true' },
      expected: { reason: 'AdminAckRequired', message: gate414Text },
    },
    {
      name: 'a release no gate names is upgradeable',
      version: '4.15.2',
      gates: labGates,
      acks: {},
      expected: undefined,
    },
    {
      name: 'two unacknowledged gates of the current minor: one reason, sorted descriptions joined',
      version: '4.13.30',
      gates: { [gate413]: 'Z second.', 'ack-4.13-something-else-in-4.14': 'A first.' },
      acks: {},
      expected: { reason: 'AdminAckRequired', message: 'A first. Z second.' },
    },
    {
      name: 'a malformed gate name is reported whatever the version',
      version: '4.15.2',
      gates: { [invalidName]: 'whatever' },
      acks: {},
      expected: { reason: 'AdminAckConfigMapGateNameError', message: invalidNameMessage },
    },
    {
      name: 'an applicable gate with an empty description is a gate value error',
      version: '4.13.30',
      gates: { [gate413]: '' },
      acks: {},
      expected: {
        reason: 'AdminAckConfigMapGateValueError',
        message: `admin-gates configmap gate ${gate413} must contain a non-empty value.`,
      },
    },
    {
      name: 'an empty description of a gate for another minor is ignored',
      version: '4.15.2',
      gates: { [gate413]: '' },
      acks: {},
      expected: undefined,
    },
    {
      name: 'different reasons together: MultipleReasons, messages sorted and joined',
      version: '4.13.30',
      gates: { [gate413]: gate413Text, [invalidName]: 'x' },
      acks: {},
      expected: { reason: 'MultipleReasons', message: `${gate413Text} ${invalidNameMessage}` },
    },
    {
      name: 'a missing admin-gates ConfigMap blocks',
      version: '4.13.30',
      gates: undefined,
      acks: {},
      expected: { reason: 'UnableToAccessAdminGatesConfigMap', message: 'admin-gates configmap not found.' },
    },
    {
      name: 'a missing admin-acks ConfigMap blocks',
      version: '4.13.30',
      gates: labGates,
      acks: undefined,
      expected: { reason: 'UnableToAccessAdminAcksConfigMap', message: 'admin-acks configmap not found.' },
    },
    {
      name: 'no gates at all: upgradeable',
      version: '4.13.30',
      gates: {},
      acks: {},
      expected: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = decide(input(clusterVersion(c.version), { adminGates: c.gates, adminAcks: c.acks }));
      assert.deepEqual(
        upgradeableOf(decision),
        c.expected === undefined ? undefined : { status: 'False', ...c.expected },
      );
      // One failing check: no Upgradeable<Check> sub-conditions.
      assert.deepEqual(
        decision.status.conditions?.filter(
          (x) => x.type.startsWith('Upgradeable') && x.type !== 'Upgradeable',
        ),
        [],
      );
    });
  }

  it('before any history exists no gate applies', () => {
    const cv = clusterVersion('4.13.30');
    const decision = decide(input({ ...cv, status: { ...cv.status, history: [] } }));
    assert.equal(upgradeableOf(decision), undefined);
  });

  it('the current version is the newest Completed entry, not a Partial update in progress', () => {
    assert.equal(
      currentVersion([
        { state: 'Partial', version: '4.14.1' },
        { state: 'Completed', version: '4.13.30' },
      ]),
      '4.13.30',
    );
    assert.equal(
      currentVersion([
        { state: 'Partial', version: '4.14.1' },
        { state: 'Partial', version: '4.13.0' },
      ]),
      '4.13.0',
    );
    assert.equal(currentVersion([]), '');
  });
});

describe('ClusterOperators decide Upgradeable (upstream clusterOperatorsUpgradeable)', () => {
  const version = '4.13.30';
  const acked = { [gate413]: 'true' };
  const operators = (...notUpgradeable: [string, string, string][]): ClusterOperatorObject[] =>
    operatorNames.map((name) => {
      const bad = notUpgradeable.find(([n]) => n === name);
      return operator(
        name,
        version,
        bad === undefined
          ? { status: 'True', reason: 'AsExpected' }
          : { status: 'False', reason: bad[1], message: bad[2] },
      );
    });

  it('one operator with Upgradeable=False: its reason, and a message naming it', () => {
    const decision = decide(
      input(clusterVersion(version), {
        adminAcks: acked,
        clusterOperators: operators([
          'machine-config',
          'PoolUpdating',
          'One or more machine config pools are updating',
        ]),
      }),
    );
    assert.deepEqual(upgradeableOf(decision), {
      status: 'False',
      reason: 'PoolUpdating',
      message:
        'Cluster operator machine-config should not be upgraded between minor versions: One or more machine config pools are updating',
    });
  });

  it('several operators: ClusterOperatorsNotUpgradeable, one line per operator by name', () => {
    const decision = decide(
      input(clusterVersion(version), {
        adminAcks: acked,
        clusterOperators: operators(
          ['machine-config', 'PoolUpdating', 'pools are updating'],
          ['etcd', 'UnsupportedConfigOverrides', 'overrides set'],
        ),
      }),
    );
    assert.deepEqual(upgradeableOf(decision), {
      status: 'False',
      reason: 'ClusterOperatorsNotUpgradeable',
      message:
        'Multiple cluster operators should not be upgraded between minor versions:\n' +
        '* Cluster operator etcd should not be upgraded between minor versions: UnsupportedConfigOverrides: overrides set\n' +
        '* Cluster operator machine-config should not be upgraded between minor versions: PoolUpdating: pools are updating',
    });
  });

  it('operators without an Upgradeable condition, or Unknown, do not block', () => {
    const decision = decide(
      input(clusterVersion(version), {
        adminAcks: acked,
        clusterOperators: [operator('etcd', version), operator('ingress', version, { status: 'Unknown' })],
      }),
    );
    assert.equal(upgradeableOf(decision), undefined);
  });

  it('a gate and an operator together: one condition per check plus Upgradeable MultipleReasons', () => {
    const decision = decide(
      input(clusterVersion(version), {
        clusterOperators: operators(['ingress', 'Blocked', 'ingress says no']),
      }),
    );
    const types = decision.status.conditions
      ?.filter((c) => c.type.startsWith('Upgradeable'))
      .map((c) => c.type);
    assert.deepEqual(types, ['Upgradeable', 'UpgradeableAdminAckRequired', 'UpgradeableClusterOperators']);
    assert.deepEqual(upgradeableOf(decision), {
      status: 'False',
      reason: 'MultipleReasons',
      message:
        'Cluster should not be upgraded between minor versions for multiple reasons: AdminAckRequired,Blocked\n' +
        `* ${gate413Text}\n` +
        '* Cluster operator ingress should not be upgraded between minor versions: ingress says no',
    });
    assert.equal(condition(decision.status, 'UpgradeableAdminAckRequired')?.message, gate413Text);

    // Acknowledging leaves one failing check: the sub-conditions go, Upgradeable takes its reason.
    const next = decide(
      input(written(clusterVersion(version), decision), {
        adminAcks: acked,
        clusterOperators: operators(['ingress', 'Blocked', 'ingress says no']),
        now: at(5000),
      }),
    );
    assert.deepEqual(
      next.status.conditions?.filter((c) => c.type.startsWith('Upgradeable')).map((c) => [c.type, c.reason]),
      [['Upgradeable', 'Blocked']],
    );
    // Still False: the transition time stays.
    assert.equal(condition(next.status, 'Upgradeable')?.lastTransitionTime, '2026-03-01T10:00:00Z');
  });

  it('unmanaged overrides make the cluster not upgradeable', () => {
    const decision = decide(
      input(
        clusterVersion(version, {
          overrides: [
            { kind: 'Deployment', group: 'apps', namespace: 'openshift-x', name: 'x', unmanaged: true },
          ],
        }),
        { adminAcks: acked },
      ),
    );
    assert.deepEqual(upgradeableOf(decision), {
      status: 'False',
      reason: 'ClusterVersionOverridesSet',
      message:
        'Disabling ownership via cluster version overrides prevents upgrades. Please remove overrides before continuing.',
    });
  });
});

describe('update requests: preconditions decide whether a release is accepted', () => {
  const from = '4.13.30';
  const minor = { version: '4.14.1', image: image('4.14.1') };
  const patch = { version: '4.13.31', image: image('4.13.31') };
  const unknownRecommendation = (to: string) =>
    `Precondition "ClusterVersionRecommendedUpdate" failed because of "UnknownUpdate": RetrievedUpdates=False (NoUpstream), so the recommended status of updating from ${from} to ${to} is unknown.`;

  function assertNotAccepted(decision: Decision, cv: ClusterVersionObject): void {
    assert.deepEqual(decision.status.history, cv.status?.history);
    assert.deepEqual(decision.status.desired, cv.status?.desired);
    assert.equal(condition(decision.status, 'Progressing')?.status, 'False');
    assert.equal(condition(decision.status, 'Progressing')?.message, `Cluster version is ${from}`);
    assert.equal(condition(decision.status, 'Failing')?.status, 'False');
    assert.deepEqual(decision.operators, []);
  }

  function assertAccepted(
    decision: Decision,
    target: { version: string; image: string },
    acceptedRisks?: string,
  ): void {
    assert.equal(decision.status.desired.version, target.version);
    assert.equal(decision.status.desired.image, target.image);
    const [head, previous] = decision.status.history ?? [];
    assert.deepEqual(head, {
      state: 'Partial',
      startedTime: '2026-03-01T10:00:00Z',
      completionTime: null,
      version: target.version,
      image: target.image,
      verified: false,
      ...(acceptedRisks !== undefined ? { acceptedRisks } : {}),
    });
    assert.equal(previous?.version, from);
    assert.equal(previous?.state, 'Completed');
    const accepted = condition(decision.status, 'ReleaseAccepted');
    assert.equal(accepted?.status, 'True');
    assert.equal(accepted?.reason, 'PayloadLoaded');
    assert.equal(
      accepted?.message,
      `Payload loaded version="${target.version}" image="${target.image}" architecture="amd64"`,
    );
    assert.equal(condition(decision.status, 'Progressing')?.status, 'True');
    assert.equal(condition(decision.status, 'Progressing')?.message, `Working towards ${target.version}`);
  }

  it('a minor update is refused while an admin ack is required, with upstream precondition wording', () => {
    const cv = clusterVersion(from, { desiredUpdate: minor });
    const decision = decide(input(cv));
    assertNotAccepted(decision, cv);
    const accepted = condition(decision.status, 'ReleaseAccepted');
    assert.equal(accepted?.status, 'False');
    assert.equal(accepted?.reason, 'PreconditionChecks');
    assert.equal(
      accepted?.message,
      `Preconditions failed for payload loaded version="4.14.1" image="${minor.image}": Multiple precondition checks failed:\n` +
        `* Precondition "ClusterVersionUpgradeable" failed because of "AdminAckRequired": ${gate413Text}\n` +
        `* ${unknownRecommendation('4.14.1')}`,
    );
    assert.deepEqual(
      decision.events.map((e) => e.kind),
      ['refused'],
    );
  });

  it('the same minor update proceeds once acknowledged; the unknown recommendation is an accepted risk', () => {
    const decision = decide(
      input(clusterVersion(from, { desiredUpdate: minor }), { adminAcks: { [gate413]: 'true' } }),
    );
    assertAccepted(decision, minor, unknownRecommendation('4.14.1'));
    assert.deepEqual(
      decision.events.map((e) => e.kind),
      ['accepted'],
    );
  });

  it('a patch update proceeds despite the unacknowledged gate', () => {
    const decision = decide(input(clusterVersion(from, { desiredUpdate: patch })));
    assertAccepted(decision, patch, unknownRecommendation('4.13.31'));
    assert.equal(upgradeableOf(decision)?.reason, 'AdminAckRequired');
  });

  it('force overrides the blocking precondition and records it as an accepted risk', () => {
    const decision = decide(input(clusterVersion(from, { desiredUpdate: { ...minor, force: true } })));
    assertAccepted(
      decision,
      minor,
      'Forced through blocking failures: Multiple precondition checks failed:\n' +
        `* Precondition "ClusterVersionUpgradeable" failed because of "AdminAckRequired": ${gate413Text}\n` +
        `* ${unknownRecommendation('4.14.1')}`,
    );
  });

  it('an operator with Upgradeable=False blocks a minor update, not a patch update', () => {
    const clusterOperators = [
      operator('ingress', from, { status: 'False', reason: 'Blocked', message: 'no' }),
    ];
    const acks = { [gate413]: 'true' };
    const minorDecision = decide(
      input(clusterVersion(from, { desiredUpdate: minor }), { adminAcks: acks, clusterOperators }),
    );
    assert.match(
      condition(minorDecision.status, 'ReleaseAccepted')?.message ?? '',
      /Precondition "ClusterVersionUpgradeable" failed because of "Blocked": Cluster operator ingress should not be upgraded between minor versions: no/,
    );
    assert.equal(minorDecision.status.desired.version, from);
    const patchDecision = decide(
      input(clusterVersion(from, { desiredUpdate: patch }), { adminAcks: acks, clusterOperators }),
    );
    assert.equal(patchDecision.status.desired.version, patch.version);
  });

  it('with a recommended target and nothing blocking, no risk is recorded', () => {
    const updates: UpdatesObservation = {
      kind: 'retrieved',
      recommendation: {
        availableUpdates: [
          { ...patch, channels: ['stable-4.13', 'fast-4.13'], url: 'https://example.com/errata/1' },
        ],
        conditionalUpdates: [],
      },
    };
    const decision = decide(
      input(clusterVersion(from, { desiredUpdate: { version: patch.version } }), { updates }),
    );
    assertAccepted(decision, patch);
    assert.deepEqual(decision.status.desired, {
      version: patch.version,
      image: patch.image,
      url: 'https://example.com/errata/1',
      channels: ['stable-4.13', 'fast-4.13'],
    });
    assert.equal(condition(decision.status, 'RetrievedUpdates')?.status, 'True');
  });

  it('a conditional update whose risk applies is accepted with the risk recorded', () => {
    const risky: ConditionalUpdate = {
      release: patch,
      risks: [
        {
          name: 'SomeBug',
          url: 'https://issues.example.com/1',
          message: 'It breaks.',
          matchingRules: [{ type: 'Always' }],
        },
      ],
      conditions: [
        {
          type: 'Recommended',
          status: 'False',
          reason: 'SomeBug',
          message: 'It breaks. https://issues.example.com/1',
          lastTransitionTime: '2026-03-01T09:00:00Z',
        },
      ],
    };
    const updates: UpdatesObservation = {
      kind: 'retrieved',
      recommendation: { availableUpdates: [], conditionalUpdates: [risky] },
    };
    const decision = decide(input(clusterVersion(from, { desiredUpdate: patch }), { updates }));
    assertAccepted(
      decision,
      patch,
      `Precondition "ClusterVersionRecommendedUpdate" failed because of "SomeBug": Update from ${from} to ${patch.version} is not recommended:\n\nIt breaks. https://issues.example.com/1`,
    );
    assert.deepEqual(decision.status.conditionalUpdates, [risky]);
  });

  it('a downgrade is refused (LowDesiredVersion) unless forced', () => {
    const back = { version: '4.13.29', image: image('4.13.29') };
    const refused = decide(input(clusterVersion(from, { desiredUpdate: back })));
    assert.match(
      condition(refused.status, 'ReleaseAccepted')?.message ?? '',
      /Precondition "ClusterVersionRollback" failed because of "LowDesiredVersion": 4\.13\.29 is less than the current target 4\.13\.30, but rollbacks and downgrades are not recommended/,
    );
    const forced = decide(input(clusterVersion(from, { desiredUpdate: { ...back, force: true } })));
    assert.equal(forced.status.desired.version, back.version);
  });

  it('unmanaged overrides block even a patch update', () => {
    const cv = clusterVersion(from, {
      desiredUpdate: patch,
      overrides: [{ kind: 'Deployment', group: 'apps', namespace: 'ns', name: 'x', unmanaged: true }],
    });
    const decision = decide(input(cv, { adminAcks: { [gate413]: 'true' } }));
    assert.match(
      condition(decision.status, 'ReleaseAccepted')?.message ?? '',
      /Precondition "ClusterVersionUpgradeable" failed because of "ClusterVersionOverridesSet"/,
    );
    assertNotAccepted(decision, cv);
  });

  it('a version without image that the update service did not offer makes the ClusterVersion Invalid', () => {
    const cv = clusterVersion(from, { desiredUpdate: { version: '4.14.1' } });
    const decision = decide(input(cv, { adminAcks: { [gate413]: 'true' } }));
    assert.deepEqual(
      { ...condition(decision.status, 'Invalid'), lastTransitionTime: undefined },
      {
        type: 'Invalid',
        status: 'True',
        reason: 'InvalidClusterVersion',
        message:
          'The cluster version is invalid: spec.desiredUpdate.version: Invalid value: "4.14.1": when image is empty the update must be an available update',
        lastTransitionTime: undefined,
      },
    );
    assert.equal(
      condition(decision.status, 'Progressing')?.message,
      `Stopped at ${from}: the cluster version is invalid`,
    );
    assert.deepEqual(decision.status.history, cv.status?.history);
  });

  it('an image whose tag names another version than spec.desiredUpdate.version is refused', () => {
    const decision = decide(
      input(clusterVersion(from, { desiredUpdate: { version: '4.13.31', image: image('4.13.32') } })),
    );
    const accepted = condition(decision.status, 'ReleaseAccepted');
    assert.equal(accepted?.reason, 'VerifyPayloadVersion');
    assert.equal(
      accepted?.message,
      `Verifying payload failed version="4.13.31" image="${image('4.13.32')}" failure=release image version 4.13.32 does not match the expected upstream version 4.13.31`,
    );
  });

  it('an image alone is enough when its tag names the version; a digest alone is not', () => {
    const byTag = decide(input(clusterVersion(from, { desiredUpdate: { image: patch.image } })));
    assert.equal(byTag.status.desired.version, patch.version);
    const digest = 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'a'.repeat(64);
    const byDigest = decide(input(clusterVersion(from, { desiredUpdate: { image: digest } })));
    assert.equal(condition(byDigest.status, 'ReleaseAccepted')?.reason, 'RetrievePayload');
    assert.match(
      condition(byDigest.status, 'ReleaseAccepted')?.message ?? '',
      /set spec\.desiredUpdate\.version/,
    );
    assert.equal(byDigest.status.desired.version, from);
  });

  it('a request for the release already running changes nothing', () => {
    const cv = clusterVersion(from, { desiredUpdate: { version: from, image: image(from) } });
    const decision = decide(input(cv));
    assertNotAccepted(decision, cv);
    assert.equal(condition(decision.status, 'ReleaseAccepted')?.status, 'True');
    assert.deepEqual(decision.events, []);
  });
});

describe('an accepted update moves over time', () => {
  const from = '4.13.30';
  const to = { version: '4.14.1', image: image('4.14.1') };
  const acks = { [gate413]: 'true' };

  function start(): { cv: ClusterVersionObject; operators: ClusterOperatorObject[] } {
    const cv = clusterVersion(from, { desiredUpdate: to });
    const operators = operatorNames.map((n) => operator(n, from, { status: 'True', reason: 'AsExpected' }));
    const decision = decide(input(cv, { adminAcks: acks, clusterOperators: operators }));
    return { cv: written(cv, decision), operators: writtenOperators(operators, decision) };
  }

  it('operators move to the new version one by one in run-level order', () => {
    assert.deepEqual(rolloutOrder(operatorNames), [
      'etcd',
      'kube-apiserver',
      'authentication',
      'ingress',
      'machine-config',
    ]);
    let { cv, operators } = start();
    const seen: string[][] = [];
    for (const ms of [1000, 2000, 3500, 5100, 6700, 8400]) {
      const decision = decide(input(cv, { adminAcks: acks, clusterOperators: operators, now: at(ms) }));
      seen.push(decision.operators.map((o) => o.name));
      cv = written(cv, decision);
      operators = writtenOperators(operators, decision);
      assert.equal(decision.status.history?.[0]?.state, 'Partial');
      assert.ok(decision.requeueAfterMs !== undefined && decision.requeueAfterMs > 0);
    }
    // Each at (i+1)/6 of 10 s: 1.67 s, 3.33 s, 5 s, 6.67 s, 8.33 s.
    assert.deepEqual(seen, [
      [],
      ['etcd'],
      ['kube-apiserver'],
      ['authentication'],
      ['ingress'],
      ['machine-config'],
    ]);
  });

  it('Progressing reports how far along the update is', () => {
    const { cv, operators } = start();
    const decision = decide(input(cv, { adminAcks: acks, clusterOperators: operators, now: at(5000) }));
    const progressing = condition(decision.status, 'Progressing');
    assert.equal(progressing?.status, 'True');
    assert.equal(progressing?.message, 'Working towards 4.14.1: 431 of 863 done (49% complete)');
    // Still the previous release's Available message until the new one is done.
    assert.equal(condition(decision.status, 'Available')?.message, `Done applying ${from}`);
  });

  it('at the end: history Completed, Progressing False, every operator at the new version, and the next gate applies', () => {
    const { cv, operators } = start();
    const decision = decide(input(cv, { adminAcks: acks, clusterOperators: operators, now: at(10_000) }));
    const [head, previous] = decision.status.history ?? [];
    assert.equal(head?.state, 'Completed');
    assert.equal(head?.version, '4.14.1');
    assert.equal(head?.startedTime, '2026-03-01T10:00:00Z');
    assert.equal(head?.completionTime, '2026-03-01T10:00:10Z');
    assert.equal(previous?.version, from);
    assert.deepEqual(
      decision.operators.map((o) => [o.name, o.status.versions]),
      rolloutOrder(operatorNames).map((n) => [n, [{ name: 'operator', version: '4.14.1' }]]),
    );
    assert.deepEqual(
      [condition(decision.status, 'Progressing')?.status, condition(decision.status, 'Progressing')?.message],
      ['False', 'Cluster version is 4.14.1'],
    );
    assert.equal(condition(decision.status, 'Available')?.message, 'Done applying 4.14.1');
    assert.equal(decision.requeueAfterMs, undefined);
    assert.deepEqual(decision.events, [{ kind: 'completed', version: '4.14.1' }]);
    // Now on 4.14: the 4.14 → 4.15 gate is the one waiting for an ack.
    assert.deepEqual(upgradeableOf(decision), {
      status: 'False',
      reason: 'AdminAckRequired',
      message: gate414Text,
    });
  });

  it('a settled cluster decides the same status again (no write needed)', () => {
    const { cv, operators } = start();
    const done = decide(input(cv, { adminAcks: acks, clusterOperators: operators, now: at(10_000) }));
    const again = decide(
      input(written(cv, done), {
        adminAcks: acks,
        clusterOperators: writtenOperators(operators, done),
        now: at(60_000),
      }),
    );
    assert.deepEqual(again.status, done.status);
    assert.deepEqual(again.operators, []);
  });

  it('a new release asked for mid-update closes the Partial entry and starts another', () => {
    const { cv, operators } = start();
    const next = { version: '4.14.2', image: image('4.14.2') };
    const redirected: ClusterVersionObject = {
      ...cv,
      spec: { clusterID: clusterId, channel: 'stable-4.14', desiredUpdate: next },
    };
    const decision = decide(
      input(redirected, { adminAcks: acks, clusterOperators: operators, now: at(4000) }),
    );
    const [head, interrupted, original] = decision.status.history ?? [];
    assert.deepEqual([head?.version, head?.state, head?.completionTime], ['4.14.2', 'Partial', null]);
    assert.deepEqual(
      [interrupted?.version, interrupted?.state, interrupted?.completionTime],
      ['4.14.1', 'Partial', '2026-03-01T10:00:04Z'],
    );
    assert.equal(original?.version, from);
  });

  it('operand versions that followed the operator move with it; others stay', () => {
    const cv = clusterVersion(from, { desiredUpdate: to });
    const kube: ClusterOperatorObject = {
      metadata: { name: 'kube-apiserver' },
      status: {
        versions: [
          { name: 'raw-internal', version: from },
          { name: 'kube-apiserver', version: '1.26.9' },
          { name: 'operator', version: from },
        ],
      },
    };
    const accepted = decide(input(cv, { adminAcks: acks, clusterOperators: [kube] }));
    const done = decide(
      input(written(cv, accepted), { adminAcks: acks, clusterOperators: [kube], now: at(10_000) }),
    );
    assert.deepEqual(done.operators[0]?.status.versions, [
      { name: 'raw-internal', version: '4.14.1' },
      { name: 'kube-apiserver', version: '1.26.9' },
      { name: 'operator', version: '4.14.1' },
    ]);
  });
});

describe('recommended and conditional updates', () => {
  const cv = clusterVersion('4.13.30');
  const release = (version: string): Release => ({ version, image: image(version) });

  it('without a recommender: NoUpstream, or NoChannel when no channel is set; no updates listed', () => {
    const decision = decide(input(cv));
    assert.deepEqual(
      [
        condition(decision.status, 'RetrievedUpdates')?.reason,
        condition(decision.status, 'RetrievedUpdates')?.message,
      ],
      ['NoUpstream', 'No upstream server has been set to retrieve updates.'],
    );
    assert.equal(decision.status.availableUpdates, null);
    assert.equal('conditionalUpdates' in decision.status, false);
    assert.deepEqual(withoutRecommender(undefined), {
      kind: 'not-retrieved',
      reason: 'NoChannel',
      message: 'The update channel has not been configured.',
    });
  });

  it('a failing update service: RetrievedUpdates=False RemoteFailed, previous updates dropped', async () => {
    const observation = await askRecommender(
      () => Promise.resolve({ error: 'unexpected HTTP status: 500 Internal Server Error' }),
      {
        currentVersion: '4.13.30',
        channel: 'stable-4.14',
        upstream: undefined,
      },
    );
    const before = { ...cv, status: { ...cv.status, availableUpdates: [release('4.13.31')] } };
    const decision = decide(input(before, { updates: observation }));
    const retrieved = condition(decision.status, 'RetrievedUpdates');
    assert.deepEqual(
      [retrieved?.status, retrieved?.reason, retrieved?.message],
      [
        'False',
        'RemoteFailed',
        'Unable to retrieve available updates: unexpected HTTP status: 500 Internal Server Error',
      ],
    );
    assert.equal(decision.status.availableUpdates, null);
  });

  it('a recommender that throws counts as RemoteFailed', async () => {
    const observation = await askRecommender(
      () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
      {
        currentVersion: '4.13.30',
        channel: 'stable-4.14',
        upstream: 'http://127.0.0.1:1/graph',
      },
    );
    assert.deepEqual(observation, {
      kind: 'not-retrieved',
      reason: 'RemoteFailed',
      message: 'Unable to retrieve available updates: connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it('the recommender is asked only with a channel and a current version', () => {
    assert.deepEqual(updateQuery({ currentVersion: '4.13.30', channel: undefined, upstream: undefined }), {
      kind: 'not-retrieved',
      reason: 'NoChannel',
      message: 'The update channel has not been configured.',
    });
    assert.equal(
      (updateQuery({ currentVersion: '', channel: 'stable-4.14', upstream: undefined }) as { reason: string })
        .reason,
      'NoCurrentVersion',
    );
    assert.deepEqual(
      updateQuery({ currentVersion: '4.13.30', channel: 'stable-4.14', upstream: 'https://u' }),
      {
        currentVersion: '4.13.30',
        channel: 'stable-4.14',
        upstream: 'https://u',
      },
    );
  });

  it('retrieved updates are listed and RetrievedUpdates=True', () => {
    const updates: UpdatesObservation = {
      kind: 'retrieved',
      recommendation: { availableUpdates: [release('4.13.31'), release('4.14.1')], conditionalUpdates: [] },
    };
    const decision = decide(input(cv, { updates }));
    assert.deepEqual(decision.status.availableUpdates, [release('4.13.31'), release('4.14.1')]);
    assert.equal(condition(decision.status, 'RetrievedUpdates')?.status, 'True');
    assert.equal(condition(decision.status, 'RetrievedUpdates')?.reason, undefined);
  });
});

describe('version helpers', () => {
  it('a minor update is a greater second field; patch, same-minor and downgrades are not', () => {
    const cases: [string, string, boolean][] = [
      ['4.13.30', '4.14.1', true],
      ['4.13.30', '4.13.31', false],
      ['4.14.1', '4.13.30', false],
      ['4.13.30', '4.15.0', true],
      ['4.13.30', 'nonsense', false],
    ];
    for (const [from, to, expected] of cases)
      assert.equal(isMinorUpdate(from, to), expected, `${from} → ${to}`);
  });

  it('release image tags name their version', () => {
    const cases: [string, string | undefined][] = [
      ['quay.io/openshift-release-dev/ocp-release:4.14.1-x86_64', '4.14.1'],
      ['quay.io/openshift-release-dev/ocp-release:4.15.0-rc.3-multi', '4.15.0-rc.3'],
      ['registry.local:5000/ocp/release:4.13.31', '4.13.31'],
      ['registry.local:5000/ocp/release', undefined],
      ['quay.io/openshift-release-dev/ocp-release@sha256:abc', undefined],
      ['quay.io/openshift-release-dev/ocp-release:latest', undefined],
    ];
    for (const [reference, expected] of cases) assert.equal(versionFromImage(reference), expected, reference);
  });

  it('precondition summaries: one failure alone, several as a list, force only on blocking ones', () => {
    const warning = { name: 'W', reason: 'R', message: 'm', warning: true };
    const blocking = { name: 'B', reason: 'S', message: 'n' };
    assert.deepEqual(summarizePreconditions([warning], true), {
      blocking: false,
      message: 'Precondition "W" failed because of "R": m',
    });
    assert.deepEqual(summarizePreconditions([blocking, warning], false), {
      blocking: true,
      message:
        'Multiple precondition checks failed:\n* Precondition "B" failed because of "S": n\n* Precondition "W" failed because of "R": m',
    });
    assert.equal(summarizePreconditions([], false), undefined);
  });
});
