/**
 * The pure heart of the simulated Cluster Version Operator: from ClusterVersion `version`, the
 * ClusterOperators, the admin-gates/admin-acks ConfigMaps, what the update service said and the
 * time, the next ClusterVersion status and the ClusterOperator versions to move. It follows the
 * 4.14 CVO: Upgradeable from its checks, a requested release accepted only when its preconditions
 * pass (or `force` is set), an accepted release rolled out over time and recorded in history.
 */
import { createHash } from 'node:crypto';
import type { ClusterOperatorStatus } from '../../api/config/cluster-operator.ts';
import type {
  ClusterOperatorStatusCondition,
  ClusterVersionSpec,
  ClusterVersionStatus,
  ConditionalUpdate,
  Release,
  UpdateHistory,
} from '../../api/config/cluster-version.ts';
import { conditionTypes } from '../../api/config/constants.ts';
import { findCondition, removeCondition, setCondition, timestamp } from './operator-conditions.ts';
import { runPreconditions, summarizePreconditions } from './preconditions.ts';
import { bumpOperatorVersions, progressMessage, rollout } from './progress.ts';
import { retrievedUpdatesCondition, type UpdatesObservation } from './updates.ts';
import { failedUpgradeableChecks, upgradeableConditions, type ConfigMapData } from './upgradeable.ts';
import { invalidMessage, validateClusterVersion } from './validation.ts';
import { currentVersion, versionFromImage } from './versions.ts';

/** A history entry as served: `completionTime` is null while the update is Partial. */
export type HistoryEntry = Omit<UpdateHistory, 'completionTime'> & { completionTime: string | null };

export type CvoStatus = Omit<ClusterVersionStatus, 'history' | 'availableUpdates'> & {
  history?: HistoryEntry[];
  availableUpdates: Release[] | null;
};

export interface ClusterVersionObject {
  readonly metadata?: { readonly generation?: number };
  readonly spec?: ClusterVersionSpec;
  readonly status?: Partial<CvoStatus>;
}

export interface ClusterOperatorObject {
  readonly metadata: { readonly name: string };
  readonly status?: ClusterOperatorStatus;
}

export interface DecideInput {
  readonly clusterVersion: ClusterVersionObject;
  readonly clusterOperators: readonly ClusterOperatorObject[];
  /** `admin-gates` data; undefined when the ConfigMap does not exist. */
  readonly adminGates: ConfigMapData | undefined;
  /** `admin-acks` data; undefined when the ConfigMap does not exist. */
  readonly adminAcks: ConfigMapData | undefined;
  readonly updates: UpdatesObservation;
  readonly now: Date;
  /** How long an accepted update takes from start to Completed. */
  readonly updateDurationMs: number;
}

export type DecisionEvent =
  | {
      readonly kind: 'accepted';
      readonly version: string;
      readonly image: string;
      readonly acceptedRisks?: string;
    }
  | { readonly kind: 'refused'; readonly version: string; readonly image: string; readonly message: string }
  | { readonly kind: 'completed'; readonly version: string };

export interface Decision {
  readonly status: CvoStatus;
  /** ClusterOperators whose status changes (their versions move to the release being rolled out). */
  readonly operators: readonly { readonly name: string; readonly status: ClusterOperatorStatus }[];
  /** Set while an update rolls out: when to look again. */
  readonly requeueAfterMs?: number;
  readonly events: readonly DecisionEvent[];
}

/** The simulated payloads are built for one architecture. */
export const payloadArchitecture = 'amd64';

