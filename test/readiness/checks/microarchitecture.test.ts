import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cpuidLabelPrefix,
  microarchitectureCheck,
  x86V2Flags,
} from '../../../src/readiness/checks/microarchitecture.ts';
import { context, node, severitiesOf } from './fixtures.ts';

const labelsFor = (flags: readonly string[]): Record<string, string> =>
  Object.fromEntries(flags.map((f) => [`${cpuidLabelPrefix}${f}`, 'true']));

describe('UPD-1 microarchitecture', () => {
  it('an x86 node whose NFD labels show a missing x86-64-v2 flag is a blocker naming the flag', async () => {
    // SSE2 present means NFD's default blacklist was lifted, so the absence of SSE42 is real.
    const flags = [...x86V2Flags.filter((f) => f !== 'SSE42'), 'SSE2', 'AVX'];
    const findings = await microarchitectureCheck.run(
      context([node('old-cpu', { labels: labelsFor(flags) })]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.match(
      findings[0]?.evidence.details?.[0] ?? '',
      /old-cpu \(amd64, needs x86-64-v2.*\): missing SSE42/,
    );
  });

  it("with NFD's default configuration only LAHF can be proven missing; the hidden flags are unverifiable", async () => {
    const findings = await microarchitectureCheck.run(
      context([
        node('default-nfd', { labels: labelsFor(['LAHF', 'AVX2', 'AESNI']) }),
        node('no-lahf', { labels: labelsFor(['AVX2']) }),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker', 'info']);
    assert.deepEqual(findings[0]?.evidence.objects, ['Node/no-lahf']);
    assert.deepEqual(findings[1]?.evidence.objects, ['Node/default-nfd']);
  });

  it('nodes without NFD labels give an info "cannot verify"', async () => {
    const findings = await microarchitectureCheck.run(context([node('plain')]));
    assert.deepEqual(severitiesOf(findings), ['info']);
    assert.match(findings[0]?.title ?? '', /cannot verify .* without Node Feature Discovery labels/);
  });

  it('all seven flags pass; targets before 4.14 (RHEL 8) are not checked at all', async () => {
    const good = node('good', { labels: labelsFor(x86V2Flags) });
    assert.deepEqual(await microarchitectureCheck.run(context([good])), []);
    assert.deepEqual(
      await microarchitectureCheck.run(
        context([node('plain')], { currentVersion: '4.12.1', targetVersion: '4.13.9' }),
      ),
      [],
    );
  });

  it('Power needs ARCH_3_00 (Power9) and Z needs VXE (z14)', async () => {
    const findings = await microarchitectureCheck.run(
      context([
        node('p8', { arch: 'ppc64le', labels: labelsFor(['ARCH_2_07', 'VSX']) }),
        node('p9', { arch: 'ppc64le', labels: labelsFor(['ARCH_2_07', 'ARCH_3_00']) }),
        node('z13', { arch: 's390x', labels: labelsFor(['VX']) }),
        node('z15', { arch: 's390x', labels: labelsFor(['VX', 'VXE', 'VXE2']) }),
        node('arm', { arch: 'arm64' }),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.deepEqual(findings[0]?.evidence.objects, ['Node/p8', 'Node/z13']);
  });
});
