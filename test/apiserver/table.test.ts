import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration } from '../../src/apiserver/table.ts';

describe('ages print like kubectl', () => {
  const s = 1000;
  const cases: [number, string][] = [
    [5 * s, '5s'],
    [119 * s, '119s'],
    [150 * s, '2m30s'],
    [10 * 60 * s, '10m'],
    [179 * 60 * s, '179m'],
    [3 * 3600 * s + 4 * 60 * s, '3h4m'],
    [30 * 3600 * s, '30h'],
    [(2 * 24 + 5) * 3600 * s, '2d5h'],
    [90 * 24 * 3600 * s, '90d'],
    [(3 * 365 + 45) * 24 * 3600 * s, '3y45d'],
    [-5 * s, '<invalid>'],
  ];
  for (const [ms, expected] of cases) {
    it(`${ms} ms → ${expected}`, () => assert.equal(humanDuration(ms), expected));
  }
});
