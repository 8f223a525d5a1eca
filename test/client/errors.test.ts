import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ApiStatusError, ConnectionError, isTransient } from '../../src/client/errors.ts';

const status = (code: number, reason?: string): ApiStatusError =>
  new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    ...(reason ? { reason } : {}),
  });

describe('isTransient', () => {
  it('calls no answer, an overloaded or unavailable server and a lost write race worth a retry', () => {
    assert.ok(isTransient(new ConnectionError('GET /api: connect ECONNREFUSED', new Error('refused'))));
    for (const code of [429, 500, 502, 503, 504]) assert.ok(isTransient(status(code)), `code ${code}`);
    assert.ok(isTransient(status(409, 'Conflict')));
  });

  it('does not retry what the request itself got wrong, nor errors from elsewhere', () => {
    for (const code of [400, 403, 404, 410, 422]) assert.ok(!isTransient(status(code)), `code ${code}`);
    assert.ok(!isTransient(status(409, 'AlreadyExists')));
    assert.ok(!isTransient(new Error('pull seed image: manifest unknown')));
    assert.ok(!isTransient('a string'));
  });
});
