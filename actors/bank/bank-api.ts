import type { RefundBookState } from '../../core/bank/refund-book.js';
import type { BankOrder } from '../../core/bank/bank-order.js';
import type { Currency } from '../../core/money/currency.js';
import type { SagaAnswer } from '../lending/lending-api.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { BankCallbackWire } from './wire.js';

/** A refund names the deposit (recharge) it pays back, and how much. */
export interface RefundInput {
  readonly id: string;
  readonly deposit: string;
  readonly amount: string;
}

export interface MoneyOrderInput {
  readonly id: string;
  readonly account: string;
  readonly amount: string;
  /** ISO 4217: the currency the client means the amount in; it must be the wallet's (absent: the wallet's). */
  readonly currency?: Currency;
}

/** A wallet's depository account at the bank: open once an opening order succeeded. */
export interface DepositoryAccountView {
  readonly account: string;
  readonly status: 'open' | 'pending' | 'failed' | 'none';
  readonly orders: readonly { readonly orderNo: string; readonly status: string }[];
}

/** What the gateway may ask of the bank depository processes. */
export interface BankApi {
  openDepositoryAccount(input: { readonly id: string; readonly account: string }): Promise<ActorReply<BankOrder>>;
  getDepositoryAccount(account: string): Promise<ActorReply<DepositoryAccountView>>;
  /** `nature`: what the recharged money is in the wallet (absent: withdrawable). */
  deposit(input: MoneyOrderInput & { readonly nature?: string }): Promise<ActorReply<BankOrder>>;
  getDeposit(id: string): Promise<ActorReply<BankOrder>>;
  /** The refunds of a deposit, as its refund book keeps them (an empty book before the first). */
  getDepositRefunds(id: string): Promise<ActorReply<RefundBookState>>;
  /** Waits (bounded) for the hold on the wallet: refused at once when the money is not there. */
  withdraw(input: MoneyOrderInput): Promise<ActorReply<SagaAnswer<BankOrder>>>;
  getWithdrawal(id: string): Promise<ActorReply<BankOrder>>;
  /** Refund along the deposit's original path; waits (bounded) for the hold, as a withdrawal. */
  refund(input: RefundInput): Promise<ActorReply<SagaAnswer<BankOrder>>>;
  getRefund(id: string): Promise<ActorReply<BankOrder>>;
  /** A verified (signed, fresh) callback: journaled before it is acknowledged. */
  handleCallback(callback: BankCallbackWire): Promise<ActorReply<{ readonly duplicate: boolean }>>;
}
