import { hotId, walletId } from './systems/system.js';

/** A mixing hash of the operation number, so traffic spreads without Math.random (reproducible). */
export function mix(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export interface Leg {
  readonly debit: string;
  readonly credit: string;
  readonly amountMinor: bigint;
}

const oneYuan = 100n;

/** (a) One platform account receiving from and paying to the wallets, alternately. */
export function hotLeg(n: number, wallets: number): Leg {
  const wallet = walletId(mix(n) % wallets);
  return n % 2 === 0 ? { debit: wallet, credit: hotId, amountMinor: oneYuan } : { debit: hotId, credit: wallet, amountMinor: oneYuan };
}

/** (b) Uniform transfers among the wallets. */
export function uniformLeg(n: number, wallets: number): Leg {
  const a = mix(n) % wallets;
  let b = mix(n + 0x5bd1e995) % wallets;
  if (b === a) b = (a + 1) % wallets;
  return { debit: walletId(a), credit: walletId(b), amountMinor: oneYuan };
}

/** (d) A red-packet burst: the platform pays out to wallets. */
export function payoutLeg(n: number, wallets: number): Leg {
  return { debit: hotId, credit: walletId(mix(n) % wallets), amountMinor: oneYuan };
}
