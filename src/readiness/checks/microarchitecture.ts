/**
 * UPD-1: from OpenShift 4.14 the hosts run RHEL 9.2, which needs x86-64-v2 (or Power9, z14). The
 * CPU features come from Node Feature Discovery's `feature.node.kubernetes.io/cpu-cpuid.<FLAG>`
 * labels (klauspost/cpuid names on x86, AT_HWCAP names on Power and Z); without them the check can
 * only say it could not verify.
 */
import type { Check } from '../report/context.ts';
import type { Finding } from '../report/types.ts';
import { ref, types, type Node } from './support/kinds.ts';
import { atLeastMinor } from './support/versions.ts';

export const microarchitectureId = 'UPD-1/microarchitecture';

/** The first release on RHEL 9.2. */
export const rhel9Release = '4.14';

export const cpuidLabelPrefix = 'feature.node.kubernetes.io/cpu-cpuid.';

/** x86-64-v2 in NFD spelling: CMPXCHG16B, LAHF/SAHF, POPCNT, SSE3, SSSE3, SSE4.1 (`SSE4`), SSE4.2 (`SSE42`). */
export const x86V2Flags = ['CX16', 'LAHF', 'POPCNT', 'SSE3', 'SSSE3', 'SSE4', 'SSE42'] as const;

/**
 * NFD's default cpuid attributeBlacklist: flags it never labels unless reconfigured, so their
 * absence proves nothing — unless the node shows another of them, which means the list was changed.
 */
export const nfdDefaultBlacklist: ReadonlySet<string> = new Set([
  'AVX10',
  'BMI1',
  'BMI2',
  'CLMUL',
  'CMOV',
  'CX16',
  'ERMS',
  'F16C',
  'HTT',
  'LZCNT',
  'MMX',
  'MMXEXT',
  'NX',
  'POPCNT',
  'RDRAND',
  'RDSEED',
  'RDTSCP',
  'SGX',
  'SGXLC',
  'SSE',
  'SSE2',
  'SSE3',
  'SSE4',
  'SSE42',
  'SSSE3',
  'TDX_GUEST',
]);

/** Power9 is Power ISA 3.0 (ARCH_3_00; Power10 adds ARCH_3_1); z14 brought the vector-enhancements facility (VXE). */
const powerFlags = ['ARCH_3_00', 'ARCH_3_1'] as const;
const zFlags = ['VXE'] as const;

function cpuidFlags(node: Node): Set<string> {
  const flags = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(cpuidLabelPrefix) && value !== 'false') flags.add(key.slice(cpuidLabelPrefix.length));
  }
  return flags;
}

function architectureOf(node: Node): string {
  return node.status?.nodeInfo?.architecture ?? node.metadata.labels?.['kubernetes.io/arch'] ?? 'unknown';
}

type Verdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'unverifiable'; readonly why: string }
  | { readonly kind: 'missing'; readonly flags: readonly string[] };

function x86Verdict(flags: ReadonlySet<string>): Verdict {
  if (flags.size === 0) return { kind: 'unverifiable', why: 'no Node Feature Discovery cpuid labels' };
  const blacklistChanged = [...flags].some((f) => nfdDefaultBlacklist.has(f));
  const missing = x86V2Flags.filter((f) => !flags.has(f));
  const proven = missing.filter((f) => blacklistChanged || !nfdDefaultBlacklist.has(f));
  if (proven.length > 0) return { kind: 'missing', flags: proven };
  if (missing.length > 0)
    return { kind: 'unverifiable', why: `NFD's default configuration hides ${missing.join(', ')}` };
  return { kind: 'ok' };
}

function anyOf(flags: ReadonlySet<string>, wanted: readonly string[], what: string): Verdict {
  if (flags.size === 0) return { kind: 'unverifiable', why: 'no Node Feature Discovery cpuid labels' };
  return wanted.some((f) => flags.has(f)) ? { kind: 'ok' } : { kind: 'missing', flags: [what] };
}

const needs: Record<string, string> = {
  amd64: 'x86-64-v2 (CX16, LAHF, POPCNT, SSE3, SSSE3, SSE4.1, SSE4.2)',
  ppc64le: 'Power9 or later',
  s390x: 'z14 or later',
};

function verdictOf(node: Node): Verdict {
  const flags = cpuidFlags(node);
  switch (architectureOf(node)) {
    case 'amd64':
    case 'x86_64':
      return x86Verdict(flags);
    case 'ppc64le':
      return anyOf(flags, powerFlags, 'ARCH_3_00 (Power9)');
    case 's390x':
      return anyOf(flags, zFlags, 'VXE (z14)');
    default:
      return { kind: 'ok' };
  }
}

const manualCheck =
  "On each host: grep -o -w -E 'cx16|lahf_lm|popcnt|pni|ssse3|sse4_1|sse4_2' /proc/cpuinfo | sort -u (x86: all 7 must appear), or deploy Node Feature Discovery with cpu.cpuid.attributeWhitelist including CX16, LAHF, POPCNT, SSE3, SSSE3, SSE4, SSE42 (ppc64le: ARCH_3_00; s390x: VXE).";

export const microarchitectureCheck: Check = {
  id: microarchitectureId,
  title: 'CPU microarchitecture required by the target (x86-64-v2, Power9, z14)',
  async run(ctx) {
    if (!atLeastMinor(ctx.targetVersion, rhel9Release)) return [];
    const nodes = await ctx.client.list<Node>(types.node);
    const missing: { node: Node; arch: string; flags: readonly string[] }[] = [];
    const unverifiable: { node: Node; arch: string; why: string }[] = [];
    for (const node of [...nodes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const verdict = verdictOf(node);
      const arch = architectureOf(node);
      if (verdict.kind === 'missing') missing.push({ node, arch, flags: verdict.flags });
      if (verdict.kind === 'unverifiable') unverifiable.push({ node, arch, why: verdict.why });
    }
    const findings: Finding[] = [];
    if (missing.length > 0) {
      findings.push({
        check: microarchitectureId,
        severity: 'blocker',
        title: `${missing.length} node(s) lack the CPU features RHEL 9.2 (OpenShift ${rhel9Release}+) requires; the update would fail on them`,
        evidence: {
          objects: missing.map((m) => ref('Node', m.node)),
          details: missing.map(
            (m) =>
              `${m.node.metadata.name} (${m.arch}, needs ${needs[m.arch === 'x86_64' ? 'amd64' : m.arch] ?? m.arch}): missing ${m.flags.join(', ')}`,
          ),
        },
        fix: 'Move these nodes to hardware (or a VM CPU model) that meets the requirement before updating; for VMs, expose the host CPU model (e.g. host-passthrough or a model with x86-64-v2).',
      });
    }
    if (unverifiable.length > 0) {
      findings.push({
        check: microarchitectureId,
        severity: 'info',
        title: `cannot verify the CPU microarchitecture of ${unverifiable.length} node(s) without Node Feature Discovery labels`,
        evidence: {
          objects: unverifiable.map((u) => ref('Node', u.node)),
          details: unverifiable.map((u) => `${u.node.metadata.name} (${u.arch}): ${u.why}`),
        },
        fix: manualCheck,
      });
    }
    return findings;
  },
};
