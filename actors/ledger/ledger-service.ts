import type { AccountDirectoryEntry, AccountInfo } from '../../core/ledger/account.js';
import { partFor, subAccountsMax } from '../../core/ledger/routing.js';
import { reversalIdOf, type CreditRecord, type TransferRecord } from '../../core/ledger/transfer.js';
import { parseAmount } from '../../core/money/amount.js';
import type { JournalReader } from '../../persistence/journal.js';
import type { AccountReading } from '../account/account-behavior.js';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import { isSystemId } from '../lending/ids.js';
import type { ActorReply } from '../runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../runtime/errors.js';
import type { Bus } from '../runtime/relay.js';
import type { AccountBalances, Balances, LedgerApi, OpenAccountInput, TransferInput, TransferStatus } from './ledger-api.js';
import { SiblingBalancer } from './sibling-balancer.js';

function refuse(code: string, detail: string): { ok: false; code: string; detail: string } {
  return { ok: false, code, detail };
}

const isShort = (reply: ActorReply) => !reply.ok && reply.code === 'sub_account_short';

/**
 * The ledger as the gateway sees it, on the node that holds the accounts: it parses
 * amounts in the account's currency, finds which actor a command goes to (through the
 * directory and the transfer index; for a hot account, the sub-account a hash of the
 * transfer id names) and asks it. A hot sub-account short of funds is topped up from its
 * siblings before its final answer.
 */
export class LedgerService implements LedgerApi {
  private readonly balancer: SiblingBalancer;

  constructor(
    private readonly bus: Bus,
    private readonly indexes: JournalReader,
    private readonly isOverloaded: () => boolean,
  ) {
    this.balancer = new SiblingBalancer(bus);
  }

  async openAccount(input: OpenAccountInput): Promise<ActorReply<AccountInfo>> {
    if (isSystemId(input.id)) return reservedId(input.id);
    const subAccounts = input.subAccounts ?? 1;
    const bufferCredits = input.bufferCredits ?? false;
    if (!Number.isInteger(subAccounts) || subAccounts < 1 || subAccounts > subAccountsMax) {
      return refuse('invalid_field', `subAccounts is 1..${subAccountsMax}`);
    }
    const data = { id: input.id, kind: input.kind, currency: input.currency, overdraft: input.overdraft, subAccounts, bufferCredits };
    const known = this.directory(input.id);
    if (known !== null && (known.subAccounts !== subAccounts || known.kind !== input.kind)) {
      return refuse('id_reused_with_different_content', `account ${input.id} is already open with other settings`);
    }
    if (subAccounts === 1) return this.bus.ask(accountActorId(input.id), { type: 'open_account', data: { ...data, subIndex: 0 } } satisfies AccountMessage) as Promise<ActorReply<AccountInfo>>;
    // Sub-accounts 1..N-1 first; sub-account 0 writes the directory entry last, so the
    // account exists for others only once every part does. A crash between: retry the open.
    const others = await Promise.all(
      Array.from({ length: subAccounts - 1 }, (_, i) => this.bus.ask(accountActorId(input.id, i + 1), { type: 'open_account', data: { ...data, subIndex: i + 1 } } satisfies AccountMessage)),
    );
    const refused = others.find((reply) => !reply.ok);
    if (refused !== undefined) return refused as ActorReply<AccountInfo>;
    return this.bus.ask(accountActorId(input.id, 0), { type: 'open_account', data: { ...data, subIndex: 0 } } satisfies AccountMessage) as Promise<ActorReply<AccountInfo>>;
  }

