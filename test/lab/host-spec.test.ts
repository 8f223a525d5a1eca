import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHostSpec, parseHostSpec } from '../../src/lab/host-spec.ts';

describe('lab host spec (lcm lab up --host)', () => {
  it('a bare name=release keeps the simulated defaults', () => {
    assert.deepEqual(parseHostSpec('sno1=4.14.13'), { name: 'sno1', version: '4.14.13' });
  });

  it('facts after the release set what the compatibility checks compare', () => {
    assert.deepEqual(
      parseHostSpec(
        'sno3=4.14.13,cores=8,reserved-cpus=0-1,fips=true,ip-stack=dual,mirror-registry=mirror.lab:5000,http-proxy=http://proxy:3128,disk=40Gi',
      ),
      {
        name: 'sno3',
        version: '4.14.13',
        facts: {
          cpuCores: 8,
          reservedCpus: '0-1',
          fips: true,
          ipStack: 'dual',
          mirrorRegistry: 'mirror.lab:5000',
          proxy: { httpProxy: 'http://proxy:3128' },
        },
        capacityBytes: 40 * 1024 ** 3,
      },
    );
  });

  it('formatHostSpec round-trips through parseHostSpec', () => {
    for (const text of ['seed=4.16.1', 'sno3=4.14.13,cores=8,fips=false,ip-stack=ipv6,disk=536870912']) {
      const spec = parseHostSpec(text);
      assert.deepEqual(parseHostSpec(formatHostSpec(spec)), spec);
    }
  });

  it('bad input names the fact and the rule', () => {
    assert.throws(() => parseHostSpec('sno1'), /expected <name>=<release>/);
    assert.throws(() => parseHostSpec('sno1=4.14.13,cores=zero'), /cores must be a positive integer/);
    assert.throws(() => parseHostSpec('sno1=4.14.13,disk=lots'), /disk must be a size such as 512Mi/);
    assert.throws(
      () => parseHostSpec('sno1=4.14.13,ip-stack=ipx'),
      /ip-stack must be one of ipv4, ipv6, dual/,
    );
    assert.throws(() => parseHostSpec('sno1=4.14.13,gpu=1'), /unknown fact gpu; known: cores/);
  });
});