export const messages = {
  noDesiredImage: 'No configured operator version, unable to update cluster',
  capabilitiesAsExpected: 'Capabilities match configured spec',
  payloadLoaded: (version: string, image: string) =>
    `Payload loaded version=${JSON.stringify(version)} image=${JSON.stringify(image)} architecture=${JSON.stringify(payloadArchitecture)}`,
  preconditionsFailed: (version: string, image: string, summary: string) =>
    `Preconditions failed for payload loaded version=${JSON.stringify(version)} image=${JSON.stringify(image)}: ${summary}`,
  retrievePayloadFailed: (version: string, image: string, failure: string) =>
    `Retrieving payload failed version=${JSON.stringify(version)} image=${JSON.stringify(image)} failure=${failure}`,
  verifyPayloadFailed: (version: string, image: string, failure: string) =>
    `Verifying payload failed version=${JSON.stringify(version)} image=${JSON.stringify(image)} failure=${failure}`,
  doneApplying: (version: string) => `Done applying ${version}`,
  clusterVersionIs: (version: string) => `Cluster version is ${version}`,
};

interface Target {
  readonly version: string;
  readonly image: string;
  readonly force: boolean;
}

type LoadOutcome =
  | { readonly accepted: true; readonly message: string }
  | { readonly accepted: false; readonly step: string; readonly message: string };

/** A release's display string as the CVO prints it: its version, else its image. */
function versionString(release: Pick<Release, 'version' | 'image'>): string {
  return release.version !== '' ? release.version : release.image;
}

function versionHash(image: string): string {
  return createHash('sha256').update(image).digest().subarray(0, 8).toString('base64url');
}

/** The release spec.desiredUpdate names, a reason it cannot be loaded, or undefined (none named). */
function resolveTarget(
  spec: ClusterVersionSpec | undefined,
  availableUpdates: readonly Release[],
  conditionalUpdates: readonly ConditionalUpdate[],
  history: readonly HistoryEntry[],
): Target | { readonly step: string; readonly message: string } | undefined {
  const update = spec?.desiredUpdate;
  if (update === undefined) return undefined;
  const force = update.force === true;
  const version = update.version ?? '';
  const image = update.image ?? '';
  if (image === '') {
    const found = availableUpdates.find((u) => u.version === version && u.image !== '');
    return found === undefined ? undefined : { version, image: found.image, force };
  }
  const tagged = versionFromImage(image);
  if (version !== '' && tagged !== undefined && tagged !== version) {
    return {
      step: 'VerifyPayloadVersion',
      message: messages.verifyPayloadFailed(
        version,
        image,
        `release image version ${tagged} does not match the expected upstream version ${version}`,
      ),
    };
  }
  const known =
    availableUpdates.find((u) => u.image === image)?.version ??
    conditionalUpdates.find((u) => u.release.image === image)?.release.version ??
    history.find((h) => h.image === image)?.version;
  const resolved = version !== '' ? version : (tagged ?? known ?? '');
  if (resolved === '') {
    return {
      step: 'RetrievePayload',
      message: messages.retrievePayloadFailed(
        '',
        image,
        `the simulated release image ${image} carries no version in its tag (like ocp-release:4.14.1-x86_64); set spec.desiredUpdate.version`,
      ),
    };
  }
  return { version: resolved, image, force };
}

/** Release metadata (url, channels) the update service gave for `image`. */
function releaseFor(
  target: Target,
  availableUpdates: readonly Release[],
  conditional: readonly ConditionalUpdate[],
) {
  const known =
    availableUpdates.find((u) => u.image === target.image) ??
    conditional.find((u) => u.release.image === target.image)?.release;
  return {
    version: target.version,
    image: target.image,
    ...(known?.url !== undefined ? { url: known.url } : {}),
    ...(known?.channels !== undefined ? { channels: [...known.channels] } : {}),
  } satisfies Release;
}

/** mergeOperatorHistory for a new release: the previous head is closed, the new one starts Partial. */
function startHistory(
  history: readonly HistoryEntry[],
  release: Release,
  now: Date,
  acceptedRisks: string | undefined,
): HistoryEntry[] {
  const [head, ...rest] = history;
  const closed =
    head === undefined ? [] : [{ ...head, completionTime: head.completionTime ?? timestamp(now) }, ...rest];
  return [
    {
      state: 'Partial',
      startedTime: timestamp(now),
      completionTime: null,
      version: release.version,
      image: release.image,
      // The lab has no release signatures to verify.
      verified: false,
      ...(acceptedRisks !== undefined && acceptedRisks !== '' ? { acceptedRisks } : {}),
    },
    ...closed,
  ];
}

