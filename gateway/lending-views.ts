import type { RefundBookState } from '../core/bank/refund-book.js';
import type { PayoffQuote } from '../core/lending/repayment/payoff.js';
import type { BusinessDate } from '../core/calendar/business-date.js';
import { orderCurrency, type BankOrder, type BankResult } from '../core/bank/bank-order.js';
import { availableOfCapital, type CapitalReading } from '../core/lending/capital.js';
import type { Claim } from '../core/lending/claim.js';
import type { InvestmentState } from '../core/lending/investment/investment.js';
import type { Loan, LoanState } from '../core/lending/loan/loan.js';
import { openPeriodsOf, type PeriodSettlement, type RepaymentPlan } from '../core/lending/plan/plan.js';
import { periodStatusOf } from '../core/lending/plan/plan-status.js';
import { penaltyInterestOf } from '../core/lending/schedule/accrual.js';
import type { LoanProduct } from '../core/lending/schedule/product.js';
import { interestTransferredOf, outstandingOf, pulledBackBookedOf, transferredOf, type RedemptionState } from '../core/lending/redemption/redemption.js';
import { formatAmount } from '../core/money/amount.js';
import { assert } from '../core/rejection.js';
import { repaymentBookView } from './flows-views.js';
import { withFields } from '../core/with-fields.js';

const money = (minor: bigint) => formatAmount(minor, 'CNY');
const iso = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());

/** The fields fixed when an investment is placed. */
function investmentContent(state: InvestmentState) {
  const investment = state.investment;
  assert(investment !== null, 'a view of a placed investment');
  return {
    id: investment.id,
    investor: investment.investor,
    amount: money(investment.amount),
    termDays: investment.termDays,
    expectedRate: investment.expectedRate ?? null,
    placedOn: investment.placedOn,
    maturityDate: investment.maturityDate,
    placedAt: iso(investment.placedAt),
  };
}

/** The 201 answer: what was fixed once the investment became active, so a retry gets the same body. */
export function investmentCreatedView(state: InvestmentState) {
  return withFields(investmentContent(state), { status: 'active', capitalId: state.capitalId, shard: state.shard });
}

export function investmentView(state: InvestmentState, capital: CapitalReading | null = null) {
  return withFields(investmentContent(state), {
    status: state.status,
    capitalId: state.capitalId,
    shard: state.shard,
    fundedAt: iso(state.fundedAt),
    activatedAt: iso(state.activatedAt),
    failure: state.failure,
    capital: capital === null ? null : capitalView(capital),
  });
}

export function capitalView(capital: CapitalReading) {
  return {
    id: capital.id,
    investmentId: capital.investmentId,
    investor: capital.investor,
    principal: money(capital.principal),
    matched: money(capital.matched),
    reserved: money(capital.reserved),
    pulledBack: money(capital.pulledBack),
    available: money(availableOfCapital(capital)),
    status: capital.status,
    property: capital.property,
    source: capital.source,
    createdOn: capital.createdOn,
    investRepayDate: capital.investRepayDate,
  };
}

export function claimView(claim: Claim) {
  return {
    orderNo: claim.orderNo,
    investmentId: claim.investmentId,
    loanId: claim.loanId,
    capitalId: claim.capitalId,
    investor: claim.investor,
    borrower: claim.borrower,
    amount: money(claim.amount),
    principalOutstanding: money(claim.principalOutstanding),
    days: claim.days,
    property: claim.property,
    source: claim.source,
    status: claim.status,
    finishReason: claim.finishReason,
    investRepayDate: claim.investRepayDate,
    loanRepayDate: claim.loanRepayDate,
    lastOrderNo: claim.lastOrderNo,
    transferred: claim.transferred,
    createdOn: claim.createdOn,
  };
}

function loanContent(loan: Loan) {
  return {
    id: loan.id,
    borrower: loan.borrower,
    amount: money(loan.amount),
    annualRate: loan.annualRate,
    ...(loan.term.unit === 'days' ? { termDays: loan.term.count } : { termMonths: loan.term.count }),
    method: loan.method,
    product: loan.product.name,
    publishedOn: loan.publishedOn,
    publishedAt: iso(loan.publishedAt),
  };
}

/** The 201 answer to publishing: the loan as published, in matching. */
export function loanPublishedView(state: LoanState) {
  assert(state.loan !== null, 'a view of a published loan');
  return { ...loanContent(state.loan), status: 'matching' };
}

