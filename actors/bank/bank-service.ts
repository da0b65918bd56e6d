import type { RefundBookState } from '../../core/bank/refund-book.js';
import { keepsNatures } from '../../core/ledger/account.js';
import { drawField, isNature, plainNature } from '../../core/ledger/nature.js';
import { defaultPaymentStrategies, type PaymentStrategies } from '../../core/ledger/payment-strategy.js';
import { currencyField, orderCurrency, type BankOrder, type BankOrderPayload } from '../../core/bank/bank-order.js';
import { parseAmount } from '../../core/money/amount.js';
import { currencies, defaultCurrency } from '../../core/money/currency.js';
import type { AccountLookup } from '../ledger/ledger-api.js';
import { awaitSettledMessage } from '../runtime/settle-waits.js';
import { bankOrderActorId, depositOrderNo, depositTransferId, openAccountOrderNo, refundOrderNo, refundTransferId, systemAccounts, withdrawalOrderNo, withdrawalTransferId } from '../lending/ids.js';
import { refundBookActorId, type RefundBookMessage } from './refund-book-behavior.js';
import { feeOf, type FeeRule } from '../../core/clearing/fee.js';
import type { SagaAnswer } from '../lending/lending-api.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import type { BankApi, DepositoryAccountView, MoneyOrderInput, RefundInput } from './bank-api.js';
import type { BankOrderMessage } from './messages.js';
import { SettlementAccounts } from './settlement-accounts.js';
import { WalletChecks } from './wallet-checks.js';
import type { BankCallbackWire } from './wire.js';

const refuse = (code: string, detail: string) => ({ ok: false as const, code, detail });

/**
 * Deposits, withdrawals, depository accounts and the bank's callbacks, over the bank order
 * actors. A wallet's orders are in the wallet's currency, any the platform books: its
 * depository account is opened in it, and its money is mirrored on that currency's
 * settlement account (opened on first use).
 */
export class BankService implements BankApi {
  private readonly settlements: SettlementAccounts;
  private readonly wallets: WalletChecks;

  constructor(
    private readonly bus: Bus,
    accounts: AccountLookup,
    private readonly fees: { readonly withdrawal?: FeeRule } = {},
    /** The currencies the platform books (FUNDCORE_CURRENCIES); every known one by default. */
    currenciesBooked: ReadonlySet<string> = new Set(currencies),
    /** Which natures a withdrawal and a refund may draw (FUNDCORE_PAYMENT_STRATEGIES). */
    private readonly strategies: PaymentStrategies = defaultPaymentStrategies,
  ) {
    this.settlements = new SettlementAccounts(bus);
    this.wallets = new WalletChecks(bus, accounts, currenciesBooked, this.settlements);
  }

  /** Checked in this order: account_not_found, account_kind_not_allowed (a wallet), then the order (id reuse). The bank opens it in the wallet's currency. */
  async openDepositoryAccount(input: { id: string; account: string }): Promise<ActorReply<BankOrder>> {
    const wallet = await this.wallets.wallet(input.account);
    if (!wallet.ok) return wallet;
    return this.createOrder(openAccountOrderNo(input.id), { kind: 'open_account', account: input.account, ...currencyField(wallet.value.currency) });
  }

  /**
   * The platform's own depository accounts (revenue, guarantee): repayment batches pay
   * interest-claim interest to the first and compensations come from the second, so a bank
   * that books strictly must know them. Opened at start (npm start); idempotent by order number.
   */
  async openPlatformDepositoryAccount(account: string): Promise<ActorReply<BankOrder>> {
    return this.createOrder(openAccountOrderNo(account), { kind: 'open_account', account });
  }

  /**
   * The platform's own money into one of its depository accounts (the guarantee reserve, 代偿准备金):
   * a recharge like any other — the bank credits the account, and the ledger credits it (from
   * sys.bank) once the bank says so — so the ledger and the bank agree, and a bank that books
   * strictly can pay compensations from it. Idempotent by `id`; the account must be open at the bank.
   */
  async fundPlatformAccount(id: string, account: string, amount: bigint): Promise<ActorReply<BankOrder>> {
    return this.createOrder(depositOrderNo(id), { kind: 'deposit', account, amount, transferId: depositTransferId(id) });
  }

