import type { BankOrder, BankOrderPayload } from '../../core/bank/bank-order.js';
import type { BankOrderEvent } from '../../core/bank/events.js';
import type { AccountDirectoryEntry } from '../../core/ledger/account.js';
import { parseAmount } from '../../core/money/amount.js';
import type { JournalReader } from '../../persistence/journal.js';
import type { CommitWaiter } from '../lending/commit-waiter.js';
import { bankOrderActorId, depositOrderNo, depositTransferId, openAccountOrderNo, withdrawalOrderNo, withdrawalTransferId } from '../lending/ids.js';
import type { SagaAnswer } from '../lending/lending-api.js';
import type { LendingConfig } from '../lending/lending-config.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import type { BankApi, DepositoryAccountView, MoneyOrderInput } from './bank-api.js';
import type { BankOrderMessage } from './messages.js';
import type { BankCallbackWire } from './wire.js';

const refuse = (code: string, detail: string) => ({ ok: false as const, code, detail });

const walletKinds: readonly string[] = ['investor_wallet', 'borrower_wallet'];

/** Deposits, withdrawals, depository accounts and the bank's callbacks, over the bank order actors. */
export class BankService implements BankApi {
  constructor(
    private readonly bus: Bus,
    private readonly journal: JournalReader,
    private readonly waiter: CommitWaiter,
    private readonly config: LendingConfig,
  ) {}

  /** Checked in this order: account_not_found, account_kind_not_allowed (a wallet), then the order (id reuse). */
  async openDepositoryAccount(input: { id: string; account: string }): Promise<ActorReply<BankOrder>> {
    const wallet = this.wallet(input.account);
    if (!wallet.ok) return wallet;
    return this.createOrder(openAccountOrderNo(input.id), { kind: 'open_account', account: input.account });
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
    const wallet = this.wallet(account);
    if (!wallet.ok) return wallet;
    const orders: { orderNo: string; status: string }[] = [];
    for (const { value } of this.journal.scanIndex('depository', `${account}/`)) orders.push(value as { orderNo: string; status: string });
    const statuses = orders.map((order) => order.status);
    const status = statuses.includes('succeeded') ? 'open' : statuses.some((s) => s === 'sending' || s === 'accepted') ? 'pending' : statuses.length > 0 ? 'failed' : 'none';
    return { ok: true, value: { account, status, orders } };
  }

  /** Checked in this order: the amount, account_not_found, account_kind_not_allowed, depository_account_not_open, then the order. */
  async deposit(input: MoneyOrderInput): Promise<ActorReply<BankOrder>> {
    const checked = this.moneyOrder(input);
    if (!checked.ok) return checked;
    return this.createOrder(depositOrderNo(input.id), { kind: 'deposit', account: input.account, amount: checked.value, transferId: depositTransferId(input.id) });
  }

  getDeposit(id: string): Promise<ActorReply<BankOrder>> {
    return this.getOrder(depositOrderNo(id), 'deposit_not_found');
  }

  /** As deposit; then the hold: a refusal (insufficient_funds, …) is recorded, and answered again to a retry. */
  async withdraw(input: MoneyOrderInput): Promise<ActorReply<SagaAnswer<BankOrder>>> {
    const checked = this.moneyOrder(input);
    if (!checked.ok) return checked;
    const orderNo = withdrawalOrderNo(input.id);
    const held = (event: unknown) => {
      const type = (event as BankOrderEvent).type;
      return type === 'withdrawal_hold_placed' || type === 'order_refused';
    };
    const watch = this.waiter.watch(bankOrderActorId(orderNo), held, this.config.settleWaitMs);
    let reply: ActorReply<BankOrder>;
    try {
      reply = await this.createOrder(orderNo, { kind: 'withdrawal', account: input.account, amount: checked.value, transferId: withdrawalTransferId(input.id) });
    } catch (error) {
      watch.cancel();
      throw error;
    }
    if (!reply.ok) {
      watch.cancel();
      return reply;
    }
    if (reply.value.status !== 'holding') {
      watch.cancel();
      return { ok: true, value: { state: reply.value, settled: true } };
    }
    await watch.settled;
    const now = await this.getOrder(orderNo, 'withdrawal_not_found');
    if (!now.ok) return now;
    return { ok: true, value: { state: now.value, settled: now.value.status !== 'holding' } };
  }

