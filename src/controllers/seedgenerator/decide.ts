/**
 * SeedGenerator decisions, pure: from the object, what was observed on the cluster and the host's
 * record of finished steps, the one thing to do next and the status that says so. Condition types,
 * reasons and messages are upstream lifecycle-agent's (controllers/seedgen_controller.go).
 *
 * Like upstream, an outcome is final: Completed, or Failed (delete and recreate the SeedGenerator to
 * try again; its spec is immutable anyway). Two things are waited out instead of failing: a cluster
 * that is not yet stable before the work starts, and a registry that cannot be reached (or answers
 * 5xx/429) during the push, since neither needs the user to change anything.
 */
import type { Condition } from '../../api/kind.ts';
import { isRecord, type KubeObject } from '../../client/object.ts';
import {
  conditionReasons,
  conditionTypes,
  operatorNamespace,
  seedGeneratorName,
  seedGeneratorSecretName,
} from '../../api/lca/constants.ts';
import type { SeedGeneratorSpec, SeedGeneratorStatus } from '../../api/lca/seed-generator.ts';
import { parseDockerConfig } from '../../host/oci/docker-config.ts';
import { parseImageReference, type ImageReference } from '../../host/oci/reference.ts';
import type { SeedOs } from '../../host/seed-image.ts';
import { getCondition, removeCondition, setCondition } from '../../runtime/conditions.ts';

/** A SeedGenerator as the API server returns it. */
export type SeedGenerator = KubeObject<SeedGeneratorSpec, SeedGeneratorStatus>;

/** Upstream's progress and outcome messages. */
export const messages = {
  waitingForStable: 'Waiting for system to stabilize',
  starting: 'Starting seed generation',
  failed: 'Seed generation failed',
  completed: 'Seed Generation completed',
  detachFromHub: 'Rejected: Cluster must be detached from hub prior to seed generation',
} as const;

/** The secret key upstream reads the seed registry's docker config JSON from. */
export const seedAuthKey = 'seedAuth';
export const secretRef = `${operatorNamespace}/${seedGeneratorSecretName}`;

export const seedGenSteps = [
  { name: 'dump-cluster-state', message: 'Saving the cluster state' },
  { name: 'export-os', message: 'Exporting the OS tree of the booted deployment' },
  { name: 'build-image', message: 'Building the seed image' },
  { name: 'push-image', message: 'Pushing the seed image' },
  { name: 'verify-image', message: 'Verifying the pushed seed image' },
] as const;
export type SeedGenStep = (typeof seedGenSteps)[number]['name'];

export function stepMessage(step: SeedGenStep): string {
  return seedGenSteps.find((s) => s.name === step)?.message ?? step;
}

/**
 * What the host's work dir says is done (progress.json). Every entry is written only after its
 * step's output is complete, so a step killed half-way has no entry and is run again from its start.
 */
export interface SeedGenProgress {
  /** The SeedGenerator this work belongs to: a recreated one starts over. */
  readonly uid: string;
  readonly seedImage: string;
  readonly clusterState?: { readonly backing?: string; readonly items: number };
  readonly os?: SeedOs;
  readonly built?: { readonly manifestDigest: string };
  readonly pushed?: { readonly digest: string };
  readonly verified?: { readonly digest: string };
}

export function stepDone(progress: SeedGenProgress, step: SeedGenStep): boolean {
  switch (step) {
    case 'dump-cluster-state':
      return progress.clusterState !== undefined;
    case 'export-os':
      return progress.os !== undefined;
    case 'build-image':
      return progress.built !== undefined;
    case 'push-image':
      return progress.pushed !== undefined;
    case 'verify-image':
      return progress.verified !== undefined;
  }
}

export function nextStep(progress: SeedGenProgress): SeedGenStep | undefined {
  return seedGenSteps.find((step) => !stepDone(progress, step.name))?.name;
}

export type Phase = 'initial' | 'running' | 'completed' | 'failed';

