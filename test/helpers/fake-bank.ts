import type { BankItem, BankOrderKind } from '../../core/bank/bank-order.js';
import { BankUnavailableError, type BankDepository, type BankRequestHeader, type BankSubmitAnswer } from '../../actors/bank/bank-port.js';
import type { BankOrderStatusAnswer } from '../../actors/bank/messages.js';
import type { BankCallbackWire } from '../../actors/bank/wire.js';

export interface FakeOrder {
  readonly orderNo: string;
  readonly kind: BankOrderKind;
  readonly header: BankRequestHeader;
  readonly account: string | null;
  readonly amount: bigint | null;
  readonly items: readonly BankItem[];
  submissions: number;
  result: { status: 'succeeded' | 'failed'; code: string | null; bankTxnId: string | null } | null;
}

/**
 * A bank in memory, driven by the test: it records what fundcore asks (deduped by order
 * number, as a bank does), completes orders when told, and answers queries. Callbacks are
 * the test's to deliver (or lose, duplicate, reorder).
 */
export class FakeBank implements BankDepository {
  readonly orders = new Map<string, FakeOrder>();
  /** A withdrawal's fee and where it goes, by the withdrawal's order number. */
  readonly fees = new Map<string, { amount: bigint; account: string }>();
  /** A refund's deposit, by the refund's order number. */
  readonly originals = new Map<string, string>();
  /** A conversion's target, amount paid and rate, by its order number. */
  readonly conversions = new Map<string, { toAccount: string; toAmount: bigint; toCurrency: string; rate: string }>();
  /** Order numbers the bank "lost" (掉单): it answered accepted but keeps nothing until resubmitted. */
  readonly dropNext = new Set<string>();
  /** Requests refused outright (4xx), by order number. */
  readonly refuse = new Map<string, string>();
  unreachable = false;
  /** Runs once an order is recorded, before the bank answers "accepted" (a callback may overtake the answer). */
  onSubmit: ((order: FakeOrder) => Promise<void>) | null = null;
  submitCalls = 0;
  queryCalls = 0;
  private txn = 0;

  openAccount(header: BankRequestHeader, request: { account: string }): Promise<BankSubmitAnswer> {
    return this.submit('open_account', header, request.account, null, []);
  }
  deposit(header: BankRequestHeader, request: { account: string; amount: bigint }): Promise<BankSubmitAnswer> {
    return this.submit('deposit', header, request.account, request.amount, []);
  }
  /** A withdrawal's fee is kept with it (`fees`). */
  withdraw(header: BankRequestHeader, request: { account: string; amount: bigint; fee?: bigint; feeAccount?: string }): Promise<BankSubmitAnswer> {
    if (request.fee !== undefined) this.fees.set(header.orderNo, { amount: request.fee, account: request.feeAccount ?? '' });
    return this.submit('withdrawal', header, request.account, request.amount, []);
  }
  /** The deposit a refund pays back is kept with it (`originals`). */
  refund(header: BankRequestHeader, request: { account: string; amount: bigint; original: string }): Promise<BankSubmitAnswer> {
    this.originals.set(header.orderNo, request.original);
    return this.submit('refund', header, request.account, request.amount, []);
  }
  /** A conversion's other side is kept with it (`conversions`). */
  convert(header: BankRequestHeader, request: { account: string; amount: bigint; toAccount: string; toAmount: bigint; toCurrency: string; rate: string }): Promise<BankSubmitAnswer> {
    this.conversions.set(header.orderNo, { toAccount: request.toAccount, toAmount: request.toAmount, toCurrency: request.toCurrency, rate: request.rate });
    return this.submit('conversion', header, request.account, request.amount, []);
  }
  disburse(header: BankRequestHeader, request: { items: readonly BankItem[] }): Promise<BankSubmitAnswer> {
    return this.submit('disbursement', header, null, null, request.items);
  }
  repay(header: BankRequestHeader, request: { items: readonly BankItem[] }): Promise<BankSubmitAnswer> {
    return this.submit('repayment', header, null, null, request.items);
  }
  transfer(header: BankRequestHeader, request: { items: readonly BankItem[] }): Promise<BankSubmitAnswer> {
    return this.submit('transfer', header, null, null, request.items);
  }

  async query(orderNo: string): Promise<BankOrderStatusAnswer> {
    this.queryCalls++;
    if (this.unreachable) throw new BankUnavailableError('fake bank unreachable');
    const order = this.orders.get(orderNo);
    if (order === undefined) return { status: 'not_found', code: null, detail: null, bankTxnId: null, completedAt: null };
    if (order.result === null) return { status: 'processing', code: null, detail: null, bankTxnId: null, completedAt: null };
    return { status: order.result.status, code: order.result.code, detail: order.result.code, bankTxnId: order.result.bankTxnId, completedAt: '2030-01-01T00:00:00.000Z' };
  }

  /** Orders submitted and not completed, in submission order. */
  pending(kind?: BankOrderKind): FakeOrder[] {
    return [...this.orders.values()].filter((order) => order.result === null && (kind === undefined || order.kind === kind));
  }

  /** Completes an order once (a second call keeps the first result) and returns the callback the bank would send. */
  complete(orderNo: string, status: 'succeeded' | 'failed', code: string | null = status === 'failed' ? 'bank_declined' : null): BankCallbackWire {
    const order = this.orders.get(orderNo);
    if (order === undefined) throw new Error(`the fake bank has no order ${orderNo}`);
    order.result ??= { status, code, bankTxnId: status === 'succeeded' ? `FK${++this.txn}` : null };
    return this.callbackOf(order);
  }

  callbackOf(order: FakeOrder): BankCallbackWire {
    const result = order.result;
    if (result === null) throw new Error(`order ${order.orderNo} has no result`);
    return { orderNo: order.orderNo, kind: order.kind, status: result.status, code: result.code, detail: result.code, bankTxnId: result.bankTxnId, completedAt: '2030-01-01T00:00:00.000Z' };
  }

  private async submit(kind: BankOrderKind, header: BankRequestHeader, account: string | null, amount: bigint | null, items: readonly BankItem[]): Promise<BankSubmitAnswer> {
    this.submitCalls++;
    if (this.unreachable) throw new BankUnavailableError('fake bank unreachable');
    const refusal = this.refuse.get(header.orderNo);
    if (refusal !== undefined) return { accepted: false, code: refusal, detail: `refused: ${refusal}` };
    if (this.dropNext.delete(header.orderNo)) return { accepted: true };
    const existing = this.orders.get(header.orderNo);
    if (existing !== undefined) {
      existing.submissions++;
      return { accepted: true };
    }
    const order: FakeOrder = { orderNo: header.orderNo, kind, header, account, amount, items, submissions: 1, result: null };
    this.orders.set(header.orderNo, order);
    await this.onSubmit?.(order);
    return { accepted: true };
  }
}