  async getDepositoryAccount(account: string): Promise<ActorReply<DepositoryAccountView>> {
    const wallet = await this.wallets.wallet(account);
    if (!wallet.ok) return wallet;
    const listed = await this.wallets.depositoryOrders(account);
    if (!listed.ok) return listed;
    const orders = listed.value;
    const statuses = orders.map((order) => order.status);
    const status = statuses.includes('succeeded') ? 'open' : statuses.some((s) => s === 'sending' || s === 'accepted') ? 'pending' : statuses.length > 0 ? 'failed' : 'none';
    return { ok: true, value: { account, status, orders } };
  }

  /**
   * Checked in this order: unknown_nature, then as moneyOrder says, then nature_not_kept (a
   * nature but withdrawable for a wallet that keeps none: the bank must not take money the
   * ledger would refuse), then the order.
   */
  async deposit(input: MoneyOrderInput & { readonly nature?: string }): Promise<ActorReply<BankOrder>> {
    const { nature } = input;
    if (nature !== undefined && !isNature(nature)) return refuse('unknown_nature', `no nature ${nature}: withdrawable, refund_only or spend_only`);
    const checked = await this.wallets.moneyOrder(input);
    if (!checked.ok) return checked;
    const { amount, currency } = checked.value;
    const kept = nature === undefined || nature === plainNature ? null : nature;
    if (kept !== null) {
      const wallet = await this.wallets.wallet(input.account);
      if (!wallet.ok) return wallet;
      if (!keepsNatures(wallet.value)) return refuse('nature_not_kept', `${input.account} keeps no natures (a hot or buffering wallet): only withdrawable money goes there`);
    }
    const payload = { kind: 'deposit', account: input.account, amount, transferId: depositTransferId(input.id), ...currencyField(currency), ...(kept === null ? {} : { nature: kept }) } as const;
    return this.createOrder(depositOrderNo(input.id), payload);
  }

  getDepositRefunds(id: string): Promise<ActorReply<RefundBookState>> {
    return this.bus.ask(refundBookActorId(id), { type: 'get_refund_book' } satisfies RefundBookMessage) as Promise<ActorReply<RefundBookState>>;
  }

  getDeposit(id: string): Promise<ActorReply<BankOrder>> {
    return this.getOrder(depositOrderNo(id), 'deposit_not_found');
  }

  /** As deposit; then the hold: a refusal (insufficient_funds, …) is recorded, and answered again to a retry. */
  async withdraw(input: MoneyOrderInput): Promise<ActorReply<SagaAnswer<BankOrder>>> {
    const checked = await this.wallets.moneyOrder(input);
    if (!checked.ok) return checked;
    const { amount, currency } = checked.value;
    const orderNo = withdrawalOrderNo(input.id);
    // The fee is fixed when the order is made (a rule changed later does not touch it). The
    // rule and the revenue account are in the home currency: another currency's withdrawal is charged none.
    const fee = this.fees.withdrawal === undefined || currency !== defaultCurrency ? 0n : feeOf(this.fees.withdrawal, amount);
    const charged = fee > 0n ? { fee, feeAccount: systemAccounts.revenue } : {};
    const payload = { kind: 'withdrawal', account: input.account, amount, transferId: withdrawalTransferId(input.id), ...charged, ...currencyField(currency), ...drawField(this.strategies.withdraw) } as const;
    return this.settled(orderNo, await this.createOrder(orderNo, payload));
  }

  /** An order that holds money first: answered once the hold is placed or refused (at most settleWaitMs). */
  private async settled(orderNo: string, reply: ActorReply<BankOrder>): Promise<ActorReply<SagaAnswer<BankOrder>>> {
    if (!reply.ok) return reply;
    if (reply.value.status !== 'holding') return { ok: true, value: { state: reply.value, settled: true } };
    // The order's actor holds this ask until the hold is placed or refused (at most settleWaitMs).
    const waited = await this.bus.ask(bankOrderActorId(orderNo), awaitSettledMessage);
    if (!waited.ok) return waited;
    const order = waited.value as BankOrder;
    return { ok: true, value: { state: order, settled: order.status !== 'holding' } };
  }

  getWithdrawal(id: string): Promise<ActorReply<BankOrder>> {
    return this.getOrder(withdrawalOrderNo(id), 'withdrawal_not_found');
  }

