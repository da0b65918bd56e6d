import { createHash } from 'node:crypto';

/** Bearer tokens whose digest is remembered: the few keys clients use, with room for strays. */
export const bearerDigestsCachedMax = 1_024;
/** Longer tokens are hashed every time, never kept: no key is this long, and strays must not fill memory. */
export const bearerTokenCachedLengthMax = 256;

const cached = new Map<string, Buffer>();

/**
 * The SHA-256 of a bearer token, as authentication compares it (in constant time, against
 * the configured keys' digests) and rate limiting counts by it (never the token itself).
 * Remembered per token: hashing it twice on every request was 2 % of the gateway's time. The
 * cache is bounded; when full, the oldest token is forgotten. A hit is faster than a miss,
 * which tells only whether that token was presented lately, nothing of any key's content.
 */
export function bearerDigest(token: string): Buffer {
  const known = cached.get(token);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(token).digest();
  if (token.length > bearerTokenCachedLengthMax) return digest;
  if (cached.size >= bearerDigestsCachedMax) cached.delete(cached.keys().next().value as string);
  cached.set(token, digest);
  return digest;
}
