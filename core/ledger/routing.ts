/**
 * Which sub-account of a hot account a transfer goes to: a hash of the transfer id, so a
 * retry reaches the same sub-account (and is deduped there). FNV-1a, 32 bits: stable
 * across processes and versions, which the routing must be.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The sub-account index for `transferId` in an account of `subAccounts` parts, or null for a plain account. */
export function partFor(transferId: string, subAccounts: number): number | null {
  return subAccounts > 1 ? fnv1a32(transferId) % subAccounts : null;
}

export const subAccountsMax = 64;