  getWithdrawal(id: string): Promise<ActorReply<BankOrder>> {
    return this.getOrder(withdrawalOrderNo(id), 'withdrawal_not_found');
  }

  async handleCallback(callback: BankCallbackWire): Promise<ActorReply<{ duplicate: boolean }>> {
    if (this.journal.getIndex('bank_orders', callback.orderNo) === undefined) return refuse('bank_order_not_found', `no bank order ${callback.orderNo}`);
    const { status, code, detail, bankTxnId, completedAt } = callback;
    const message: BankOrderMessage = { type: 'bank_result', data: { outcome: status, code, detail, bankTxnId, completedAt, via: 'callback' } };
    const reply = await this.bus.ask(bankOrderActorId(callback.orderNo), message);
    if (!reply.ok) return reply;
    return { ok: true, value: { duplicate: (reply.value as { duplicate: boolean }).duplicate } };
  }

  private async createOrder(orderNo: string, payload: BankOrderPayload): Promise<ActorReply<BankOrder>> {
    const message: BankOrderMessage = { type: 'create_order', data: { orderNo, payload, origin: null } };
    const reply = await this.bus.ask(bankOrderActorId(orderNo), message);
    if (!reply.ok) return reply;
    return { ok: true, value: (reply.value as { order: BankOrder }).order };
  }

  private async getOrder(orderNo: string, notFound: string): Promise<ActorReply<BankOrder>> {
    if (this.journal.headSeq(bankOrderActorId(orderNo)) === 0) return refuse(notFound, `no such order ${orderNo}`);
    return (await this.bus.ask(bankOrderActorId(orderNo), { type: 'get_order' } satisfies BankOrderMessage)) as ActorReply<BankOrder>;
  }

  private wallet(account: string): ActorReply<AccountDirectoryEntry> {
    const entry = (this.journal.getIndex('directory', account) as AccountDirectoryEntry | undefined) ?? null;
    if (entry === null) return refuse('account_not_found', `no account ${account}`);
    if (!walletKinds.includes(entry.kind)) return refuse('account_kind_not_allowed', `${account} is a ${entry.kind}; only wallets have depository accounts`);
    return { ok: true, value: entry };
  }

  private moneyOrder(input: MoneyOrderInput): ActorReply<bigint> {
    const amount = parseAmount(input.amount, 'CNY');
    if (!amount.ok) return refuse(amount.code, amount.detail);
    const wallet = this.wallet(input.account);
    if (!wallet.ok) return wallet;
    if (wallet.value.currency !== 'CNY') return refuse('currencies_must_match', `${input.account} books ${wallet.value.currency}; the depository books CNY`);
    const statuses = [...this.journal.scanIndex('depository', `${input.account}/`)].map(({ value }) => (value as { status: string }).status);
    if (!statuses.includes('succeeded')) return refuse('depository_account_not_open', notOpenDetail(input.account, statuses));
    return { ok: true, value: amount.minor };
  }
}

/** Why a wallet's depository account is not open, and what to do: the opening is asynchronous (the bank answers later). */
function notOpenDetail(account: string, statuses: readonly string[]): string {
  if (statuses.some((s) => s === 'sending' || s === 'accepted')) {
    return `${account}'s depository account is being opened at the bank (asynchronous): retry once GET /v1/depository-accounts/${account} says "open"`;
  }
  if (statuses.length > 0) return `the bank refused to open ${account}'s depository account: open it again (POST /v1/depository-accounts with a new id)`;
  return `${account} has no depository account at the bank: open one first (POST /v1/depository-accounts)`;
}
