import type { AccountDirectoryEntry, AccountSettings } from '../../core/ledger/account.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import type { Journal } from '../../persistence/journal.js';
import type { Bus } from '../runtime/relay.js';
import { accountOwnerActorId, claimId, transferOwnerActorId } from './id-owners.js';

/** Set once a journal's accounts and transfers written before the id owners existed are bound at their owners. */
const backfilledMetaKey = 'id-owners.backfilled';

/** Claims in flight at once while backfilling. */
export const idOwnerBackfillInFlightMax = 64;

/**
 * Journals written before ids had owners hold accounts and transfers no owner knows: at the
 * first start on such a journal, every account (from the directory its accounts wrote) is
 * bound to its settings and every recorded transfer (a recorded refusal too: it holds its
 * id) to its debit account — idempotent, a known binding changes nothing — then the journal
 * is marked. Returns how many ids were bound.
 */
export async function backfillIdOwners(journal: Journal, bus: Bus): Promise<number> {
  if (journal.getMeta(backfilledMetaKey) === true) return 0;
  let bound = 0;
  let inFlight: Promise<void>[] = [];
  const claim = async (to: string, id: string, value: unknown): Promise<void> => {
    inFlight.push(ask(bus, to, id, value));
    bound++;
    if (inFlight.length < idOwnerBackfillInFlightMax) return;
    await Promise.all(inFlight);
    inFlight = [];
  };
  for (const { key, value } of journal.scanIndex('directory')) await claim(accountOwnerActorId(key), key, settingsOf(value as AccountDirectoryEntry));
  for (const { key, value } of journal.scanIndex('transfers')) await claim(transferOwnerActorId(key), key, (value as TransferRecord).debit);
  await Promise.all(inFlight);
  journal.putMeta(backfilledMetaKey, true);
  return bound;
}

function settingsOf({ id, kind, currency, overdraft, subAccounts, bufferCredits }: AccountDirectoryEntry): AccountSettings {
  return { id, kind, currency, overdraft, subAccounts, bufferCredits };
}

async function ask(bus: Bus, to: string, id: string, value: unknown): Promise<void> {
  const reply = await bus.ask(to, claimId(id, value));
  if (!reply.ok) throw new Error(`cannot start: ${id} cannot be bound at its owner ${to}: ${reply.code}: ${reply.detail}`);
}
