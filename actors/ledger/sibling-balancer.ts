import { randomUUID } from 'node:crypto';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import type { Bus } from '../runtime/relay.js';

interface Released {
  readonly given: bigint;
  readonly moveId: string | null;
}

/**
 * The balancing protocol of a hot account (余额平衡): a sub-account short of funds for a
 * debit is topped up from its siblings before it answers finally.
 *
 * Round 1 asks every sibling at once for an even share of the need; each gives that share
 * plus a fair part of its surplus (so the short one is ahead of its next debits, see
 * `releaseAmount`). Round 2, only if still short, asks the siblings one by one for the
 * rest. Each gift is journaled by the giver as an internal move and delivered at least once
 * by the relay; it is also delivered here directly so the retry sees it at once (the
 * receiver dedupes by the move id). Moves never change the logical account's balance.
 * One top-up can give at most what the siblings hold, so a debit above the account's
 * total is still refused insufficient_funds on the final try.
 */
export class SiblingBalancer {
  constructor(private readonly bus: Bus) {}

  async topUp(accountId: string, subAccounts: number, part: number, need: bigint): Promise<bigint> {
    const siblings = Array.from({ length: subAccounts }, (_, i) => i).filter((i) => i !== part);
    const share = (need + BigInt(siblings.length) - 1n) / BigInt(siblings.length);
    const firstRound = await Promise.all(siblings.map((from) => this.move(accountId, from, part, share)));
    let received = firstRound.reduce((sum, given) => sum + given, 0n);
    for (const from of siblings) {
      if (received >= need) break;
      received += await this.move(accountId, from, part, need - received);
    }
    return received;
  }

  private async move(accountId: string, from: number, to: number, need: bigint): Promise<bigint> {
    const release: AccountMessage = { type: 'release_to_sibling', data: { releaseId: randomUUID(), toSubIndex: to, need } };
    const reply = await this.bus.ask(accountActorId(accountId, from), release);
    if (!reply.ok) return 0n;
    const { given, moveId } = reply.value as Released;
    if (given === 0n || moveId === null) return 0n;
    const receive: AccountMessage = { type: 'receive_from_sibling', data: { moveId, fromSubIndex: from, amount: given } };
    const landed = await this.bus.ask(accountActorId(accountId, to), receive);
    return landed.ok ? given : 0n;
  }
}
