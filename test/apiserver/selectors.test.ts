import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/apiserver/errors.ts';
import { matches, parseFieldSelector, parseLabelSelector } from '../../src/apiserver/selectors.ts';

const labels = { app: 'web', env: 'prod', tier: 'front' };

describe('label selectors', () => {
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['env in (prod,staging)', true],
    ['env in (staging)', false],
    ['env notin (staging, dev)', true],
    ['tier', true],
    ['!legacy', true],
    ['!tier', false],
    ['app=web,env in (prod),!legacy', true],
    ['app=web,env=dev', false],
    ['missing!=x', true],
    ['missing notin (x)', true],
    ['', true],
  ];
  for (const [selector, expected] of cases) {
    it(`"${selector}" ${expected ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(matches(parseLabelSelector(selector), labels), expected);
    });
  }

  it('refuses a malformed term with a 400 naming it', () => {
    assert.throws(
      () => parseLabelSelector('app=web,(oops'),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.message.includes('(oops'),
    );
  });
});

describe('field selectors', () => {
  it('accepts only the fields the kind supports', () => {
    const selector = parseFieldSelector('metadata.name=a,metadata.namespace!=b', [
      'metadata.name',
      'metadata.namespace',
    ]);
    assert.equal(matches(selector, { 'metadata.name': 'a', 'metadata.namespace': 'c' }), true);
    assert.throws(
      () => parseFieldSelector('spec.foo=x', ['metadata.name']),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 400 &&
        e.message.includes('"spec.foo" is not a known field selector'),
    );
  });
});
