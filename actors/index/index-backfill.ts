import type { Claim } from '../../core/lending/claim.js';
import type { Journal } from '../../persistence/journal.js';
import type { Bus } from '../runtime/relay.js';
import type { DepositoryOrderEntry } from './index-feeds.js';
import { indexPut } from './messages.js';

/** Set once a journal's older index entries have been handed to the index groups. */
const backfilledMetaKey = 'index-groups.backfilled';

/**
 * Journals written before the index groups kept the look-ups in node-local indexes (`claims`,
 * `depository`): at the first start on such a journal, their entries are put to the groups
 * (idempotent: a put of a known entry changes nothing), then the journal is marked. Returns
 * how many entries were put.
 */
export async function backfillIndexGroups(journal: Journal, bus: Bus): Promise<number> {
  if (journal.getMeta(backfilledMetaKey) === true) return 0;
  let put = 0;
  for (const { value } of journal.scanIndex('claims')) {
    const claim = value as Claim;
    await ask(bus, indexPut('claims', claim.investmentId, { key: claim.loanId, value: claim.loanId, rank: 0 }));
    put++;
  }
  for (const { key, value } of journal.scanIndex('depository')) {
    const entry = value as DepositoryOrderEntry;
    const account = key.slice(0, key.lastIndexOf('/'));
    const completed = entry.status === 'succeeded' || entry.status === 'failed';
    await ask(bus, indexPut('depository', account, { key: entry.orderNo, value: { orderNo: entry.orderNo, status: entry.status }, rank: completed ? 1 : 0 }));
    put++;
  }
  journal.putMeta(backfilledMetaKey, true);
  return put;
}

async function ask(bus: Bus, delivery: { to: string; message: unknown }): Promise<void> {
  const reply = await bus.ask(delivery.to, delivery.message);
  if (!reply.ok) throw new Error(`cannot start: index backfill of ${delivery.to} refused: ${reply.code}: ${reply.detail}`);
}
