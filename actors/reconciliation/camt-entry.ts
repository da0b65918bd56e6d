import type { CurrencyCode, Direction, EntryStatus, EntryTransaction, StatementEntry } from '../../core/reconciliation/statement.js';
import { referenceAmong } from '../../core/reconciliation/order-reference.js';
import { dateOf, path, text, type Node } from './camt-nodes.js';
import { currencyOf, statementAmount, statementDate, StatementError } from './statement-amount.js';
import { quoted } from './statement-error.js';

/** What an entry takes from its statement. */
export interface EntryContext {
  readonly currency: CurrencyCode;
  readonly id: string;
  readonly account: string;
  /** The day the statement (else the message) was created: the last fallback for a booking date. */
  readonly created: string | null;
}

function directionOf(code: string | null, where: string): Direction {
  if (code === 'CRDT') return 'credit';
  if (code === 'DBIT') return 'debit';
  throw new StatementError('statement_unreadable', `${where}: CdtDbtInd is ${quoted(code)}, not CRDT or DBIT`);
}

/** v02 writes `<Sts>BOOK</Sts>`; v08 nests it: `<Sts><Cd>BOOK</Cd></Sts>`. */
function statusOf(node: unknown): EntryStatus {
  const code = text(node) ?? text(path(node, 'Cd')) ?? text(path(node, 'Prtry'));
  if (code === 'BOOK') return 'booked';
  if (code === 'PDNG') return 'pending';
  return 'info';
}

/** The entry's booking date, else its value date, else the day its statement was created (both are optional in camt.054). */
function bookingDateOf(entry: Node, created: string | null, where: string): Pick<StatementEntry, 'bookingDate' | 'bookingDateFrom'> {
  const booked = dateOf(entry.BookgDt);
  if (booked !== null) return { bookingDate: statementDate(booked, `${where}: booking date`), bookingDateFrom: 'booking_date' };
  const value = dateOf(entry.ValDt);
  if (value !== null) return { bookingDate: statementDate(value, `${where}: value date`), bookingDateFrom: 'value_date' };
  if (created !== null) return { bookingDate: statementDate(created, `${where}: creation date of its statement`), bookingDateFrom: 'statement_created' };
  throw new StatementError('statement_unreadable', `${where}: no booking date, value date or creation date`);
}

const provided = (value: string | null) => (value === null || value === 'NOTPROVIDED' ? null : value);

/** One TxDtls: its references, remittance text and amount (null when in another currency: an instructed amount). */
function transactionOf(transaction: Node, currency: CurrencyCode, where: string): EntryTransaction {
  const amount = path(transaction, 'Amt') ?? path(transaction, 'AmtDtls', 'TxAmt', 'Amt');
  const amountCurrency = currencyOf(path(amount, '@_Ccy') ?? currency, where);
  const remittance = ((path(transaction, 'RmtInf', 'Ustrd') as unknown[] | undefined) ?? []).map(text).filter((line): line is string => line !== null);
  const endToEnd = provided(text(path(transaction, 'Refs', 'EndToEndId')));
  const instruction = provided(text(path(transaction, 'Refs', 'InstrId')));
  const remittanceText = remittance.length === 0 ? null : remittance.join(' ');
  return {
    // Banks put the initiator's reference in the end-to-end id, the instruction id or the remittance text.
    reference: referenceAmong([endToEnd, instruction], [remittanceText]),
    instruction,
    remittance: remittanceText,
    amountMinor: text(amount) === null || amountCurrency !== currency ? null : statementAmount(text(amount), currency, where),
  };
}

/** One Ntry of a camt.053 statement or camt.054 notification. */
export function readCamtEntry(entry: Node, index: number, at: EntryContext): StatementEntry {
  const where = `statement ${at.id} entry ${index + 1}`;
  // An entry in another currency than its statement is read in its own: reconciliation reports it.
  const currency = currencyOf(path(entry, 'Amt', '@_Ccy') ?? at.currency, where);
  const details = ((entry.NtryDtls as Node[] | undefined) ?? []).flatMap((d) => (d.TxDtls as Node[] | undefined) ?? []);
  const transactions = details.map((transaction) => transactionOf(transaction, currency, `${where} transaction`));
  const remittance = transactions.map((transaction) => transaction.remittance).filter((line) => line !== null);
  return {
    index,
    // NtryRef is the bank's own entry reference, not ours: ours is the end-to-end id.
    reference: transactions.length === 1 ? (transactions[0]?.reference ?? null) : null,
    // An instruction id that carried the order number itself names no item of a batch.
    instruction: transactions.length === 1 && transactions[0]?.instruction !== transactions[0]?.reference ? (transactions[0]?.instruction ?? null) : null,
    account: at.account,
    bankReference: text(entry.AcctSvcrRef) ?? text(entry.NtryRef),
    amountMinor: statementAmount(text(path(entry, 'Amt')), currency, where),
    currency,
    direction: directionOf(text(entry.CdtDbtInd), where),
    reversal: text(entry.RvslInd) === 'true' || text(entry.RvslInd) === '1',
    status: statusOf(entry.Sts),
    ...bookingDateOf(entry, at.created, where),
    valueDate: dateOf(entry.ValDt) === null ? null : statementDate(dateOf(entry.ValDt), `${where}: value date`),
    description: text(entry.AddtlNtryInf) ?? (remittance.join(' / ') || null),
    transactions,
  };
}