/** The answer to approval: fixed at approval, so a repeated approval gets the same body. */
export function loanApprovedView(state: LoanState) {
  assert(state.loan !== null && state.approval !== null, 'a view of an approved loan');
  const { approvedAt, approvedOn, startDate, maturityDate } = state.approval;
  return { id: state.loan.id, status: 'approved', approvedAt: iso(approvedAt), approvedOn, startDate, maturityDate };
}

export function loanView(state: LoanState) {
  const loan = state.loan;
  assert(loan !== null, 'a view of a published loan');
  const { approval, disbursement, plan } = state;
  return withFields(loanContent(loan), {
    status: state.status,
    reserved: money(state.reserved),
    remaining: money(state.status === 'failed' ? 0n : loan.amount - state.reserved),
    matching: { walking: state.walk !== null, paused: state.paused, rescanRequested: state.rescanRequested },
    fundedAt: iso(state.fundedAt),
    approval: approval === null ? null : { approvedAt: iso(approval.approvedAt), approvedOn: approval.approvedOn, startDate: approval.startDate, maturityDate: approval.maturityDate },
    disbursement:
      disbursement === null
        ? null
        : { orderNo: disbursement.orderNo, stage: disbursement.stage, code: disbursement.code, detail: disbursement.detail, bankTxnId: disbursement.bankTxnId, completedAt: iso(disbursement.completedAt) },
    plan: plan === null ? null : { planId: plan.planId, periods: plan.periods, maturityDate: plan.maturityDate, recordedAt: iso(plan.recordedAt) },
    repayment: repaymentBookView(state),
    claims: state.claims.map(claimView),
  });
}

/** GET /v1/loans/:id/schedule: the plan as of the business date `today` (statuses and penalties are derived from it). */
export function planView(plan: RepaymentPlan, today: BusinessDate) {
  const settlementView = (settlement: PeriodSettlement | null) =>
    settlement === null ? null : { repaymentId: settlement.repaymentId, on: settlement.on, at: iso(settlement.at), penalty: money(settlement.penalty) };
  return {
    planId: plan.planId,
    loanId: plan.loanId,
    amount: money(plan.amount),
    annualRate: plan.annualRate,
    method: plan.method,
    product: productView(plan.product),
    startDate: plan.startDate,
    maturityDate: plan.maturityDate,
    generatedAt: iso(plan.generatedAt),
    asOf: today,
    principalOutstanding: money(openPeriodsOf(plan).reduce((sum, period) => sum + period.principal, 0n)),
    periods: plan.periods.map((period) => {
      const status = periodStatusOf(period, today);
      return {
        number: period.number,
        startDate: period.startDate,
        dueDate: period.dueDate,
        principal: money(period.principal),
        interest: money(period.interest),
        total: money(period.total),
        remaining: money(period.remaining),
        status,
        /** Overdue: penalty interest accrued to today on the period's total. */
        penaltyAccrued: money(status === 'overdue' ? penaltyInterestOf(period.total, period.dueDate, today, plan.product) : 0n),
        paid: settlementView(period.paid),
        compensated: settlementView(period.compensated),
      };
    }),
    earlyRepayments: plan.earlyRepayments.map((r) => ({
      repaymentId: r.repaymentId,
      on: r.on,
      amount: money(r.amount),
      interest: money(r.interest),
      principal: money(r.principal),
      remaining: money(r.remaining),
      at: iso(r.at),
    })),
  };
}

export function payoffView(loanId: string, quote: PayoffQuote) {
  return { loanId, on: quote.on, amount: money(quote.amount), principal: money(quote.principal), interest: money(quote.interest), penalty: money(quote.penalty) };
}

export function productView(product: LoanProduct) {
  return {
    name: product.name,
    dayCount: product.dayCount,
    interestPeriod: product.interestPeriod,
    rounding: product.rounding,
    installmentMultiple: money(product.installmentMultipleMinor),
    penaltyDailyRate: product.penaltyDailyRate,
    penaltyCountsDueDay: product.penaltyCountsDueDay,
    installmentFrom: product.installmentFrom ?? 'nominal',
    payoffInterest: product.payoffInterest ?? 'to_date',
    overpayment: product.overpayment ?? 'refuse',
  };
}

