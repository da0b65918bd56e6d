import { initialAccountState, type AccountState } from '../../core/ledger/account.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import { evolve } from '../../core/ledger/evolve.js';
import { movedAmountOf, type TransferRecord } from '../../core/ledger/transfer.js';
import { bringBack } from '../archive/archived-reads.js';
import { postingDay } from './business-day.js';
import type { Projector, ProjectedEntry } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** Money between the two journals of a transfer (the seeds' transit account): every day's legs balance through it. */
export const transitAccount = '~transit';

export const ledgerSchema = [
  `create table if not exists account_parts (
    actor_id text primary key, account_id text not null, kind text not null, currency text not null,
    overdraft integer not null, sub_accounts integer not null, buffer_credits integer not null,
    opened_at integer not null, closed_at integer,
    debits_posted integer not null, credits_posted integer not null, debits_pending integer not null,
    sibling_net integer not null, holds integer not null)`,
  'create index if not exists account_parts_by_account on account_parts(account_id)',
  `create view if not exists accounts as select account_id as id, min(kind) as kind, min(currency) as currency,
    max(overdraft) as overdraft, max(sub_accounts) as sub_accounts, max(buffer_credits) as buffer_credits,
    min(opened_at) as opened_at, max(closed_at) as closed_at, sum(debits_posted) as debits_posted,
    sum(credits_posted) as credits_posted, sum(debits_pending) as debits_pending, sum(sibling_net) as sibling_net,
    sum(holds) as holds from account_parts group by account_id`,
  `create table if not exists transfers (
    id text primary key, debit text, credit text, amount integer, currency text, status text, pending integer,
    posted_amount integer, memo text, reverses text, reversed_by text, return_code text, rejection_code text,
    created_at integer, updated_at integer, credited_at integer, business_date text, debit_part integer, credit_part integer)`,
  'create index if not exists transfers_by_debit on transfers(debit, created_at, id)',
  'create index if not exists transfers_by_credit on transfers(credit, created_at, id)',
  'create index if not exists transfers_by_status on transfers(status, created_at, id)',
  `create table if not exists legs (
    position integer not null, idx integer not null, account text not null, transfer_id text not null,
    side text not null, amount integer not null, currency text not null, at integer not null,
    business_date text, day text not null, primary key (position, idx))`,
  'create index if not exists legs_by_account on legs(account, position, idx)',
  'create index if not exists legs_by_day on legs(day, account)',
];

/** The ledger's read models: accounts (per part and summed), transfers, and the cashflow as balanced legs. */
export const ledgerProjector: Projector = {
  actorType: 'acct',
  schema: ledgerSchema,
  initialState: () => initialAccountState,
  evolve: (state, event) => evolve(state as AccountState, event as AccountEvent),
  project(db, entry) {
    let idx = 0;
    // Every leg of an entry stamped with its business date falls on the same day.
    let stampedDay: string | null = null;
    const dayOf = (at: number) =>
      entry.businessDate === null ? postingDay(db, entry.partition, entry.position, null, at) : (stampedDay ??= postingDay(db, entry.partition, entry.position, entry.businessDate, at));
    const leg = (account: string, side: 'debit' | 'credit', transferId: string, amount: bigint, currency: string, at: number) => {
      prepared(db, 'insert into legs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        BigInt(entry.position),
        BigInt(idx++),
        account,
        transferId,
        side,
        amount,
        currency,
        BigInt(at),
        entry.businessDate,
        dayOf(at),
      );
    };
    for (const raw of entry.events) {
      const event = raw as AccountEvent;
      switch (event.type) {
        case 'transfer_debited':
        case 'pending_posted': {
          const { transfer } = event.data;
          upsertTransfer(db, transfer, entry.businessDate);
          if (transfer.reverses !== null) markReversed(db, transfer.reverses, transfer.id);
          leg(transfer.debit, 'debit', transfer.id, movedAmountOf(transfer), transfer.currency, transfer.updatedAt);
          leg(transitAccount, 'credit', transfer.id, movedAmountOf(transfer), transfer.currency, transfer.updatedAt);
          break;
        }
        case 'credit_returned': {
          const { transfer } = event.data;
          upsertTransfer(db, transfer, entry.businessDate);
          leg(transitAccount, 'debit', transfer.id, movedAmountOf(transfer), transfer.currency, transfer.updatedAt);
          leg(transfer.debit, 'credit', transfer.id, movedAmountOf(transfer), transfer.currency, transfer.updatedAt);
          break;
        }
        case 'transfer_held':
        case 'pending_voided':
        case 'transfer_rejected':
          upsertTransfer(db, event.data.transfer, entry.businessDate);
          break;
        case 'transfer_credited':
        case 'credits_posted':
          for (const credit of event.type === 'transfer_credited' ? [event.data.credit] : event.data.credits) {
            prepared(db, 'insert into transfers (id, credited_at) values (?, ?) on conflict(id) do update set credited_at = excluded.credited_at').run(credit.transferId, BigInt(credit.creditedAt));
            leg(transitAccount, 'debit', credit.transferId, credit.amount, credit.currency, credit.creditedAt);
            leg(credit.account, 'credit', credit.transferId, credit.amount, credit.currency, credit.creditedAt);
          }
          break;
        default:
          // Opening, closing, sibling moves (inside one account) post no legs.
          break;
      }
    }
    upsertPart(db, entry);
  },
};

/** The original of a reversal says which transfer reversed it; an original already archived is brought back to say so. */
function markReversed(db: ReadDatabase, originalId: string, reversalId: string): void {
  const update = prepared(db, 'update transfers set reversed_by = ? where id = ?');
  if (update.run(reversalId, originalId).changes === 0 && bringBack(db, 'transfers', [originalId])) update.run(reversalId, originalId);
}

function upsertTransfer(db: ReadDatabase, t: TransferRecord, businessDate: string | null): void {
  prepared(db,
    `insert into transfers (id, debit, credit, amount, currency, status, pending, posted_amount, memo, reverses, return_code, rejection_code,
       created_at, updated_at, business_date, debit_part, credit_part)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict(id) do update set debit = excluded.debit, credit = excluded.credit, amount = excluded.amount, currency = excluded.currency,
       status = excluded.status, pending = excluded.pending, posted_amount = excluded.posted_amount, memo = excluded.memo,
       reverses = excluded.reverses, return_code = excluded.return_code, rejection_code = excluded.rejection_code,
       created_at = excluded.created_at, updated_at = excluded.updated_at,
       business_date = coalesce(transfers.business_date, excluded.business_date), debit_part = excluded.debit_part, credit_part = excluded.credit_part`,
  ).run(
    t.id,
    t.debit,
    t.credit,
    t.amount,
    t.currency,
    t.status,
    t.pending ? 1n : 0n,
    t.postedAmount,
    t.memo,
    t.reverses,
    t.returnCode,
    t.rejection?.code ?? null,
    BigInt(t.createdAt),
    BigInt(t.updatedAt),
    businessDate,
    t.debitPart === null ? null : BigInt(t.debitPart),
    t.creditPart === null ? null : BigInt(t.creditPart),
  );
}

function upsertPart(db: ReadDatabase, entry: ProjectedEntry): void {
  const state = entry.after as AccountState;
  if (state.info === null) return;
  const { info } = state;
  prepared(db,
    `insert into account_parts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict(actor_id) do update set closed_at = excluded.closed_at, debits_posted = excluded.debits_posted,
       credits_posted = excluded.credits_posted, debits_pending = excluded.debits_pending, sibling_net = excluded.sibling_net, holds = excluded.holds`,
  ).run(
    entry.actorId,
    info.id,
    info.kind,
    info.currency,
    info.overdraft ? 1n : 0n,
    BigInt(info.subAccounts),
    info.bufferCredits ? 1n : 0n,
    BigInt(info.openedAt),
    state.closedAt === null ? null : BigInt(state.closedAt),
    state.debitsPosted,
    state.creditsPosted,
    state.debitsPending,
    state.siblingNet,
    BigInt(state.holds.size),
  );
}
