import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { checkFormat, isSupportedFormat } from '../../../src/apiserver/schema/formats.ts';

describe('string formats', () => {
  it('knows the formats Kubernetes validates and ignores the others', () => {
    assert.equal(isSupportedFormat('date-time'), true);
    assert.equal(isSupportedFormat('datetime'), true);
    assert.equal(isSupportedFormat('int32'), false);
    assert.equal(isSupportedFormat('quantity'), false);
    assert.equal(checkFormat('int32', 'not a number'), true);
  });

  it('checks date-time and date like strfmt', () => {
    assert.equal(checkFormat('date-time', '2024-01-02T03:04:05Z'), true);
    assert.equal(checkFormat('date-time', '2024-01-02T03:04:05.123456+02:00'), true);
    assert.equal(checkFormat('date-time', '2024-01-02 03:04:05Z'), false);
    assert.equal(checkFormat('date-time', '2024-01-02T24:00:00Z'), false);
    assert.equal(checkFormat('date', '2024-02-29'), true);
    assert.equal(checkFormat('date', '2023-02-29'), false);
  });

  it('checks durations in Go and loose strfmt syntax', () => {
    assert.equal(checkFormat('duration', '1h30m'), true);
    assert.equal(checkFormat('duration', '3 days'), true);
    assert.equal(checkFormat('duration', 'soon'), false);
  });

  it('checks network formats', () => {
    assert.equal(checkFormat('ipv4', '192.168.0.1'), true);
    assert.equal(checkFormat('ipv4', '::1'), false);
    assert.equal(checkFormat('ipv6', '::1'), true);
    assert.equal(checkFormat('cidr', '10.0.0.0/8'), true);
    assert.equal(checkFormat('cidr', '10.0.0.0/33'), false);
    assert.equal(checkFormat('hostname', 'node-1.example.com'), true);
    assert.equal(checkFormat('hostname', 'bad_host!'), false);
    assert.equal(checkFormat('mac', '00:1a:2b:3c:4d:5e'), true);
    assert.equal(checkFormat('uri', 'https://example.com/x'), true);
    assert.equal(checkFormat('uri', 'not a uri'), false);
    assert.equal(checkFormat('email', 'a@example.com'), true);
  });

  it('checks uuid, byte and the govalidator formats', () => {
    assert.equal(checkFormat('uuid', '123E4567-E89B-12D3-A456-426614174000'), true);
    assert.equal(checkFormat('uuid4', '123e4567-e89b-12d3-a456-426614174000'), false);
    assert.equal(checkFormat('byte', 'aGVsbG8='), true);
    assert.equal(checkFormat('byte', 'hello!'), false);
    assert.equal(checkFormat('isbn13', '978-0321751041'), true);
    assert.equal(checkFormat('creditcard', '4111 1111 1111 1111'), true);
    assert.equal(checkFormat('hexcolor', '#ffF'), true);
    assert.equal(checkFormat('rgbcolor', 'rgb(1, 2, 300)'), false);
  });
});
