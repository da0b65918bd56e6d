import { createHash } from 'node:crypto';
import type { TrialBalanceLine } from '../../core/eod/eod.js';
import { prepared, type ReadDatabase } from './read-model.js';
import { transitAccount } from './ledger-projector.js';

export const eodSchema = [
  `create table if not exists eod_balances (date text not null, account text not null, currency text not null, opening integer not null,
    debits integer not null, credits integer not null, closing integer not null, primary key (date, account, currency))`,
  'create index if not exists eod_balances_by_account on eod_balances(account, currency, date)',
];

export interface DayFigures {
  readonly trialBalance: TrialBalanceLine[];
  /** Accounts whose balance moved in the range: opening, debits, credits, closing. */
  readonly changed: { account: string; currency: string; opening: bigint; debits: bigint; credits: bigint; closing: bigint }[];
  readonly inFlight: { currency: string; amount: bigint }[];
  readonly accounts: number;
  readonly digest: string;
}

/**
 * The figures of a close covering business days [from, date], from the legs assigned to them.
 * Opening balances are the last closing before `from` (or, at the first close, every leg
 * before it). Deterministic, so the service's report and the projector's rows agree.
 */
export function dayFigures(db: ReadDatabase, date: string, from: string, previous: { date: string; digest: string } | null): DayFigures {
  // At the first close (no previous one) every account with history is in, even one that
  // did not move in the range: its opening is all it did before.
  const range = prepared(db,
      `select account, currency, sum(case when side = 'debit' and day >= ? then amount else 0 end) as debits,
         sum(case when side = 'credit' and day >= ? then amount else 0 end) as credits
       from legs where day >= ? and day <= ? group by account, currency order by account, currency`,
    )
    .all(from, from, previous === null ? '' : from, date) as { account: string; currency: string; debits: bigint; credits: bigint }[];
  const openingOf =
    previous === null
      ? (account: string, currency: string) =>
          ((prepared(db, `select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as v from legs where account = ? and currency = ? and day < ?`).get(account, currency, from) as { v: bigint }).v)
      : (account: string, currency: string) =>
          ((prepared(db, 'select closing from eod_balances where account = ? and currency = ? and date <= ? order by date desc limit 1').get(account, currency, previous.date) as { closing: bigint } | undefined)?.closing ?? 0n);
  const byCurrency = new Map<string, TrialBalanceLine>();
  const changed = range.map(({ account, currency, debits, credits }) => {
    const line = byCurrency.get(currency) ?? { currency, debits: 0n, credits: 0n };
    byCurrency.set(currency, { currency, debits: line.debits + debits, credits: line.credits + credits });
    const opening = openingOf(account, currency);
    return { account, currency, opening, debits, credits, closing: opening + credits - debits };
  });
  const known = prepared(db, 'select count(*) as n from (select distinct account, currency from eod_balances where date < ?)').get(date) as { n: bigint };
  const added = changed.filter(
    (c) => prepared(db, 'select 1 from eod_balances where account = ? and currency = ? and date < ? limit 1').get(c.account, c.currency, date) === undefined,
  ).length;
  const transit = new Map<string, bigint>();
  for (const c of changed.filter((line) => line.account === transitAccount)) transit.set(c.currency, c.closing);
  const lastTransit = prepared(db, `select currency, closing from eod_balances e where account = ? and date = (select max(date) from eod_balances where account = e.account and currency = e.currency and date < ?)`)
    .all(transitAccount, date) as { currency: string; closing: bigint }[];
  for (const line of lastTransit) if (!transit.has(line.currency)) transit.set(line.currency, line.closing);
  const hash = createHash('sha256').update(previous?.digest ?? '');
  for (const c of changed) hash.update(`${c.account} ${c.currency} ${c.opening} ${c.debits} ${c.credits} ${c.closing}\n`);
  return {
    trialBalance: [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    changed,
    // The transit account is credited when money leaves a journal and debited when it lands:
    // its credit balance is the money in flight.
    inFlight: [...transit].map(([currency, closing]) => ({ currency, amount: closing })).filter((x) => x.amount !== 0n),
    accounts: Number(known.n) + added,
    digest: hash.digest('hex'),
  };
}

export function writeDayBalances(db: ReadDatabase, date: string, figures: DayFigures): void {
  const insert = prepared(db, 'insert or replace into eod_balances values (?, ?, ?, ?, ?, ?, ?)');
  for (const c of figures.changed) insert.run(date, c.account, c.currency, c.opening, c.debits, c.credits, c.closing);
}
