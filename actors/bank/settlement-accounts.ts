import { defaultCurrency, type Currency } from '../../core/money/currency.js';
import { bankSettlementAccount } from '../lending/ids.js';
import { openSystemAccount } from '../ledger/system-accounts.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';

/**
 * The bank settlement mirror of each currency (`sys.bank.<CCY>`), opened on first use, as
 * the FX positions are: before the first order in that currency is made, so its postings
 * always find it. The home currency's (`sys.bank`) is opened at every start with the other
 * system accounts. Opening is idempotent (the id's owner binds it to its settings), so two
 * services, two nodes or a restart opening the same one is harmless; the set only saves asks.
 */
export class SettlementAccounts {
  private readonly open = new Set<Currency>([defaultCurrency]);

  constructor(private readonly bus: Bus) {}

  async ensure(currency: Currency): Promise<ActorReply> {
    if (this.open.has(currency)) return { ok: true, value: null };
    // Overdraft, as sys.bank: the mirror goes below zero as money comes in at the bank.
    const opened = await openSystemAccount(this.bus, { id: bankSettlementAccount(currency), kind: 'bank_settlement', overdraft: true, currency });
    if (opened.ok) this.open.add(currency);
    return opened;
  }
}
