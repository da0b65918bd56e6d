/** The accounts a workload needs: wallets `w0..`, and optionally one hot platform account. */
export interface AccountPlan {
  readonly wallets: number;
  readonly walletFundingMinor: bigint;
  /** The hot account (`platform`) and its sub-accounts; absent for uniform traffic. */
  readonly hot?: { readonly subAccounts: number; readonly fundingMinor: bigint };
}

/** A system under test: it books transfers durably, one call per transfer. */
export interface TransferSystem {
  readonly name: string;
  setup(plan: AccountPlan): Promise<void>;
  /** Resolves when the transfer is durable (acknowledged); rejects when refused. */
  transfer(n: number, debit: string, credit: string, amountMinor: bigint): Promise<void>;
  /** Many transfers at once, where the system has a batch form. */
  transferBatch?(transfers: readonly { n: number; debit: string; credit: string; amountMinor: bigint }[]): Promise<void>;
  /** Waits until everything acknowledged has fully settled (for ours: the credits landed). */
  settle(): Promise<void>;
  /** Memory of the process that holds the data, in MiB. */
  rssMiB(): number;
  teardown(): Promise<void>;
}

/**
 * How a workload names its transfers: `sequential` (`t<n>`: a commit's transfers are neighbours
 * in every index keyed by id) or `random` (UUID-shaped, as clients send them: each transfer's
 * entries land on a page of their own in such an index, and LMDB writes every page a commit
 * touched).
 */
export type TransferIds = 'sequential' | 'random';

const mask64 = (1n << 64n) - 1n;

/** splitmix64's finalizer: a bijection on 64-bit integers, so distinct inputs never collide. */
function mix64(value: bigint): bigint {
  let z = (value + 0x9e3779b97f4a7c15n) & mask64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask64;
  return z ^ (z >> 31n);
}

/** Transfer `n`'s id: the same in every system and every run; unique for every n (the first 64 bits are a bijection of n). */
export function transferIdOf(n: number, ids: TransferIds): string {
  if (ids === 'sequential') return `t${n}`;
  const hex = mix64(BigInt(n)).toString(16).padStart(16, '0') + mix64(BigInt(n) ^ mask64).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const walletId = (i: number) => `w${i}`;
export const hotId = 'platform';

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
