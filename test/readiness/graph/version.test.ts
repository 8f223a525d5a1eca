import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareVersions,
  isEusMinor,
  minorOf,
  parseVersion,
  updateKind,
  versionProblem,
} from '../../../src/readiness/graph/version.ts';

describe('release versions', () => {
  it('accepts strict semver only, as the CVO parses graph versions', () => {
    for (const good of ['4.14.13', '4.16.0-rc.1', '4.16.0-ec.2+amd64', '0.0.0'])
      assert.equal(versionProblem(good), undefined, good);
    assert.match(versionProblem('4.14') ?? '', /"4.14" is not a semantic version \(want MAJOR.MINOR.PATCH/);
    assert.match(versionProblem('v4.14.1') ?? '', /"v4" is not a number/);
    assert.match(versionProblem('4.014.1') ?? '', /"014" is not a number without leading zeros/);
    assert.match(versionProblem('4.16.0-rc.01') ?? '', /invalid prerelease identifier "01"/);
    assert.match(versionProblem('4.16.0+') ?? '', /invalid build identifier ""/);
  });

  it('orders numerically, prereleases before their release, ignoring build metadata', () => {
    const sorted = ['4.16.0', '4.9.1', '4.16.0-rc.10', '4.16.0-rc.2', '4.14.13', '4.16.0-ec.1'].sort(
      compareVersions,
    );
    assert.deepEqual(sorted, ['4.9.1', '4.14.13', '4.16.0-ec.1', '4.16.0-rc.2', '4.16.0-rc.10', '4.16.0']);
    assert.equal(compareVersions('4.16.1+amd64', '4.16.1'), 0);
    assert.throws(() => compareVersions('4.16', '4.16.1'), /not a semantic version/);
  });

  it('tells patch from minor updates and EUS minors from others', () => {
    assert.equal(updateKind('4.14.1', '4.14.13'), 'patch');
    assert.equal(updateKind('4.14.13', '4.15.20'), 'minor');
    assert.equal(updateKind('3.11.0', '4.1.0'), 'major');
    assert.equal(minorOf('4.16.0-rc.1'), '4.16');
    assert.equal(isEusMinor('4.14.13'), true);
    assert.equal(isEusMinor('4.15.2'), false);
    assert.deepEqual(parseVersion('4.16.0-rc.1+x')?.prerelease, ['rc', 1]);
  });
});