  /**
   * Refund along the original path (原路退回): back to where the deposit came from, never
   * more than it brought in less its earlier refunds, in the deposit's currency. Checked in
   * this order: the amount (in the deposit's currency; the home currency's when there is no
   * deposit); the deposit (refund_of_refund when the id names a refund, deposit_not_found);
   * deposit_not_refundable (it brought nothing in); the deposit's refund book
   * (refund_exceeds_order); then the order, which holds the wallet's amount as a withdrawal
   * does and tells the book how it ended.
   */
  async refund(input: RefundInput): Promise<ActorReply<SagaAnswer<BankOrder>>> {
    const deposit = await this.getOrder(depositOrderNo(input.deposit), 'deposit_not_found');
    const currency = deposit.ok ? orderCurrency(deposit.value.payload) : defaultCurrency;
    const amount = parseAmount(input.amount, currency);
    if (!amount.ok) return refuse(amount.code, amount.detail);
    if (!deposit.ok) return (await this.getOrder(refundOrderNo(input.deposit), 'deposit_not_found')).ok ? refuse('refund_of_refund', `${input.deposit} is a refund: only a deposit is refunded`) : deposit;
    const { payload, status, orderNo } = deposit.value;
    if (payload.kind !== 'deposit' || status !== 'succeeded') return refuse('deposit_not_refundable', `deposit ${input.deposit} is ${status}: it brought nothing in`);
    // A refund gives back money of the deposit's own nature, if the refund strategy lets that nature be refunded.
    const nature = payload.nature ?? plainNature;
    if (!this.strategies.refund.includes(nature)) return refuse('deposit_not_refundable', `deposit ${input.deposit} brought ${nature} money, which is never refunded`);
    // Before the reservation: nothing is reserved for an order that cannot be made.
    const settlement = await this.settlements.ensure(currency);
    if (!settlement.ok) return settlement;
    const refundNo = refundOrderNo(input.id);
    const reserve: RefundBookMessage = { type: 'reserve_refund', data: { refundId: input.id, orderNo: refundNo, amount: amount.minor, deposit: { orderNo, amount: payload.amount } } };
    const reserved = await this.bus.ask(refundBookActorId(input.deposit), reserve);
    if (!reserved.ok) return reserved;
    const refundPayload = { kind: 'refund', account: payload.account, amount: amount.minor, transferId: refundTransferId(input.id), original: orderNo, ...currencyField(currency), ...drawField([nature]) } as const;
    return this.settled(refundNo, await this.createOrder(refundNo, refundPayload, refundBookActorId(input.deposit)));
  }

  getRefund(id: string): Promise<ActorReply<BankOrder>> {
    return this.getOrder(refundOrderNo(id), 'refund_not_found');
  }

  async handleCallback(callback: BankCallbackWire): Promise<ActorReply<{ duplicate: boolean }>> {
    const known = await this.bus.ask(bankOrderActorId(callback.orderNo), { type: 'get_order' } satisfies BankOrderMessage);
    if (!known.ok) return known.code === 'bank_order_not_found' ? refuse('bank_order_not_found', `no bank order ${callback.orderNo}`) : known;
    const { status, code, detail, bankTxnId, completedAt, currency } = callback;
    const message: BankOrderMessage = { type: 'bank_result', data: { outcome: status, code, detail, bankTxnId, completedAt, via: 'callback', ...(currency === undefined ? {} : { currency }) } };
    const reply = await this.bus.ask(bankOrderActorId(callback.orderNo), message);
    if (!reply.ok) return reply;
    return { ok: true, value: { duplicate: (reply.value as { duplicate: boolean }).duplicate } };
  }

  private async createOrder(orderNo: string, payload: BankOrderPayload, origin: string | null = null): Promise<ActorReply<BankOrder>> {
    const message: BankOrderMessage = { type: 'create_order', data: { orderNo, payload, origin } };
    const reply = await this.bus.ask(bankOrderActorId(orderNo), message);
    if (!reply.ok) return reply;
    return { ok: true, value: (reply.value as { order: BankOrder }).order };
  }

  private async getOrder(orderNo: string, notFound: string): Promise<ActorReply<BankOrder>> {
    const reply = await this.bus.ask(bankOrderActorId(orderNo), { type: 'get_order' } satisfies BankOrderMessage);
    if (!reply.ok && reply.code === 'bank_order_not_found') return refuse(notFound, `no such order ${orderNo}`);
    return reply as ActorReply<BankOrder>;
  }

}
