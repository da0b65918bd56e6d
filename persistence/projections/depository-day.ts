import { addDays, type BusinessDate } from '../../core/calendar/business-date.js';
import { formatAmount } from '../../core/money/amount.js';
import { isCurrency, type Currency } from '../../core/money/currency.js';
import { readEverywhere } from '../archive/archived-reads.js';
import { archivedNetBefore } from '../archive/archived-sums.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** One currency's line of a day's `depository` section. */
export interface DepositoryDayLine {
  readonly currency: string;
  /** The ledger's mirror of the bank in this currency (`sys.bank`, `sys.bank.<CCY>`). */
  readonly settlementAccount: string;
  /** What the ledger says the bank holds in this currency at the end of the day: a decimal string. */
  readonly heldAtBank: string;
}

/**
 * Per currency, what the bank holds by the ledger at the end of a day: each settlement
 * account's legs dated through the day (hot and archived), negated — the mirror goes below
 * zero as money comes in at the bank. Each currency is its own line: nothing nets across
 * currencies. Fixed by the day's markers, like every figure of a close, so a close made
 * again reports the same; it is what the bank's closing balances, per currency, add up to.
 */
export function depositoryAtDay(db: ReadDatabase, date: BusinessDate): DepositoryDayLine[] {
  return readEverywhere(db, () => {
    const accounts = prepared(db, "select distinct account_id as account, currency from account_parts where kind = 'bank_settlement' order by currency, account_id").all() as { account: string; currency: string }[];
    const next = addDays(date, 1);
    const booked = accounts.filter((row): row is { account: string; currency: Currency } => isCurrency(row.currency));
    return booked.map(({ account, currency }) => {
      const hot = prepared(db, "select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as v from legs where account = ? and currency = ? and day <= ?").get(account, currency, date) as { v: bigint };
      const net = hot.v + archivedNetBefore(db, 'legs', account, next, currency);
      return { currency, settlementAccount: account, heldAtBank: formatAmount(-net, currency) };
    });
  });
}
