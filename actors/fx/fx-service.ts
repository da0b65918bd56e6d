import { fxPositionAccount, type ConversionState, type FxRounding } from '../../core/fx/conversion.js';
import { parseAmount } from '../../core/money/amount.js';
import { isCurrency, scaleOf, type Currency } from '../../core/money/currency.js';
import type { AccountLookup } from '../ledger/ledger-api.js';
import { isSystemId } from '../lending/ids.js';
import { openSystemAccount } from '../ledger/system-accounts.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import { conversionActorId, type ConversionMessage } from './conversion-behavior.js';

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
 * amount in the source's, opens the FX position of each currency on first use, and asks
 * the conversion's actor. The rules (rate, rounding, what is refused) are the decider's
 * (core/fx); the answer is the conversion as it stands — its legs follow through the outbox.
 */
export class FxService implements FxApi {
  private readonly positionsOpen = new Set<Currency>();

  constructor(
    private readonly bus: Bus,
    private readonly accounts: AccountLookup,
  ) {}

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
    for (const currency of new Set([fromCurrency, toCurrency])) {
      const opened = await this.openPosition(currency);
      if (!opened.ok) return opened as ActorReply<ConversionState>;
    }
    const request = { id: input.id, fromAccount: input.from, fromCurrency, toAccount: input.to, toCurrency, amount: amount.minor, rate: input.rate, rounding: input.rounding };
    const message: ConversionMessage = { type: 'convert', data: { request, fromScale: scaleOf(fromCurrency), toScale: scaleOf(toCurrency) } };
    return this.bus.ask(conversionActorId(input.id), message) as Promise<ActorReply<ConversionState>>;
  }

  getConversion(id: string): Promise<ActorReply<ConversionState>> {
    return this.bus.ask(conversionActorId(id), { type: 'get_conversion' } satisfies ConversionMessage) as Promise<ActorReply<ConversionState>>;
  }

  /** The currency's FX position (may run below zero: what the platform sold of it). */
  private async openPosition(currency: Currency): Promise<ActorReply> {
    if (this.positionsOpen.has(currency) || !isCurrency(currency)) return { ok: true, value: null };
    const opened = await openSystemAccount(this.bus, { id: fxPositionAccount(currency), kind: 'fx_position', overdraft: true, currency });
    if (opened.ok) this.positionsOpen.add(currency);
    return opened;
  }
}