/** The 201 answer to a bank order: only what was fixed when it was created (GET tells its progress), its amounts in its own currency (a JPY deposit's "1200"). */
export function bankOrderCreatedView(id: string, order: BankOrder) {
  const { payload } = order;
  const currency = orderCurrency(payload);
  const inOrder = (minor: bigint) => formatAmount(minor, currency);
  return {
    id,
    orderNo: order.orderNo,
    kind: payload.kind,
    ...('account' in payload ? { account: payload.account } : {}),
    currency,
    ...('amount' in payload ? { amount: inOrder(payload.amount) } : {}),
    ...('items' in payload ? { items: payload.items.map((item) => ({ ...item, amount: inOrder(item.amount) })) } : {}),
    ...('original' in payload ? { refunds: payload.original } : {}),
    ...('fee' in payload && payload.fee !== undefined ? { fee: inOrder(payload.fee) } : {}),
    ...('nature' in payload && payload.nature !== undefined ? { nature: payload.nature } : {}),
    businessDate: order.businessDate,
    createdAt: iso(order.createdAt),
  };
}

function resultView(result: BankResult | null) {
  if (result === null) return null;
  return { outcome: result.outcome, code: result.code, detail: result.detail, bankTxnId: result.bankTxnId, completedAt: result.completedAt, via: result.via, receivedAt: iso(result.receivedAt) };
}

/**
 * A deposit's refunds: what went back (refunded), what is on its way (refunding), what the
 * deposit may still give back, and each refund. A deposit refunded whole is a cancelled trade
 * (退款): it keeps its record, and says `cancelled`.
 */
export function depositRefundsView(book: RefundBookState, order: BankOrder) {
  const amount = order.payload.kind === 'deposit' ? order.payload.amount : 0n;
  const money = (minor: bigint) => formatAmount(minor, orderCurrency(order.payload));
  let refunded = 0n;
  let refunding = 0n;
  const items = [...book.refunds].map(([id, refund]) => {
    if (refund.status === 'refunded') refunded += refund.amount;
    if (refund.status === 'out') refunding += refund.amount;
    return { id, orderNo: refund.orderNo, amount: money(refund.amount), status: refund.status };
  });
  const refundable = order.status === 'succeeded' ? amount - refunded - refunding : 0n;
  return { refunded: money(refunded), refunding: money(refunding), refundable: money(refundable), cancelled: amount > 0n && refunded === amount, items };
}

export function bankOrderView(id: string, order: BankOrder) {
  return {
    ...bankOrderCreatedView(id, order),
    origin: order.origin,
    status: order.status,
    result: resultView(order.result),
    refusal: order.refusal,
    conflict: resultView(order.conflict),
    postingRefusal: order.postingRefusal,
    submissions: order.submissions,
    queries: order.queries,
    nextQueryAt: iso(order.nextQueryAt),
  };
}

/** A redemption: what came back (pulled back, transferred) and what is still outstanding. */
export function redemptionView(state: RedemptionState) {
  const redemption = state.redemption;
  assert(redemption !== null, 'a view of a requested redemption');
  return {
    id: redemption.id,
    investmentId: redemption.investmentId,
    investor: redemption.investor,
    status: state.status,
    principal: money(redemption.principal),
    pulledBack: money(state.pulledBack),
    /** Of pulledBack, what the ledger has booked (the redemption completes only once it is all of it). */
    pulledBackBooked: money(pulledBackBookedOf(state)),
    /** Pull-back transfers the ledger refused for good: their money stays in sys.pool and the redemption stays redeeming. */
    pullBacksRefused: [...state.pullBacksRefused].map(([transferId, { code, detail }]) => ({ transferId, code, detail })),
    transferred: money(transferredOf(state)),
    outstanding: money(outstandingOf(state)),
    /** Interest capital pulled back (flow 13) and interest claims transferred (flow 14) into the interest pool. */
    interestPulledBack: money(state.interestPulledBack),
    interestTransferred: money(interestTransferredOf(state)),
    /** What the interest pool paid to the wallet at the end (flow 22); null until then. */
    interestPaid: state.interestPaid === null ? null : money(state.interestPaid),
    maturityDate: redemption.maturityDate,
    requestedOn: redemption.requestedOn,
    requestedAt: iso(redemption.requestedAt),
    completedAt: iso(state.completedAt),
    round: state.round,
    loans: [...state.loans].map(([loanId, loan]) => ({ loanId, transferred: money(loan.proceeds), interestTransferred: money(loan.interestProceeds), settled: loan.settled })),
  };
}
