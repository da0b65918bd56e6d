import type { Test } from 'tap';
import { partitionOfAccount } from '../../cluster/partitions.js';
import { getJson, postJson, waitFor } from './cluster-process.js';

export type OutcomeState = 'acked' | 'refused' | 'unknown';

export interface Outcome {
  readonly id: string;
  readonly debit: string;
  readonly credit: string;
  state: OutcomeState;
  /** Statuses and codes seen, in order (for the report of a failure). */
  readonly seen: string[];
}

/** `count` account ids whose partitions satisfy `where` (e.g. "on node A's half"). */
export function accountIdsWhere(prefix: string, count: number, partitionCount: number, where: (partition: number) => boolean): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) if (where(partitionOfAccount(`${prefix}${i}`, partitionCount))) ids.push(`${prefix}${i}`);
  return ids;
}

export async function openAccounts(gatewayUrl: string, banks: readonly string[], wallets: readonly string[]): Promise<void> {
  for (const id of banks) {
    const reply = await postJson(`${gatewayUrl}/v1/accounts`, { id, kind: 'bank_settlement', overdraft: true });
    if (reply.status !== 201) throw new Error(`open ${id}: ${JSON.stringify(reply)}`);
  }
  for (const id of wallets) {
    const reply = await postJson(`${gatewayUrl}/v1/accounts`, { id, kind: 'investor_wallet' });
    if (reply.status !== 201) throw new Error(`open ${id}: ${JSON.stringify(reply)}`);
  }
}

async function send(gatewayUrl: string, outcome: Outcome): Promise<void> {
  try {
    const reply = await postJson(`${gatewayUrl}/v1/transfers`, { id: outcome.id, debit: outcome.debit, credit: outcome.credit, amount: '1.00' });
    outcome.seen.push(`${reply.status} ${reply.body?.error?.code ?? ''}`.trim());
    if (reply.status === 201 || reply.status === 200) outcome.state = 'acked';
    else if (reply.status === 503) outcome.state = outcome.state === 'acked' ? 'acked' : 'unknown';
    else outcome.state = 'refused';
  } catch (error) {
    outcome.seen.push(`error ${(error as Error).message}`);
    if (outcome.state !== 'acked') outcome.state = 'unknown';
  }
}

const unknownBackoffMs = 50;

/**
 * Closed-loop load through the gateway: `clients` concurrent clients, each sending unique
 * transfers of 1.00 from a bank to a wallet until `stop()` says so or `perClientMax` is
 * reached. A 503 or a broken connection leaves the outcome unknown, to be retried.
 */
export function startLoad(gatewayUrl: string, banks: readonly string[], wallets: readonly string[], clients: number, perClientMax: number) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let sent = 0;
  const running = Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; n < perClientMax && !stopped; n++) {
        const outcome: Outcome = {
          id: `c${client}-${n}`,
          debit: banks[n % banks.length] as string,
          credit: wallets[(client + n) % wallets.length] as string,
          state: 'unknown',
          seen: [],
        };
        outcomes.push(outcome);
        await send(gatewayUrl, outcome);
        sent++;
        // A client backs off after an unknown answer (a 503 comes back at once while a
        // partition has no owner): without it the whole budget went in the first seconds of
        // an outage, and nothing was left to show that traffic flows again.
        if (outcome.state === 'unknown') await new Promise((resolve) => setTimeout(resolve, unknownBackoffMs));
      }
    }),
  );
  return {
    outcomes,
    sent: () => sent,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

/** Retries every unknown outcome with its id until it has an answer. */
export async function resolveUnknowns(gatewayUrl: string, outcomes: readonly Outcome[], timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'every unknown outcome answered on retry',
    async () => {
      const unknown = outcomes.filter((o) => o.state === 'unknown');
      await Promise.all(unknown.map((o) => send(gatewayUrl, o)));
      return outcomes.every((o) => o.state !== 'unknown');
    },
    timeoutMs,
    100,
  );
}

/**
 * Nothing acknowledged lost, nothing applied twice: every transfer is there once, its
 * credit landed, and each account's total is exactly what the transfers make it.
 */
export async function verifyBooks(t: Test, gatewayUrl: string, outcomes: readonly Outcome[], banks: readonly string[], wallets: readonly string[]): Promise<void> {
  const refused = outcomes.filter((o) => o.state === 'refused');
  t.same(refused.map((o) => [o.id, o.seen]), [], 'no transfer refused (the banks may overdraw)');
  const acked = outcomes.filter((o) => o.state === 'acked');
  await waitFor(
    'every credit landed',
    async () => {
      for (const o of acked) {
        const got = await getJson(`${gatewayUrl}/v1/transfers/${o.id}`);
        if (got.status !== 200 || got.body.creditInFlight !== false) return false;
      }
      return true;
    },
    30_000,
    200,
  );
  const expected = new Map<string, bigint>();
  for (const o of acked) {
    expected.set(o.credit, (expected.get(o.credit) ?? 0n) + 100n);
    expected.set(o.debit, (expected.get(o.debit) ?? 0n) - 100n);
  }
  let sum = 0n;
  for (const id of [...banks, ...wallets]) {
    const account = await getJson(`${gatewayUrl}/v1/accounts/${id}`);
    // CNY totals always carry two decimals: "-12.00" → -1200n.
    const totalMinor = BigInt(String(account.body.total).replace('.', ''));
    sum += totalMinor;
    t.equal(totalMinor, expected.get(id) ?? 0n, `${id}: its total is what its acknowledged transfers make it, each once`);
  }
  t.equal(sum, 0n, 'the books sum to zero');
}