function isUpgradeableType(type: string): boolean {
  return type.startsWith(conditionTypes.upgradeable);
}

export function decide(input: DecideInput): Decision {
  const { now, clusterVersion } = input;
  const previous = clusterVersion.status ?? {};
  const spec = clusterVersion.spec;
  const events: DecisionEvent[] = [];

  const retrieved = input.updates.kind === 'retrieved' ? input.updates.recommendation : undefined;
  const availableUpdates = retrieved?.availableUpdates ?? [];
  const conditionalUpdates = retrieved?.conditionalUpdates ?? [];

  let history: HistoryEntry[] = [...(previous.history ?? [])];
  let desired: Release = previous.desired ?? { version: '', image: '' };
  let conditions: ClusterOperatorStatusCondition[] = [...(previous.conditions ?? [])];
  const set = (update: Parameters<typeof setCondition>[1]): void => {
    conditions = setCondition(conditions, update, now);
  };

  set(retrievedUpdatesCondition(input.updates));

  const validationErrors = validateClusterVersion(spec, availableUpdates, history);
  const upgradeableNow = (): ReturnType<typeof upgradeableConditions> =>
    upgradeableConditions(
      failedUpgradeableChecks({
        currentVersion: currentVersion(history),
        overrides: spec?.overrides,
        adminGates: input.adminGates,
        adminAcks: input.adminAcks,
        clusterOperators: input.clusterOperators.map((co) => ({
          name: co.metadata.name,
          ...(co.status?.conditions !== undefined ? { conditions: co.status.conditions } : {}),
        })),
      }),
    );
  const applyUpgradeable = (): void => {
    const fresh = upgradeableNow();
    conditions = conditions.filter((c) => !isUpgradeableType(c.type) || fresh.some((f) => f.type === c.type));
    for (const condition of fresh) set(condition);
  };
  applyUpgradeable();

  const installed = desired.image !== '';
  let load: LoadOutcome | undefined = installed
    ? { accepted: true, message: messages.payloadLoaded(desired.version, desired.image) }
    : undefined;

  const invalidDesiredUpdate = validationErrors.some((e) => e.field.startsWith('spec.desiredUpdate'));
  const target =
    installed && !invalidDesiredUpdate
      ? resolveTarget(spec, availableUpdates, conditionalUpdates, history)
      : undefined;
  if (target !== undefined && 'step' in target) {
    load = { accepted: false, step: target.step, message: target.message };
    events.push({
      kind: 'refused',
      version: spec?.desiredUpdate?.version ?? '',
      image: spec?.desiredUpdate?.image ?? '',
      message: target.message,
    });
  } else if (target !== undefined && target.image !== desired.image) {
    const summary = summarizePreconditions(
      runPreconditions({
        desiredVersion: target.version,
        currentTarget: desired.version,
        history,
        conditions,
        overrides: spec?.overrides,
        channel: spec?.channel,
        availableUpdates,
        conditionalUpdates,
      }),
      target.force,
    );
    if (summary?.blocking === true) {
      const message = messages.preconditionsFailed(target.version, target.image, summary.message);
      load = { accepted: false, step: 'PreconditionChecks', message };
      events.push({ kind: 'refused', version: target.version, image: target.image, message });
    } else {
      desired = releaseFor(target, availableUpdates, conditionalUpdates);
      history = startHistory(history, desired, now, summary?.message);
      load = { accepted: true, message: messages.payloadLoaded(target.version, target.image) };
      events.push({
        kind: 'accepted',
        version: target.version,
        image: target.image,
        ...(summary !== undefined ? { acceptedRisks: summary.message } : {}),
      });
    }
  }

  // Roll the accepted release out.
  const operators: { name: string; status: ClusterOperatorStatus }[] = [];
  let requeueAfterMs: number | undefined;
  const head = history[0];
  const updating = head !== undefined && head.state === 'Partial' && head.image === desired.image;
  let completed = head?.state === 'Completed' && head.image === desired.image;
  let fraction = 0;
  if (updating) {
    const started = Date.parse(head.startedTime);
    const progress = rollout(
      Number.isNaN(started) ? now.getTime() : started,
      now.getTime(),
      input.updateDurationMs,
      input.clusterOperators.map((co) => co.metadata.name),
    );
    fraction = progress.fraction;
    for (const name of progress.updatedOperators) {
      const operator = input.clusterOperators.find((co) => co.metadata.name === name);
      const bumped = bumpOperatorVersions(operator?.status, desired.version);
      if (bumped !== undefined) operators.push({ name, status: bumped });
    }
    if (progress.done) {
      history = [{ ...head, state: 'Completed', completionTime: timestamp(now) }, ...history.slice(1)];
      completed = true;
      events.push({ kind: 'completed', version: desired.version });
      // A completed update changes the current version, and with it which admin gates apply.
      applyUpgradeable();
    } else if (progress.nextStepAt !== undefined) {
      const tick = Math.max(250, input.updateDurationMs / 20);
      requeueAfterMs = Math.max(50, Math.min(progress.nextStepAt - now.getTime(), tick));
    }
  }

  const version = versionString(desired);
  const invalid = validationErrors.length > 0;
  if (completed)
    set({ type: conditionTypes.available, status: 'True', message: messages.doneApplying(version) });
  else if (findCondition(conditions, conditionTypes.available) === undefined) {
    set({ type: conditionTypes.available, status: 'False' });
  }
  if (!installed) {
    set({
      type: conditionTypes.failing,
      status: 'True',
      reason: 'NoDesiredImage',
      message: messages.noDesiredImage,
    });
    set({
      type: conditionTypes.progressing,
      status: 'False',
      reason: 'NoDesiredImage',
      message: messages.noDesiredImage,
    });
  } else {
    set({ type: conditionTypes.failing, status: 'False' });
    if (completed) {
      set({
        type: conditionTypes.progressing,
        status: 'False',
        message: invalid
          ? `Stopped at ${version}: the cluster version is invalid`
          : messages.clusterVersionIs(version),
      });
    } else {
      set({
        type: conditionTypes.progressing,
        status: 'True',
        message: invalid
          ? `Reconciling ${version}: the cluster version is invalid`
          : progressMessage(version, fraction),
      });
    }
  }
  set({
    type: conditionTypes.implicitlyEnabledCapabilities,
    status: 'False',
    reason: 'AsExpected',
    message: messages.capabilitiesAsExpected,
  });
  if (load !== undefined) {
    set(
      load.accepted
        ? {
            type: conditionTypes.releaseAccepted,
            status: 'True',
            reason: 'PayloadLoaded',
            message: load.message,
          }
        : { type: conditionTypes.releaseAccepted, status: 'False', reason: load.step, message: load.message },
    );
  }
  conditions = invalid
    ? setCondition(
        conditions,
        {
          type: 'Invalid',
          status: 'True',
          reason: 'InvalidClusterVersion',
          message: invalidMessage(validationErrors),
        },
        now,
      )
    : removeCondition(conditions, 'Invalid');

  const status: CvoStatus = {
    ...previous,
    desired,
    history,
    observedGeneration: clusterVersion.metadata?.generation ?? previous.observedGeneration ?? 0,
    versionHash: desired.image === '' ? (previous.versionHash ?? '') : versionHash(desired.image),
    conditions,
    availableUpdates: retrieved === undefined ? null : retrieved.availableUpdates,
  };
  if (retrieved !== undefined && retrieved.conditionalUpdates.length > 0) {
    status.conditionalUpdates = retrieved.conditionalUpdates;
  } else delete status.conditionalUpdates;

  return { status, operators, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}), events };
}
