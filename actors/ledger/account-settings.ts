import type { AccountSettings } from '../../core/ledger/account.js';
import type { IdOwnerReply } from '../../core/ledger/id-owner.js';
import { accountActorId } from '../account/messages.js';
import { ActorRuntimeError } from '../runtime/errors.js';
import type { Bus } from '../runtime/relay.js';
import { accountOwnerActorId, findId } from './id-owners.js';

/** Accounts whose settings one service keeps; beyond, the oldest are asked again when next used. */
export const accountSettingsCachedMax = 100_000;

/**
 * An account's settings, asked of its id's owner (`aid:<group>`), which bound them when the
 * account was opened. They never change, so an answer is kept; "no such account" is not (it
 * may be opened next).
 */
export class AccountSettingsLookup {
  private readonly cached = new Map<string, AccountSettings>();

  constructor(private readonly bus: Bus) {}

  /** The settings if kept, without asking (undefined: not kept; ask with `of`). */
  known(accountId: string): AccountSettings | undefined {
    return this.cached.get(accountId);
  }

  async of(accountId: string): Promise<AccountSettings | null> {
    const known = this.cached.get(accountId);
    if (known !== undefined) return known;
    const reply = await this.bus.ask(accountOwnerActorId(accountId), findId(accountId));
    if (!reply.ok) throw new ActorRuntimeError('internal_error', `the owner of account id ${accountId} refused a look-up: ${reply.code}`);
    const settings = (reply.value as IdOwnerReply<AccountSettings>).value;
    if (settings === null) return null;
    this.remember(settings);
    return settings;
  }

  remember(settings: AccountSettings): void {
    if (this.cached.has(settings.id)) return;
    if (this.cached.size >= accountSettingsCachedMax) this.cached.delete(this.cached.keys().next().value as string);
    this.cached.set(settings.id, settings);
  }

  /** The actors of an account: itself, or each of its sub-accounts. */
  static actorsOf(settings: AccountSettings): string[] {
    if (settings.subAccounts === 1) return [accountActorId(settings.id)];
    return Array.from({ length: settings.subAccounts }, (_, part) => accountActorId(settings.id, part));
  }
}
