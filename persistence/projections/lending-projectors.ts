import { evolveBankOrder } from '../../core/bank/evolve-bank-order.js';
import { initialBankOrderState, orderCurrency, type BankOrderState } from '../../core/bank/bank-order.js';
import type { BankOrderEvent } from '../../core/bank/events.js';
import type { Claim } from '../../core/lending/claim.js';
import { evolveInvestment } from '../../core/lending/investment/evolve-investment.js';
import { initialInvestmentState, type InvestmentState } from '../../core/lending/investment/investment.js';
import { evolveLoan } from '../../core/lending/loan/evolve-loan.js';
import { initialLoanState, type LoanState } from '../../core/lending/loan/loan.js';
import { postingDay } from './business-day.js';
import { loanPeriodsSchema, writeLoanPeriods } from './loan-periods.js';
import type { Projector } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

const bool = (b: boolean) => (b ? 1n : 0n);
const int = (n: number | null) => (n === null ? null : BigInt(n));

export const investmentProjector: Projector = {
  actorType: 'inv',
  schema: [
    `create table if not exists investments (id text primary key, investor text not null, amount integer not null, term_days integer not null,
      placed_on text not null, maturity_date text not null, status text not null, capital_id text, shard integer, failure_code text)`,
    'create index if not exists investments_by_investor on investments(investor, placed_on, id)',
  ],
  initialState: () => initialInvestmentState,
  evolve: (state, event) => evolveInvestment(state as InvestmentState, event as never),
  project(db, entry) {
    const state = entry.after as InvestmentState;
    const investment = state.investment;
    if (investment === null) return;
    prepared(db,
      `insert into investments values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict(id) do update set status = excluded.status,
        capital_id = excluded.capital_id, shard = excluded.shard, failure_code = excluded.failure_code`,
    ).run(investment.id, investment.investor, investment.amount, BigInt(investment.termDays), investment.placedOn, investment.maturityDate, state.status, state.capitalId, int(state.shard), state.failure?.code ?? null);
  },
};

/** Claims and loans that end (finished, failed, settled) change no more: the day they ended is when they may be archived. */
const endedClaimStatuses: ReadonlySet<string> = new Set(['finished', 'failed']);
const endedLoanStatuses: ReadonlySet<string> = new Set(['settled', 'failed']);

function upsertClaim(db: ReadDatabase, claim: Claim, endedDay: () => string): void {
  prepared(db,
    `insert into claims values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict(order_no) do update set amount = excluded.amount, principal_outstanding = excluded.principal_outstanding, days = excluded.days, status = excluded.status,
       finish_reason = excluded.finish_reason, loan_repay_date = excluded.loan_repay_date, transferred = excluded.transferred,
       ended_day = coalesce(claims.ended_day, excluded.ended_day)`,
  ).run(
    claim.orderNo,
    claim.loanId,
    claim.investmentId,
    claim.capitalId,
    claim.investor,
    claim.borrower,
    claim.amount,
    claim.principalOutstanding,
    int(claim.days),
    claim.property,
    claim.source,
    claim.status,
    claim.finishReason,
    claim.investRepayDate,
    claim.loanRepayDate,
    claim.lastOrderNo,
    bool(claim.transferred),
    claim.createdOn,
    endedClaimStatuses.has(claim.status) ? endedDay() : null,
  );
}

/**
 * The claims this entry changed (a claim that did not change is the same object). A claim
 * whose status stays is updated without touching the status index (a payment changes 20
 * claims' outstanding principal, nothing else indexed).
 */
function writeChangedClaims(db: ReadDatabase, before: readonly Claim[], after: readonly Claim[], endedDay: () => string): void {
  const known = new Set(before);
  let statusBefore: Map<string, string> | null = null;
  for (const claim of after) {
    if (known.has(claim)) continue;
    statusBefore ??= new Map(before.map((c) => [c.orderNo, c.status]));
    if (statusBefore.get(claim.orderNo) === claim.status) updateClaimKeepingStatus(db, claim);
    else upsertClaim(db, claim, endedDay);
  }
}

/** The columns upsertClaim updates, but for the status (and the day it ended, which only a status change sets). */
function updateClaimKeepingStatus(db: ReadDatabase, claim: Claim): void {
  prepared(db, 'update claims set amount = ?, principal_outstanding = ?, days = ?, finish_reason = ?, loan_repay_date = ?, transferred = ? where order_no = ?').run(
    claim.amount,
    claim.principalOutstanding,
    int(claim.days),
    claim.finishReason,
    claim.loanRepayDate,
    bool(claim.transferred),
    claim.orderNo,
  );
}

/** Principal the borrower still owes: the book's, or the whole amount once paid out and before the first payment; null before that. */
function principalOutstandingOf(state: LoanState): bigint | null {
  if (state.book !== null) return state.book.principalOutstanding;
  return state.status === 'repaying' || state.status === 'settled' ? (state.loan?.amount ?? null) : null;
}

