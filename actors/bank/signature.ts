import { createHmac, timingSafeEqual } from 'node:crypto';

/** hex HMAC-SHA256 of `<timestamp>.<payload>`. */
export function signPayload(secret: string, timestamp: string, payload: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
}

/** What a request to the bank signs: its method, path and body. */
export function requestPayload(method: string, path: string, body: string): string {
  return `${method} ${path}\n${body}`;
}

export type SignatureCheck = 'valid' | 'signature_invalid' | 'timestamp_stale';

/**
 * Checks, in this order: both headers present and the signature right (constant-time),
 * then the timestamp within `toleranceMs` of now either way (a replayed old message fails).
 */
export function checkSignature(
  secret: string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  payload: string,
  nowMs: number,
  toleranceMs: number,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined || !/^\d{1,15}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) return 'signature_invalid';
  const expected = Buffer.from(signPayload(secret, timestamp, payload), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'signature_invalid';
  return Math.abs(nowMs - Number(timestamp)) > toleranceMs ? 'timestamp_stale' : 'valid';
}