  async getAccount(id: string): Promise<ActorReply<AccountBalances>> {
    const entry = this.directory(id);
    if (entry === null) return refuse('account_not_found', `no account ${id}`);
    const readings = await Promise.all(this.actorsOf(entry).map((actor) => this.bus.ask(actor, { type: 'get_account' } satisfies AccountMessage)));
    const failed = readings.find((reply) => !reply.ok);
    if (failed !== undefined) return failed as ActorReply<AccountBalances>;
    const parts = readings.map((reply) => (reply as { value: AccountReading }).value);
    const first = parts[0]?.state;
    if (first === undefined || first.info === null) return refuse('account_not_found', `no account ${id}`);
    const figures = parts.map(balancesOf);
    const sum = (pick: (b: Balances) => bigint) => figures.reduce((total, b) => total + pick(b), 0n);
    return {
      ok: true,
      value: {
        info: first.info,
        closedAt: first.closedAt,
        debitsPosted: sum((b) => b.debitsPosted),
        creditsPosted: sum((b) => b.creditsPosted),
        debitsPending: sum((b) => b.debitsPending),
        siblingNet: sum((b) => b.siblingNet),
        holds: figures.reduce((total, b) => total + b.holds, 0),
        bufferedCount: figures.reduce((total, b) => total + b.bufferedCount, 0),
        bufferedTotal: sum((b) => b.bufferedTotal),
        parts: entry.subAccounts > 1 ? figures : [],
      },
    };
  }

  /** A hot account closes when it has no holds and its total is zero: every sub-account closes. */
  async closeAccount(id: string): Promise<ActorReply<{ closedAt: number }>> {
    const entry = this.directory(id);
    if (entry === null) return refuse('account_not_found', `no account ${id}`);
    if (isSystemId(id)) return protectedAccount(id, id);
    if (entry.subAccounts === 1) return this.bus.ask(accountActorId(id), { type: 'close_account' } satisfies AccountMessage) as Promise<ActorReply<{ closedAt: number }>>;
    const account = await this.getAccount(id);
    if (!account.ok) return account;
    if (account.value.holds > 0) return refuse('account_has_pending_transfers', `${account.value.holds} pending transfer(s) still hold funds`);
    if (totalOf(account.value) !== 0n) return refuse('account_balance_not_zero', 'only an account with a zero balance can be closed');
    let last: ActorReply = { ok: true, value: { closedAt: 0 } };
    for (let part = entry.subAccounts - 1; part >= 0; part--) {
      last = await this.bus.ask(accountActorId(id, part), { type: 'close_account' } satisfies AccountMessage);
      if (!last.ok) return last as ActorReply<{ closedAt: number }>;
    }
    return last as ActorReply<{ closedAt: number }>;
  }

  createTransfer(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    if (this.isOverloaded()) return Promise.reject(new ActorRuntimeError('overloaded', 'the node has too many credits in flight; retry shortly'));
    if (isSystemId(input.id)) return Promise.resolve(reservedId(input.id));
    if (isSystemId(input.debit) || isSystemId(input.credit)) return Promise.resolve(protectedAccount(input.debit, input.credit));
    return this.transferAnyAccount(input);
  }

  /**
   * A transfer that may touch system accounts: for fundcore's own repairs (a supplementary
   * posting after reconciliation, with the ops key), never for a client's transfer.
   */
  transferAnyAccount(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    const debit = this.directory(input.debit);
    if (debit === null) return Promise.resolve(refuse('debit_account_not_found', `no account ${input.debit}`));
    const amount = parseAmount(input.amount, debit.currency);
    if (!amount.ok) return Promise.resolve(refuse(amount.code, amount.detail));
    const { id, credit, pending, timeoutMs, memo } = input;
    const content = { debit: input.debit, credit, amount: amount.minor, pending, timeoutMs, memo };
    const part = partFor(id, debit.subAccounts);
    const actor = accountActorId(input.debit, part);
    const first = this.bus.ask(actor, { type: 'create_transfer', data: { id, content, final: part === null } } satisfies AccountMessage);
    if (part === null) return first as Promise<ActorReply<TransferRecord>>;
    return first.then(async (reply) => {
      if (!isShort(reply)) return reply as ActorReply<TransferRecord>;
      await this.balancer.topUp(input.debit, debit.subAccounts, part, amount.minor);
      return this.bus.ask(actor, { type: 'create_transfer', data: { id, content, final: true } } satisfies AccountMessage) as Promise<ActorReply<TransferRecord>>;
    });
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
    const message: AccountMessage = { type: 'post_pending', data: { transferId, amount } };
    return this.bus.ask(accountActorId(record.debit, record.debitPart), message) as Promise<ActorReply<TransferRecord>>;
  }

