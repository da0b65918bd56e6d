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
