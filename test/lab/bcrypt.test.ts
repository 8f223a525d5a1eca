import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bcryptHash, bcryptVerify } from '../../src/lab/bcrypt.ts';

describe('bcrypt', () => {
  it('reproduces the published OpenBSD / crypt_blowfish vectors', () => {
    const vectors: readonly (readonly [string, string])[] = [
      ['', '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.'],
      ['abc', '$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i'],
      ['U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
    ];
    for (const [password, hash] of vectors) assert.equal(bcryptHash(password, { salt: hash }), hash);
  });

  it('matches libxcrypt for UTF-8 passwords and truncates keys at 72 bytes', () => {
    assert.equal(
      bcryptHash('pässwörd', { salt: '$2y$05$CCCCCCCCCCCCCCCCCCCCC.' }),
      '$2y$05$CCCCCCCCCCCCCCCCCCCCC.VbkrrNItU.9NIb/IkEA2mwWrOjK5F3G',
    );
    assert.equal(
      bcryptHash('x'.repeat(80), { salt: '$2b$04$CCCCCCCCCCCCCCCCCCCCC.' }),
      '$2b$04$CCCCCCCCCCCCCCCCCCCCC.ug0A3dTXhy5U.dFjx/qguZ8I4CB77BC',
    );
  });

  it('writes $2y$ hashes with a fresh salt that verify only the right password', () => {
    const first = bcryptHash('secret', { cost: 4 });
    const second = bcryptHash('secret', { cost: 4 });
    assert.match(first, /^\$2y\$04\$[./A-Za-z0-9]{53}$/);
    assert.notEqual(first, second);
    assert.ok(bcryptVerify('secret', first));
    assert.ok(!bcryptVerify('Secret', first));
  });

  it('refuses malformed salts and out-of-range costs', () => {
    assert.throws(() => bcryptHash('x', { salt: '$2y$05$short' }), /salt must look like/);
    assert.throws(() => bcryptHash('x', { cost: 3 }), /cost must be an integer from 4 to 31/);
  });
});
