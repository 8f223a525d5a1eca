/**
 * Seed ↔ target compatibility (IBU-11, IBU-12, IBU-13): pure comparisons of the seed record with the
 * target host's facts, each problem a sentence that names the mismatch and both values.
 */
import type { HostFacts } from '../../host/host.ts';
import type { SeedRecord } from '../../host/seed-image.ts';

/** 4.14.13 → [4, 14, 13]; non-numeric parts count as 0. */
function parts(version: string): number[] {
  return version.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
}

export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** IBU-11 minimum versions, as the seed lists them. */
export const minimumVersions = {
  cluster: '4.14.13',
  lifecycleAgent: '4.16.0',
  oadp: '1.4.1',
  localStorage: '4.14.0',
  lvmStorage: '4.14.2',
} as const;

/** The OLM packages of the two local storage implementations a single-node cluster may run. */
export const storageOperators = {
  'local-storage-operator': minimumVersions.localStorage,
  'lvms-operator': minimumVersions.lvmStorage,
} as const;

export type StorageOperator = keyof typeof storageOperators;

/** The one storage operator installed, or undefined when there is none or more than one. */
export function storageOperatorOf(facts: Pick<HostFacts, 'operators'>): StorageOperator | undefined {
  const installed = (Object.keys(storageOperators) as StorageOperator[]).filter(
    (name) => operatorVersion(facts, name) !== undefined,
  );
  return installed.length === 1 ? installed[0] : undefined;
}

function operatorVersion(facts: Pick<HostFacts, 'operators'>, name: string): string | undefined {
  return facts.operators.find((o) => o.name === name || o.name.startsWith(`${name}.`))?.version;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.join(', ');
}

/** Every reason this seed cannot upgrade this cluster; empty when it can. */
export function compatibilityProblems(seed: SeedRecord, target: HostFacts): string[] {
  const problems: string[] = [];
  const seedVersion = seed.seedCluster.releaseVersion;
  if (compareVersions(target.releaseVersion, minimumVersions.cluster) < 0) {
    problems.push(
      `this cluster runs ${target.releaseVersion}; image-based upgrade needs at least ${minimumVersions.cluster}`,
    );
  }
  if (compareVersions(seedVersion, target.releaseVersion) <= 0) {
    problems.push(
      `the seed runs ${seedVersion}, which is not newer than this cluster's ${target.releaseVersion}`,
    );
  }
  const lca = operatorVersion(target, 'lifecycle-agent');
  if (lca === undefined) problems.push('the Lifecycle Agent operator is not installed on this cluster');
  else if (compareVersions(lca, minimumVersions.lifecycleAgent) < 0) {
    problems.push(`Lifecycle Agent ${lca} is older than the required ${minimumVersions.lifecycleAgent}`);
  }
  const oadp = operatorVersion(target, 'oadp-operator') ?? operatorVersion(target, 'redhat-oadp-operator');
  if (oadp === undefined) problems.push('the OADP operator is not installed on this cluster');
  else if (compareVersions(oadp, minimumVersions.oadp) < 0)
    problems.push(`OADP ${oadp} is older than the required ${minimumVersions.oadp}`);
  const storage = Object.entries(storageOperators).filter(
    ([name]) => operatorVersion(target, name) !== undefined,
  );
  if (storage.length !== 1) {
    problems.push(
      `exactly one storage operator must be installed (Local Storage Operator or LVM Storage); found ${list(storage.map(([name]) => name))}`,
    );
  }
  for (const [name, minimum] of storage) {
    const version = operatorVersion(target, name) ?? '';
    if (compareVersions(version, minimum) < 0)
      problems.push(`${name} ${version} is older than the required ${minimum}`);
  }
  if (seed.hasRhacmResources)
    problems.push(
      'the seed image was built from a cluster holding RHACM resources (IBU-12); build it from a cluster without them',
    );
  const facts = seed.facts;
  if (facts.cpuCores !== target.cpuCores) {
    problems.push(
      `CPU topology mismatch: the seed has ${facts.cpuCores} cores, this cluster ${target.cpuCores}`,
    );
  }
  if ((facts.reservedCpus ?? '') !== (target.reservedCpus ?? '')) {
    problems.push(
      `reserved CPUs differ: the seed reserves "${facts.reservedCpus ?? ''}", this cluster "${target.reservedCpus ?? ''}"`,
    );
  }
  if (target.ipStack === 'dual' || facts.ipStack === 'dual')
    problems.push('dual-stack networking is not supported: seed and cluster must be single-stack');
  else if (facts.ipStack !== target.ipStack)
    problems.push(`IP stack mismatch: the seed is ${facts.ipStack}, this cluster ${target.ipStack}`);
  if (facts.fips !== target.fips)
    problems.push(
      `FIPS mismatch: the seed has FIPS ${facts.fips ? 'on' : 'off'}, this cluster ${target.fips ? 'on' : 'off'}`,
    );
  if ((facts.mirrorRegistry ?? '') !== (target.mirrorRegistry ?? '')) {
    problems.push(
      `disconnected registry mismatch: the seed uses ${facts.mirrorRegistry ?? 'none'}, this cluster ${target.mirrorRegistry ?? 'none'}`,
    );
  }
  if (target.proxy !== null && !facts.hasProxy)
    problems.push('this cluster uses a proxy, so the seed cluster must have one too');
  for (const [who, partitions] of [
    ['seed', facts.partitions],
    ['this cluster', target.partitions],
  ] as const) {
    if (!partitions.some((p) => p.label === 'varlibcontainers')) {
      problems.push(`${who} has no partition labelled varlibcontainers for /var/lib/containers`);
    }
  }
  const seedOperators = facts.operators.map((o) => o.name).sort();
  const targetOperators = target.operators.map((o) => o.name).sort();
  const missing = seedOperators.filter((o) => !targetOperators.includes(o));
  const extra = targetOperators.filter((o) => !seedOperators.includes(o));
  if (missing.length > 0 || extra.length > 0) {
    problems.push(
      `the day-2 operators differ: only on the seed: ${list(missing)}; only on this cluster: ${list(extra)}`,
    );
  }
  const seedMcs = [...facts.machineConfigs].sort();
  const targetMcs = [...target.machineConfigs].sort();
  if (seedMcs.join('\n') !== targetMcs.join('\n')) {
    problems.push(`MachineConfigs differ: the seed has ${list(seedMcs)}, this cluster ${list(targetMcs)}`);
  }
  return problems;
}