export const loanProjector: Projector = {
  actorType: 'loan',
  schema: [
    `create table if not exists loans (id text primary key, borrower text not null, amount integer not null, annual_rate text not null,
      term text not null, method text not null, status text not null, published_on text not null, reserved integer not null,
      start_date text, maturity_date text, principal_outstanding integer, product text not null, day_count text not null, rounding text not null,
      penalty_daily_rate text not null, penalty_counts_due_day integer not null, partition integer not null, ended_day text)`,
    ...loanPeriodsSchema,
    // A day's cut reads the loans of its own partition (lending-day.ts).
    'create index if not exists loans_by_partition on loans(partition, id)',
    'create index if not exists loans_by_borrower on loans(borrower, published_on, id)',
    `create table if not exists claims (order_no text primary key, loan_id text not null, investment_id text not null, capital_id text not null,
      investor text not null, borrower text not null, amount integer not null, principal_outstanding integer not null, days integer, property text not null, source text not null,
      status text not null, finish_reason text, invest_repay_date text not null, loan_repay_date text, last_order_no text,
      transferred integer not null, created_on text not null, ended_day text)`,
    'create index if not exists claims_by_investor on claims(investor, order_no)',
    'create index if not exists claims_by_loan on claims(loan_id, order_no)',
    'create index if not exists claims_by_investment on claims(investment_id, order_no)',
    'create index if not exists claims_by_status on claims(status, order_no)',
    // A lineage walks from a claim to the claims that replaced it.
    'create index if not exists claims_by_last_order_no on claims(last_order_no)',
  ],
  initialState: () => initialLoanState,
  evolve: (state, event) => evolveLoan(state as LoanState, event as never),
  project(db, entry) {
    const before = entry.before as LoanState;
    const after = entry.after as LoanState;
    const loan = after.loan;
    if (loan === null) return;
    // The business day of this entry, by its partition's cut (computed once, only when something ended).
    let day: string | null = null;
    const endedDay = () => (day ??= postingDay(db, entry.partition, entry.position, entry.businessDate, entry.at ?? 0));
    prepared(db,
      `insert into loans values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict(id) do update set status = excluded.status,
        reserved = excluded.reserved, start_date = excluded.start_date, maturity_date = excluded.maturity_date, principal_outstanding = excluded.principal_outstanding,
        ended_day = coalesce(loans.ended_day, excluded.ended_day)`,
    ).run(loan.id, loan.borrower, loan.amount, loan.annualRate, `${loan.term.count} ${loan.term.unit}`, loan.method, after.status, loan.publishedOn, after.reserved, after.approval?.startDate ?? null, after.approval?.maturityDate ?? null, principalOutstandingOf(after), loan.product.name, loan.product.dayCount, loan.product.rounding, loan.product.penaltyDailyRate, loan.product.penaltyCountsDueDay ? 1n : 0n, BigInt(entry.partition), endedLoanStatuses.has(after.status) ? endedDay() : null);
    if (after.claims !== before.claims) writeChangedClaims(db, before.claims, after.claims, endedDay);
    // The day a settlement is booked on: the entry's business date by its partition's cut (an entry carries one in a node; else the payment's own date).
    writeLoanPeriods(db, before, after, (settledOn) => postingDay(db, entry.partition, entry.position, entry.businessDate ?? settledOn, 0));
  },
};

export const bankOrderProjector: Projector = {
  actorType: 'bank',
  schema: [
    `create table if not exists bank_orders (order_no text primary key, kind text not null, account text, amount integer not null,
      items integer not null, status text not null, business_date text not null, created_at integer not null, outcome text, result_code text,
      bank_txn_id text, completed_at text, via text, posting_refusal text, conflict integer not null, transfer_id text, currency text not null default 'CNY',
      to_account text, to_amount integer, to_currency text)`,
    `create table if not exists bank_order_items (order_no text not null, ref text not null, from_account text not null, to_account text not null,
      amount integer not null, primary key (order_no, ref))`,
    'create index if not exists bank_orders_by_status on bank_orders(status, business_date, order_no)',
    'create index if not exists bank_orders_by_date on bank_orders(business_date, order_no)',
  ],
  initialState: () => initialBankOrderState,
  evolve: (state, event) => evolveBankOrder(state as BankOrderState, event as BankOrderEvent),
  project(db, entry) {
    const order = (entry.after as BankOrderState).order;
    if (order === null) return;
    const payload = order.payload;
    const single = 'amount' in payload;
    const amount = single ? payload.amount : 'items' in payload ? payload.items.reduce((sum, item) => sum + item.amount, 0n) : 0n;
    prepared(db,
      `insert into bank_orders values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict(order_no) do update set status = excluded.status,
        outcome = excluded.outcome, result_code = excluded.result_code, bank_txn_id = excluded.bank_txn_id, completed_at = excluded.completed_at,
        via = excluded.via, posting_refusal = excluded.posting_refusal, conflict = excluded.conflict`,
    ).run(
      order.orderNo,
      payload.kind,
      'account' in payload ? payload.account : null,
      amount,
      BigInt('items' in payload ? payload.items.length : 1),
      order.status,
      order.businessDate,
      BigInt(order.createdAt),
      order.result?.outcome ?? null,
      order.result?.code ?? null,
      order.result?.bankTxnId ?? null,
      order.result?.completedAt ?? null,
      order.result?.via ?? null,
      order.postingRefusal?.code ?? null,
      bool(order.conflict !== null),
      'transferId' in payload ? payload.transferId : null,
      orderCurrency(payload),
      // A conversion's other side: the account the bank pays, what, in which currency.
      ...(payload.kind === 'conversion' ? [payload.toAccount, payload.toAmount, payload.toCurrency] : [null, null, null]),
    );
    if ((entry.before as BankOrderState).order === null) {
      const insert = prepared(db, 'insert or ignore into bank_order_items values (?, ?, ?, ?, ?)');
      if ('items' in payload) for (const item of payload.items) insert.run(order.orderNo, item.ref, item.from, item.to, item.amount);
      // A withdrawal's fee is an instruction of its own at the bank: from the account to the platform's.
      if (payload.kind === 'withdrawal' && payload.fee !== undefined && payload.feeAccount !== undefined) insert.run(order.orderNo, 'fee', payload.account, payload.feeAccount, payload.fee);
    }
  },
};
