import { defaultCurrency, type Currency } from '../../core/money/currency.js';

/**
 * Names fundcore gives its own things. Ids starting with `sys.` are fundcore's: clients may
 * neither open accounts nor create transfers under them, nor move money on system accounts
 * through the client API — only the lending processes do.
 */
export const systemIdPrefix = 'sys.';

export function isSystemId(id: string): boolean {
  return id.startsWith(systemIdPrefix);
}

/** The system ledger accounts, opened idempotently at every start. */
export const systemAccounts = {
  /** Mirrors the money held at the bank depository (overdraft: it goes below zero as money comes in). */
  bank: 'sys.bank',
  /** The capital pool: invested money not yet paid out to borrowers. */
  pool: 'sys.pool',
  revenue: 'sys.revenue',
  guarantee: 'sys.guarantee',
  /** Every investor's interest pool, pooled: the `ipool:<investor>` actors are its sub-ledger. */
  interestPool: 'sys.ipool',
  /** Repayments between the borrower's (or the guarantee's) payment and the split: zero when none is under way. */
  transit: 'sys.transit',
  /** Interest earned by the loans and not yet paid, accrued at each close (an asset: below zero). */
  interestReceivable: 'sys.interest.receivable',
  /** Its counterpart: the interest accrued to the investors' claims (the close keeps it equal to what is earned and unpaid). */
  interestAccrued: 'sys.interest.accrued',
} as const;

/**
 * The ledger's mirror of the money held at the bank in one currency: `sys.bank` for the home
 * currency (as it always was), `sys.bank.<CCY>` for any other, opened on first use. A
 * currency's deposits, withdrawals and refunds move money only against its own.
 */
export function bankSettlementAccount(currency: Currency): string {
  return currency === defaultCurrency ? systemAccounts.bank : `${systemAccounts.bank}.${currency}`;
}

export const investmentActorId = (id: string) => `inv:${id}`;
export const loanActorId = (id: string) => `loan:${id}`;
export const poolShardActorId = (shard: number) => `pool:${shard}`;
export const planActorId = (loanId: string) => `plan:${loanId}`;
export const waitingBookActorId = 'book:waiting';
export const settingsActorId = 'cfg:node';
export const bankOrderActorId = (orderNo: string) => `bank:${orderNo}`;
/** Not an actor: the bank depository adapter, reached over the same bus (see actors/bank/bank-endpoint.ts). */
export const bankEndpointId = 'bankapi:depository';

export const investmentTransferId = (investmentId: string, attempt = 1) => (attempt === 1 ? `sys.inv.${investmentId}` : `sys.inv.${investmentId}~${attempt}`);
export const disbursementTransferId = (loanId: string) => `sys.disb.${loanId}`;
export const managementFeeTransferId = (loanId: string) => `sys.mgmt.${loanId}`;
export const depositTransferId = (depositId: string) => `sys.dep.${depositId}`;
export const withdrawalTransferId = (withdrawalId: string) => `sys.wd.${withdrawalId}`;
export const refundTransferId = (refundId: string) => `sys.rf.${refundId}`;

export const depositOrderNo = (depositId: string) => `dep-${depositId}`;
export const withdrawalOrderNo = (withdrawalId: string) => `wd-${withdrawalId}`;
export const refundOrderNo = (refundId: string) => `rf-${refundId}`;
export const openAccountOrderNo = (id: string) => `open-${id}`;
/** A conversion done at the bank (its legs keep the conversion's own transfer ids, sys.fx.<id>.out / .in). */
export const conversionOrderNo = (conversionId: string) => `fx-${conversionId}`;

/** Keys of the `reservations` index. */
export const reservationRequestKey = (loanId: string, requestNo: number) => `req/${loanId}/${requestNo}`;
/** Which shard took a capital (the `reservations` index): a redelivered `add_capital` of a capital no longer live is told from a new one by it. */
export const capitalShardKey = (investmentId: string, capitalId: string) => `cap/${investmentId}/${capitalId}`;
/** Which shard took a group of capitals (the `reservations` index): a redelivered group is told from a new one by it. */
export const capitalGroupShardKey = (group: string) => `capg/${group}`;
/** A shard's recorded answer to a redemption's pull-back round. */
export const pullBackAnswerKey = (investmentId: string, redemptionId: string, round: number, shard: number) => `pb/${investmentId}/${redemptionId}/${round}/${shard}`;
/** The pool's payment of a pull-back: numbered by the shard that decided it. */
export const pullBackTransferId = (shard: number, pullBackNo: number) => `sys.pb.${shard}.${pullBackNo}`;
/** The interest a redemption pays out of the interest pool (sys.ipool → wallet). */
export const redemptionInterestTransferId = (investmentId: string) => `sys.rdm.${investmentId}`;
export const redemptionActorId = (investmentId: string) => `rdm:${investmentId}`;
export const reservationOutcomeKey = (loanId: string, shard: number) => `out/${loanId}/${shard}`;
