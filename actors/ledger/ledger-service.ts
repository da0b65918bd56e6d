import type { AccountDirectoryEntry, AccountInfo, AccountState } from '../../core/ledger/account.js';
import { reversalIdOf, type CreditRecord, type TransferRecord } from '../../core/ledger/transfer.js';
import { parseAmount } from '../../core/money/amount.js';
import type { JournalReader } from '../../persistence/journal.js';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import type { ActorReply } from '../runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../runtime/errors.js';
import type { Bus } from '../runtime/relay.js';
import type { AccountBalances, LedgerApi, OpenAccountInput, TransferInput, TransferStatus } from './ledger-api.js';
import { isSystemId } from '../lending/ids.js';

function refuse(code: string, detail: string): { ok: false; code: string; detail: string } {
  return { ok: false, code, detail };
}

/**
 * The ledger as the gateway sees it, on the node that holds the accounts: it parses
 * amounts in the account's currency, finds which actor a command goes to (through the
 * directory and the transfer index) and asks it.
 */
export class LedgerService implements LedgerApi {
  constructor(
    private readonly bus: Bus,
    private readonly indexes: JournalReader,
    private readonly isOverloaded: () => boolean,
  ) {}

  openAccount(input: OpenAccountInput): Promise<ActorReply<AccountInfo>> {
    if (isSystemId(input.id)) return Promise.resolve(reservedId(input.id));
    const message: AccountMessage = { type: 'open_account', data: input };
    return this.ask(input.id, message) as Promise<ActorReply<AccountInfo>>;
  }

  async getAccount(id: string): Promise<ActorReply<AccountBalances>> {
    if (this.directory(id) === null) return refuse('account_not_found', `no account ${id}`);
    const reply = await this.ask(id, { type: 'get_account' });
    if (!reply.ok) return reply;
    const state = reply.value as AccountState;
    if (state.info === null) return refuse('account_not_found', `no account ${id}`);
    const { info, closedAt, debitsPosted, creditsPosted, debitsPending, holds } = state;
    return { ok: true, value: { info, closedAt, debitsPosted, creditsPosted, debitsPending, holds: holds.size } };
  }

  async closeAccount(id: string): Promise<ActorReply<{ closedAt: number }>> {
    if (isSystemId(id) && this.directory(id) !== null) return protectedAccount(id, id);
    if (this.directory(id) === null) return refuse('account_not_found', `no account ${id}`);
    return this.ask(id, { type: 'close_account' }) as Promise<ActorReply<{ closedAt: number }>>;
  }

  createTransfer(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    if (this.isOverloaded()) return Promise.reject(new ActorRuntimeError('overloaded', 'the node has too many credits in flight; retry shortly'));
    if (isSystemId(input.id)) return Promise.resolve(reservedId(input.id));
    if (isSystemId(input.debit) || isSystemId(input.credit)) return Promise.resolve(protectedAccount(input.debit, input.credit));
    const debit = this.directory(input.debit);
    if (debit === null) return Promise.resolve(refuse('debit_account_not_found', `no account ${input.debit}`));
    const amount = parseAmount(input.amount, debit.currency);
    if (!amount.ok) return Promise.resolve(refuse(amount.code, amount.detail));
    const { id, credit, pending, timeoutMs, memo } = input;
    const message: AccountMessage = {
      type: 'create_transfer',
      data: { id, content: { debit: input.debit, credit, amount: amount.minor, pending, timeoutMs, memo } },
    };
    return this.ask(input.debit, message) as Promise<ActorReply<TransferRecord>>;
  }

  createTransfers(inputs: readonly TransferInput[]): Promise<ActorReply<TransferRecord>[]> {
    // Every ask is enqueued before the first await, so items on one account keep their order.
    const replies = inputs.map((input) => this.createTransfer(input).catch((error: unknown) => runtimeFailure(error)));
    return Promise.all(replies);
  }

  async postPending(transferId: string, amountText: string | null): Promise<ActorReply<TransferRecord>> {
    const record = this.transfer(transferId);
    if (record === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    if (isSystemId(record.debit) || isSystemId(record.credit)) return protectedAccount(record.debit, record.credit);
    let amount: bigint | null = null;
    if (amountText !== null) {
      const parsed = parseAmount(amountText, record.currency);
      if (!parsed.ok) return refuse(parsed.code, parsed.detail);
      amount = parsed.minor;
    }
    return this.ask(record.debit, { type: 'post_pending', data: { transferId, amount } }) as Promise<ActorReply<TransferRecord>>;
  }

  async voidPending(transferId: string): Promise<ActorReply<TransferRecord>> {
    const record = this.transfer(transferId);
    if (record === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    if (isSystemId(record.debit) || isSystemId(record.credit)) return protectedAccount(record.debit, record.credit);
    return this.ask(record.debit, { type: 'void_pending', data: { transferId } }) as Promise<ActorReply<TransferRecord>>;
  }

  /** Goes to the original credit account: it alone knows whether the money arrived and is still there. */
  async reverseTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const original = this.transfer(transferId);
    if (original === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    if (isSystemId(original.debit) || isSystemId(original.credit)) return protectedAccount(original.debit, original.credit);
    const message: AccountMessage = { type: 'reverse_transfer', data: { transferId, reversalId: reversalIdOf(transferId), memo, original } };
    return this.ask(original.credit, message) as Promise<ActorReply<TransferRecord>>;
  }

  async getTransfer(id: string): Promise<ActorReply<TransferStatus>> {
    const record = this.transfer(id);
    if (record === null) return refuse('transfer_not_found', `no transfer ${id}`);
    const credit = (this.indexes.getIndex('credits', id) as CreditRecord | undefined) ?? null;
    const reversedBy = (this.indexes.getIndex('reversals', id) as string | undefined) ?? null;
    return { ok: true, value: { record, credit, reversedBy } };
  }

  private ask(accountId: string, message: AccountMessage): Promise<ActorReply> {
    return this.bus.ask(accountActorId(accountId), message);
  }

  private directory(accountId: string): AccountDirectoryEntry | null {
    return (this.indexes.getIndex('directory', accountId) as AccountDirectoryEntry | undefined) ?? null;
  }

  /** A refused transfer command is kept for idempotency, but there is no such transfer. */
  private transfer(id: string): TransferRecord | null {
    const record = (this.indexes.getIndex('transfers', id) as TransferRecord | undefined) ?? null;
    return record === null || record.status === 'rejected' ? null : record;
  }
}

/** Ids starting with `sys.` name fundcore's own accounts and transfers. */
function reservedId(id: string): { ok: false; code: string; detail: string } {
  return refuse('id_reserved', `${id}: ids starting with "sys." are fundcore's own`);
}

/**
 * Money on system accounts (the bank mirror, the capital pool, …) moves only by the lending
 * processes: a client transfer, post, void or reversal there would break their books.
 */
function protectedAccount(debit: string, credit: string): { ok: false; code: string; detail: string } {
  return refuse('system_account_protected', `${isSystemId(debit) ? debit : credit} is a system account; only fundcore's own processes move its money`);
}

function runtimeFailure(error: unknown): ActorReply<TransferRecord> {
  if (isRuntimeError(error)) return { ok: false, code: error.code, detail: error.message };
  throw error;
}
