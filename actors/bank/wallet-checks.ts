import type { AccountInfo } from '../../core/ledger/account.js';
import { parseAmount } from '../../core/money/amount.js';
import { defaultCurrency, type Currency } from '../../core/money/currency.js';
import type { DepositoryOrderEntry } from '../index/index-feeds.js';
import { indexActorId, type IndexListing, type IndexMessage } from '../index/messages.js';
import type { AccountLookup } from '../ledger/ledger-api.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import type { MoneyOrderInput } from './bank-api.js';
import type { SettlementAccounts } from './settlement-accounts.js';

const refuse = (code: string, detail: string) => ({ ok: false as const, code, detail });

const walletKinds: readonly string[] = ['investor_wallet', 'borrower_wallet'];

/** A wallet order as checked: its amount in minor units of its currency (the wallet's). */
export interface CheckedMoneyOrder {
  readonly amount: bigint;
  readonly currency: Currency;
}

/**
 * What the bank service checks of a wallet before it asks the bank anything: that it is a
 * wallet, its depository account's orders (open or not), and a deposit's or a withdrawal's
 * currency and amount.
 */
export class WalletChecks {
  constructor(
    private readonly bus: Bus,
    private readonly accounts: AccountLookup,
    private readonly currenciesBooked: ReadonlySet<string>,
    private readonly settlements: SettlementAccounts,
  ) {}

  /** A wallet's depository-account orders, as its index group lists them. */
  async depositoryOrders(account: string): Promise<ActorReply<DepositoryOrderEntry[]>> {
    const group = await this.bus.ask(indexActorId('depository', account), { type: 'list_entries' } satisfies IndexMessage);
    if (!group.ok) return group;
    return { ok: true, value: (group.value as IndexListing).entries.map(({ value }) => value as DepositoryOrderEntry) };
  }

  async wallet(account: string): Promise<ActorReply<AccountInfo>> {
    const found = await this.accounts.getAccount(account);
    if (!found.ok) return found.code === 'account_not_found' ? refuse('account_not_found', `no account ${account}`) : found;
    const entry = found.value.info;
    if (!walletKinds.includes(entry.kind)) return refuse('account_kind_not_allowed', `${account} is a ${entry.kind}; only wallets have depository accounts`);
    return { ok: true, value: entry };
  }

  /**
   * A wallet's deposit or withdrawal, checked in this order: currency_not_configured (the
   * currency asked, when one is); the amount, read in that currency (else the wallet's);
   * account_not_found, account_kind_not_allowed; wallet_currency_mismatch (the currency
   * asked is not the wallet's); currency_not_configured (the wallet's, when the platform no
   * longer books it); depository_account_not_open. Then that currency's settlement account
   * is opened (on first use), before any order names it.
   */
  async moneyOrder(input: MoneyOrderInput): Promise<ActorReply<CheckedMoneyOrder>> {
    if (input.currency !== undefined && !this.currenciesBooked.has(input.currency)) return notBooked(this.currenciesBooked, input.currency);
    const wallet = await this.wallet(input.account);
    const currency = input.currency ?? (wallet.ok ? wallet.value.currency : defaultCurrency);
    const amount = parseAmount(input.amount, currency);
    if (!amount.ok) return refuse(amount.code, amount.detail);
    if (!wallet.ok) return wallet;
    if (wallet.value.currency !== currency) return refuse('wallet_currency_mismatch', `${input.account} books ${wallet.value.currency}; its depository orders are in ${wallet.value.currency}, not ${currency}`);
    if (!this.currenciesBooked.has(currency)) return notBooked(this.currenciesBooked, currency);
    const orders = await this.depositoryOrders(input.account);
    if (!orders.ok) return orders;
    const statuses = orders.value.map((order) => order.status);
    if (!statuses.includes('succeeded')) return refuse('depository_account_not_open', notOpenDetail(input.account, statuses));
    const settlement = await this.settlements.ensure(currency);
    if (!settlement.ok) return settlement;
    return { ok: true, value: { amount: amount.minor, currency } };
  }
}

function notBooked(booked: ReadonlySet<string>, currency: string) {
  return refuse('currency_not_configured', `this platform books ${[...booked].join(', ')}; not ${currency}`);
}

/** Why a wallet's depository account is not open, and what to do: the opening is asynchronous (the bank answers later). */
function notOpenDetail(account: string, statuses: readonly string[]): string {
  if (statuses.some((s) => s === 'sending' || s === 'accepted')) {
    return `${account}'s depository account is being opened at the bank (asynchronous): retry once GET /v1/depository-accounts/${account} says "open"`;
  }
  if (statuses.length > 0) return `the bank refused to open ${account}'s depository account: open it again (POST /v1/depository-accounts with a new id)`;
  return `${account} has no depository account at the bank: open one first (POST /v1/depository-accounts)`;
}
