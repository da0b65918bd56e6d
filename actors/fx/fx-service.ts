import { fxPositionAccount, type ConversionState, type FxRounding } from '../../core/fx/conversion.js';
import { parseAmount } from '../../core/money/amount.js';
import { isCurrency, scaleOf, type Currency } from '../../core/money/currency.js';
import type { AccountLookup } from '../ledger/ledger-api.js';
import { isSystemId } from '../lending/ids.js';
import { openSystemAccount } from '../ledger/system-accounts.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import { conversionActorId, type ConversionMessage } from './conversion-behavior.js';
import type { BankApi } from '../bank/bank-api.js';
import { SettlementAccounts } from '../bank/settlement-accounts.js';

/** What a client asks (amounts and rates as decimal strings). */
export interface ConvertInput {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly amount: string;
  readonly rate: string;
  readonly rounding: FxRounding;
}

export interface FxApi {
  convert(input: ConvertInput): Promise<ActorReply<ConversionState>>;
  getConversion(id: string): Promise<ActorReply<ConversionState>>;
}

const refuse = (code: string, detail: string) => ({ ok: false, code, detail }) as const;

/**
 * Conversions between currencies: looks up both accounts (their currencies), parses the
 * amount in the source's, decides who converts (the bank, between two wallets held there;
 * else the platform), opens what the legs need on first use (settlement mirrors or FX
 * positions), and asks the conversion's actor. The rules (rate, rounding, what is refused) are the decider's
 * (core/fx); the answer is the conversion as it stands — its legs follow through the outbox.
 */
export class FxService implements FxApi {
  private readonly positionsOpen = new Set<Currency>();

  private readonly settlements: SettlementAccounts;

  constructor(
    private readonly bus: Bus,
    private readonly accounts: AccountLookup,
    /** Where wallets are held at the bank (absent: no depository, every conversion is the platform's). */
    private readonly depository: Pick<BankApi, 'getDepositoryAccount'> | null = null,
  ) {
    this.settlements = new SettlementAccounts(bus);
  }

  async convert(input: ConvertInput): Promise<ActorReply<ConversionState>> {
    const system = [input.from, input.to].find(isSystemId);
    if (system !== undefined) return refuse('system_account_protected', `${system} is a system account; only fundcore's own processes move its money`);
    const [from, to] = await Promise.all([this.accounts.getAccount(input.from), this.accounts.getAccount(input.to)]);
    if (!from.ok) return from;
    if (!to.ok) return to;
    // The legs go to an account's only part: a hot account (several parts) converts through a plain one.
    const hot = [from.value.info, to.value.info].find((info) => info.subAccounts > 1);
    if (hot !== undefined) return refuse('conversion_account_not_plain', `${hot.id} is split into ${hot.subAccounts} sub-accounts; convert through a plain account`);
    const fromCurrency = from.value.info.currency;
    const toCurrency = to.value.info.currency;
    const amount = parseAmount(input.amount, fromCurrency);
    if (!amount.ok) return refuse(amount.code, amount.detail);
    const atBank = await this.atBank(input.from, input.to);
    if (!atBank.ok) return atBank;
    // The bank would move money the ledger then could not book: a closed wallet is refused before the order is made.
    if (atBank.value && from.value.closedAt !== null) return refuse('debit_account_closed', `${input.from} is closed`);
    if (atBank.value && to.value.closedAt !== null) return refuse('credit_account_closed', `${input.to} is closed`);
    // Its legs' accounts exist before any leg names them: the settlement mirrors at the bank, the FX positions on the ledger.
    for (const currency of new Set([fromCurrency, toCurrency])) {
      const opened = atBank.value ? await this.settlements.ensure(currency) : await this.openPosition(currency);
      if (!opened.ok) return opened as ActorReply<ConversionState>;
    }
    const request = { id: input.id, fromAccount: input.from, fromCurrency, toAccount: input.to, toCurrency, amount: amount.minor, rate: input.rate, rounding: input.rounding };
    const message: ConversionMessage = { type: 'convert', data: { request, fromScale: scaleOf(fromCurrency), toScale: scaleOf(toCurrency), atBank: atBank.value } };
    return this.bus.ask(conversionActorId(input.id), message) as Promise<ActorReply<ConversionState>>;
  }

  getConversion(id: string): Promise<ActorReply<ConversionState>> {
    return this.bus.ask(conversionActorId(id), { type: 'get_conversion' } satisfies ConversionMessage) as Promise<ActorReply<ConversionState>>;
  }

  /**
   * Whether the bank converts: both accounts are wallets with their depository account open
   * (their money is at the bank, so the bank must move it). Neither: the platform converts
   * on its ledger. One but not the other would put the ledger and the bank apart:
   * depository_account_not_open (409) — open the other's, or convert between two not held there.
   */
  private async atBank(from: string, to: string): Promise<ActorReply<boolean>> {
    if (this.depository === null) return { ok: true, value: false };
    const held: boolean[] = [];
    for (const account of [from, to]) {
      const view = await this.depository.getDepositoryAccount(account);
      if (!view.ok && view.code !== 'account_kind_not_allowed') return view;
      held.push(view.ok && view.value.status === 'open');
    }
    const [fromHeld, toHeld] = held;
    if (fromHeld === toHeld) return { ok: true, value: fromHeld === true };
    const [inside, outside] = fromHeld === true ? [from, to] : [to, from];
    return refuse('depository_account_not_open', `${inside}'s money is held at the bank and ${outside}'s is not: the bank converts only between two depository accounts (open one for ${outside}: POST /v1/depository-accounts)`);
  }

  /** The currency's FX position (may run below zero: what the platform sold of it). */
  private async openPosition(currency: Currency): Promise<ActorReply> {
    if (this.positionsOpen.has(currency) || !isCurrency(currency)) return { ok: true, value: null };
    const opened = await openSystemAccount(this.bus, { id: fxPositionAccount(currency), kind: 'fx_position', overdraft: true, currency });
    if (opened.ok) this.positionsOpen.add(currency);
    return opened;
  }
}