  async voidPending(transferId: string): Promise<ActorReply<TransferRecord>> {
    const record = this.transfer(transferId);
    if (record === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    if (isSystemId(record.debit) || isSystemId(record.credit)) return protectedAccount(record.debit, record.credit);
    const message: AccountMessage = { type: 'void_pending', data: { transferId } };
    return this.bus.ask(accountActorId(record.debit, record.debitPart), message) as Promise<ActorReply<TransferRecord>>;
  }

  /** Goes to the original credit (sub-)account: it alone knows whether the money arrived and is still there. */
  async reverseTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const original = this.transfer(transferId);
    if (original === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.reverseRecorded(original, memo);
  }

  /**
   * The reversal of a transfer whose record the caller found (in cluster mode, on the debit
   * account's node), asked of the original credit (sub-)account.
   */
  async reverseRecorded(original: TransferRecord, memo: string | null): Promise<ActorReply<TransferRecord>> {
    if (isSystemId(original.debit) || isSystemId(original.credit)) return protectedAccount(original.debit, original.credit);
    return this.reversalOf(original, memo);
  }

  /** A reversal that may touch system accounts: for reconciliation repairs (ops key) only. */
  async reverseAnyTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const original = this.transfer(transferId);
    if (original === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.reversalOf(original, memo);
  }

  /** reverseAnyTransfer of a record the caller found (in cluster mode, on the debit account's node). */
  reverseAnyRecorded(original: TransferRecord, memo: string | null): Promise<ActorReply<TransferRecord>> {
    return this.reversalOf(original, memo);
  }

  private async reversalOf(original: TransferRecord, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const transferId = original.id;
    const actor = accountActorId(original.credit, original.creditPart);
    const reverse = (final: boolean): AccountMessage => ({ type: 'reverse_transfer', data: { transferId, reversalId: reversalIdOf(transferId), memo, original, final } });
    const reply = await this.bus.ask(actor, reverse(original.creditPart === null));
    if (!isShort(reply) || original.creditPart === null) return reply as ActorReply<TransferRecord>;
    const entry = this.directory(original.credit);
    if (entry !== null) await this.balancer.topUp(original.credit, entry.subAccounts, original.creditPart, original.postedAmount ?? original.amount);
    return this.bus.ask(actor, reverse(true)) as Promise<ActorReply<TransferRecord>>;
  }

  async getTransfer(id: string): Promise<ActorReply<TransferStatus>> {
    const record = this.transfer(id);
    if (record === null) return refuse('transfer_not_found', `no transfer ${id}`);
    const credit = (this.indexes.getIndex('credits', id) as CreditRecord | undefined) ?? null;
    const reversedBy = (this.indexes.getIndex('reversals', id) as string | undefined) ?? null;
    return { ok: true, value: { record, credit, reversedBy } };
  }

  private actorsOf(entry: AccountDirectoryEntry): string[] {
    if (entry.subAccounts === 1) return [accountActorId(entry.id)];
    return Array.from({ length: entry.subAccounts }, (_, part) => accountActorId(entry.id, part));
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

function balancesOf({ state, bufferedCount, bufferedTotal }: AccountReading): Balances {
  return {
    debitsPosted: state.debitsPosted,
    creditsPosted: state.creditsPosted,
    debitsPending: state.debitsPending,
    siblingNet: state.siblingNet,
    holds: state.holds.size,
    bufferedCount,
    bufferedTotal,
  };
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

/** An account's balance: posted credits − debits, plus what its sub-accounts moved among themselves. */
export function totalOf(balances: Balances): bigint {
  return balances.creditsPosted - balances.debitsPosted + balances.siblingNet;
}

function runtimeFailure(error: unknown): ActorReply<TransferRecord> {
  if (isRuntimeError(error)) return { ok: false, code: error.code, detail: error.message };
  throw error;
}