/** Upstream's getPhase, from the conditions alone. */
export function phaseOf(status: SeedGeneratorStatus | undefined): Phase {
  const completed = getCondition(status?.conditions, conditionTypes.seedGenCompleted);
  const inProgress = getCondition(status?.conditions, conditionTypes.seedGenInProgress);
  if (completed === undefined && inProgress === undefined) return 'initial';
  if (completed?.reason === conditionReasons.failed || inProgress?.reason === conditionReasons.failed)
    return 'failed';
  if (completed?.status === 'True') return 'completed';
  return 'running';
}

// ---- validation -----------------------------------------------------------------------------------

export type SpecCheck =
  { readonly ok: true; readonly target: ImageReference } | { readonly ok: false; readonly message: string };

export function checkSpec(seedgen: SeedGenerator): SpecCheck {
  // The CRD's CEL rule enforces the name too; an object created before the CRD had it still lands here.
  if (seedgen.metadata.name !== seedGeneratorName)
    return { ok: false, message: `seedgen is a singleton, metadata.name must be '${seedGeneratorName}'` };
  const seedImage = seedgen.spec?.seedImage;
  if (seedImage === undefined || seedImage === '')
    return { ok: false, message: 'spec.seedImage is required: the repository:tag to push the seed image to' };
  let target: ImageReference;
  try {
    target = parseImageReference(seedImage);
  } catch (error) {
    return {
      ok: false,
      message: `spec.seedImage: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (target.digest !== undefined) {
    return {
      ok: false,
      message: `spec.seedImage: ${JSON.stringify(seedImage)} names a digest; name a tag to push the seed image to`,
    };
  }
  return { ok: true, target };
}

/** The `seedgen` Secret as the effects layer found it. */
export type SecretObservation =
  | { readonly found: false; readonly error?: string }
  | { readonly found: true; readonly data: Readonly<Record<string, string>> | undefined };

export type SecretCheck =
  { readonly ok: true; readonly dockerConfig: string } | { readonly ok: false; readonly message: string };

export function checkSecret(secret: SecretObservation, registry: string): SecretCheck {
  const fix = `create it with key ${seedAuthKey} holding the docker config JSON for ${registry}`;
  if (!secret.found) {
    return {
      ok: false,
      message: `could not access secret ${secretRef}${secret.error !== undefined ? ` (${secret.error})` : ': not found'}; ${fix}`,
    };
  }
  const encoded = secret.data?.[seedAuthKey];
  if (encoded === undefined || encoded === '')
    return { ok: false, message: `could not find ${seedAuthKey} in secret ${secretRef}; ${fix}` };
  const dockerConfig = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    parseDockerConfig(dockerConfig, `secret ${secretRef} key ${seedAuthKey}`);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, dockerConfig };
}

/** IBU-12, with upstream's rejection messages. */
export function rhacmRejection(found: readonly string[]): string | undefined {
  if (found.length === 0) return undefined;
  if (found.some((f) => f.startsWith('CRD klusterlets.'))) return messages.detachFromHub;
  return `Rejected due to presence of RHACM resources: ${found.join(', ')}`;
}

/** Why the ClusterVersion does not say the cluster is stable, or undefined when it does. */
export function healthProblem(clusterVersion: KubeObject | undefined): string | undefined {
  if (clusterVersion === undefined) return 'ClusterVersion version not found';
  const status = clusterVersion.status;
  const conditions = isRecord(status) && Array.isArray(status.conditions) ? status.conditions : [];
  const available: unknown = conditions.find((c) => isRecord(c) && c.type === 'Available');
  if (isRecord(available) && available.status === 'True') return undefined;
  const message = isRecord(available) && typeof available.message === 'string' ? available.message : '';
  return `ClusterVersion version is not Available${message !== '' ? `: ${message}` : ''}`;
}

// ---- the decision -----------------------------------------------------------------------------------

export interface Observation {
  readonly seedgen: SeedGenerator;
  readonly secret: SecretObservation;
  /** RHACM resources on the cluster (findRhacmResources). */
  readonly rhacm: readonly string[];
  /** Why the cluster is not stable, or undefined. */
  readonly health: string | undefined;
  readonly progress: SeedGenProgress;
}

export type Decision =
  /** Completed or Failed before: nothing to do. */
  | { readonly kind: 'done' }
  | { readonly kind: 'fail'; readonly message: string }
  | { readonly kind: 'wait'; readonly message: string }
  | {
      readonly kind: 'step';
      readonly step: SeedGenStep;
      readonly target: ImageReference;
      readonly dockerConfig: string;
    }
  | { readonly kind: 'complete' };

export function decide(observation: Observation): Decision {
  const { seedgen, progress } = observation;
  const phase = phaseOf(seedgen.status);
  if (phase === 'completed' || phase === 'failed') return { kind: 'done' };
  const spec = checkSpec(seedgen);
  if (!spec.ok) return { kind: 'fail', message: spec.message };
  const secret = checkSecret(observation.secret, spec.target.registry);
  if (!secret.ok) return { kind: 'fail', message: secret.message };
  const step = nextStep(progress);
  if (step === undefined) return { kind: 'complete' };
  // The seed must be clean and stable when its state is taken; afterwards the state is saved.
  if (step === 'dump-cluster-state') {
    const rejection = rhacmRejection(observation.rhacm);
    if (rejection !== undefined) return { kind: 'fail', message: rejection };
    if (observation.health !== undefined)
      return { kind: 'wait', message: `${messages.waitingForStable}: ${observation.health}` };
  }
  return { kind: 'step', step, target: spec.target, dockerConfig: secret.dockerConfig };
}

// ---- status -------------------------------------------------------------------------------------------

/** metav1.Time serialises at second precision. */
function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/**
 * Upstream's SetStatusCondition: a condition whose status flips moves to the end of the list, since
 * the printer columns State and Details show `conditions[-1:]`, the latest event.
 */
function setSeedGenCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const list = conditions ?? [];
  const existing = getCondition(list, type);
  const last = list[list.length - 1];
  const moveToEnd = existing !== undefined && existing.status !== status && last?.type !== type;
  return setCondition(
    moveToEnd ? removeCondition(list, type) : list,
    {
      type,
      status,
      reason,
      message,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    },
    now,
  );
}

export type Outcome =
  | { readonly kind: 'in-progress'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'completed' };

/** The status after `outcome`: conditions as upstream sets them, observedGeneration, start and end times. */
export function nextStatus(seedgen: SeedGenerator, outcome: Outcome, now: Date): SeedGeneratorStatus {
  const generation = seedgen.metadata.generation;
  const current = seedgen.status ?? {};
  let conditions = current.conditions;
  const set = (type: string, status: 'True' | 'False', reason: string, message: string): void => {
    conditions = setSeedGenCondition(conditions, type, status, reason, message, generation, now);
  };
  const { inProgress, completed, failed } = conditionReasons;
  switch (outcome.kind) {
    case 'in-progress':
      set(conditionTypes.seedGenInProgress, 'True', inProgress, outcome.message);
      break;
    case 'failed':
      set(conditionTypes.seedGenCompleted, 'False', failed, `${messages.failed}: ${outcome.message}`);
      set(conditionTypes.seedGenInProgress, 'False', failed, outcome.message);
      break;
    case 'completed':
      set(conditionTypes.seedGenInProgress, 'False', completed, messages.completed);
      set(conditionTypes.seedGenCompleted, 'True', completed, messages.completed);
      break;
  }
  return {
    ...current,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    startedAt: current.startedAt ?? timestamp(now),
    ...(outcome.kind === 'completed' ? { completedAt: timestamp(now) } : {}),
    ...(conditions !== undefined ? { conditions } : {}),
  };
}
