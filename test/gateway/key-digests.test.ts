import { createHash } from 'node:crypto';
import t from 'tap';
import { bearerDigest, bearerDigestsCachedMax, bearerTokenCachedLengthMax } from '../../gateway/key-digests.js';

t.test('a bearer token\'s digest is its SHA-256, the same on every call', async (t) => {
  const expected = createHash('sha256').update('key-1').digest();
  t.same(bearerDigest('key-1'), expected);
  t.equal(bearerDigest('key-1'), bearerDigest('key-1'), 'remembered: the same buffer');
});

t.test('the cache is bounded: beyond its size the oldest token is forgotten, every digest stays right', async (t) => {
  const first = bearerDigest('stray-0');
  for (let i = 1; i <= bearerDigestsCachedMax; i++) bearerDigest(`stray-${i}`);
  const again = bearerDigest('stray-0');
  t.not(again, first, 'computed again: it had been forgotten');
  t.same(again, first, 'to the same digest');
});

t.test('a token longer than any key is hashed each time, not kept', async (t) => {
  const long = 'x'.repeat(bearerTokenCachedLengthMax + 1);
  const first = bearerDigest(long);
  t.same(first, createHash('sha256').update(long).digest());
  t.not(bearerDigest(long), first, 'computed again: not remembered');
});
