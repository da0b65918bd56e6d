import { defaultPaymentStrategies, type PaymentStrategies } from '../../core/ledger/payment-strategy.js';
import { currencies } from '../../core/money/currency.js';
import { captureRequestCause, runAsCaptured, type RequestCause } from '../runtime/cause.js';
import { TurnBatch } from '../runtime/turn-batch.js';
import { withFields } from '../../core/with-fields.js';
import type { AccountInfo, AccountSettings } from '../../core/ledger/account.js';
import { partFor, subAccountsMax } from '../../core/ledger/routing.js';
import type { IdOwnerReply } from '../../core/ledger/id-owner.js';
import { reversalIdOf, type TransferRecord } from '../../core/ledger/transfer.js';
import { parseAmount } from '../../core/money/amount.js';
import type { AccountReading } from '../account/account-behavior.js';
import { accountActorId, openPartAsk, type AccountMessage, type TransferFinding } from '../account/messages.js';
import { isSystemId } from '../lending/ids.js';
import type { ActorReply } from '../runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../runtime/errors.js';
import type { Bus } from '../runtime/relay.js';
import { AccountSettingsLookup } from './account-settings.js';
import type { AccountBalances, Balances, LedgerApi, OpenAccountInput, TransferInput, TransferStatus } from './ledger-api.js';
import { SiblingBalancer } from './sibling-balancer.js';
import { claimTransfer, claimTransfers, prepareTransfer, preparedWith, type PreparedTransfer, type Refusal } from './transfer-claims.js';
import { accountOwnerActorId, claimId, findId, transferOwnerActorId } from './id-owners.js';
import { hotCloseActorId, type HotCloseMessage } from './hot-close-behavior.js';
import type { HotCloseView } from '../../core/ledger/hot-close.js';
import { awaitSettledMessage } from '../runtime/settle-waits.js';

function refuse(code: string, detail: string): Refusal {
  return { ok: false, code, detail };
}

const isShort = (reply: ActorReply) => !reply.ok && reply.code === 'sub_account_short';

/** One transfer to decide, with the request it is on behalf of (undefined: fundcore's own work). */
interface TransferOrder {
  readonly input: TransferInput;
  readonly cause: RequestCause | undefined;
}

/** An order ready for its id's owner, or its answer already (a refusal), or the runtime failure it met. */
type PreparedOrder = PromiseSettledResult<PreparedTransfer | ActorReply<TransferRecord>>;

/**
 * The most single transfers of one event-loop turn decided as one batch: the size of the
 * largest batch request (gateway batches are at most 8,000 items), so a turn's batch costs
 * no more than one of those.
 */
export const transferTurnBatchItemsMax = 8_000;

/** A transfer as found: its record on the debit side, and where that is. */
interface FoundTransfer {
  readonly record: TransferRecord;
  readonly debit: AccountSettings;
}

/**
 * The ledger as the gateway sees it, the same in one node and in a cluster: it validates,
 * asks the actors that decide, and maps their replies; it reads no journal. An account's
 * settings (its currency, its sub-accounts) are asked of the account; a transfer id is bound
 * to its debit account by the id's owner (`tid:<group>`) before that account decides, and
 * the owner says where a transfer's record is. For a hot account, the sub-account a hash of
 * the transfer id names decides; short of funds, it is topped up from its siblings before
 * its final answer.
 */
export class LedgerService implements LedgerApi {
  private readonly balancer: SiblingBalancer;
  private readonly settings: AccountSettingsLookup;
  private readonly turnBatch = new TurnBatch<TransferOrder, ActorReply<TransferRecord>>((orders) => this.decideTransfers(orders), transferTurnBatchItemsMax);

  constructor(
    private readonly bus: Bus,
    private readonly isOverloaded: () => boolean,
    /** The currencies accounts may be opened in (FUNDCORE_CURRENCIES); every known one by default. */
    private readonly currenciesBooked: ReadonlySet<string> = new Set(currencies),
    /** Which natures each operation may draw from a wallet (FUNDCORE_PAYMENT_STRATEGIES). */
    readonly strategies: PaymentStrategies = defaultPaymentStrategies,
  ) {
    this.balancer = new SiblingBalancer(bus);
    this.settings = new AccountSettingsLookup(bus);
  }

  async openAccount(input: OpenAccountInput): Promise<ActorReply<AccountInfo>> {
    if (isSystemId(input.id)) return reservedId(input.id);
    if (!this.currenciesBooked.has(input.currency)) return refuse('currency_not_configured', `this platform books ${[...this.currenciesBooked].join(', ')}; not ${input.currency}`);
    const subAccounts = input.subAccounts ?? 1;
    const bufferCredits = input.bufferCredits ?? false;
    if (!Number.isInteger(subAccounts) || subAccounts < 1 || subAccounts > subAccountsMax) {
      return refuse('invalid_field', `subAccounts is 1..${subAccountsMax}`);
    }
    const data = { id: input.id, kind: input.kind, currency: input.currency, overdraft: input.overdraft, subAccounts, bufferCredits };
    // The id's owner binds it to these settings first: the same id with others is refused there,
    // whether it names a plain account or a hot one. A crash after: the open is retried.
    const claim = await this.bus.ask(accountOwnerActorId(input.id), claimId<AccountSettings>(input.id, data));
    if (!claim.ok) return claim.code === 'id_reused_with_different_content' ? refuse(claim.code, `account ${input.id} is already open with other settings`) : refuse(claim.code, claim.detail);
    this.settings.remember(data);
    const open = (part: number) => {
      const { actorId, message } = openPartAsk(data, part);
      return this.bus.ask(actorId, message) as Promise<ActorReply<AccountInfo>>;
    };
    // Sub-accounts 1..N-1 first; sub-account 0 writes the directory entry last, so the account
    // exists for other accounts only once every part does. A crash between: the binding's
    // outbox finishes the open (actors/ledger/id-owners.ts); asked here to answer from it.
    const others = await Promise.all(Array.from({ length: subAccounts - 1 }, (_, i) => open(i + 1)));
    const refused = others.find((reply) => !reply.ok);
    if (refused !== undefined) return refused;
    return open(0);
  }

  async getAccount(id: string): Promise<ActorReply<AccountBalances>> {
    const settings = await this.settings.of(id);
    if (settings === null) return refuse('account_not_found', `no account ${id}`);
    const readings = await Promise.all(AccountSettingsLookup.actorsOf(settings).map((actor) => this.bus.ask(actor, { type: 'get_account' } satisfies AccountMessage)));
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
        natures: first.natures ?? null,
        // A snapshot from before liens has none (the field is filled in at load; `?.` for a reading from an older node).
        openInvestments: parts.flatMap(({ state }) => [...(state.investmentLiens?.keys() ?? [])]).sort(),
        debitsPosted: sum((b) => b.debitsPosted),
        creditsPosted: sum((b) => b.creditsPosted),
        debitsPending: sum((b) => b.debitsPending),
        siblingNet: sum((b) => b.siblingNet),
        holds: figures.reduce((total, b) => total + b.holds, 0),
        bufferedCount: figures.reduce((total, b) => total + b.bufferedCount, 0),
        bufferedTotal: sum((b) => b.bufferedTotal),
        parts: settings.subAccounts > 1 ? figures : [],
      },
    };
  }

  /**
   * A plain account closes in one step. A hot account's close is a process of its own
   * (`hclose:<id>`, core/ledger/hot-close.ts): asked, then waited for (bounded); still under
   * way after the wait → `closedAt: null` (asking again waits again).
   */
  async closeAccount(id: string): Promise<ActorReply<{ closedAt: number | null }>> {
    const settings = await this.settings.of(id);
    if (settings === null) return refuse('account_not_found', `no account ${id}`);
    if (isSystemId(id)) return protectedAccount(id, id);
    if (settings.subAccounts === 1) return this.bus.ask(accountActorId(id), { type: 'close_account' } satisfies AccountMessage) as Promise<ActorReply<{ closedAt: number }>>;
    const process = hotCloseActorId(id);
    const started = await this.bus.ask(process, { type: 'close_account', data: { accountId: id, subAccounts: settings.subAccounts } } satisfies HotCloseMessage);
    if (!started.ok) return started;
    const { closeNo } = started.value as HotCloseView;
    const waited = await this.bus.ask(process, awaitSettledMessage);
    if (!waited.ok) return waited;
    const view = waited.value as HotCloseView;
    if (view.phase === 'closed') return { ok: true, value: { closedAt: view.closedAt } };
    if (view.phase === 'idle' && view.closeNo === closeNo && view.refusal !== null) return refuse(view.refusal.code, view.refusal.detail);
    return { ok: true, value: { closedAt: null } };
  }

  /**
   * A client's transfer: from a wallet it is spending, and draws what the spend strategy
   * lists. It rides the batch path: the single transfers of one event-loop turn are decided
   * together (their ids claimed with one message per owner), each on behalf of its own
   * request and answered as if alone.
   */
  createTransfer(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    const refusal = this.clientRefusal(input);
    if (refusal !== null) return refusal;
    return this.turnBatch.add({ input, cause: captureRequestCause() });
  }

  private spending(input: TransferInput): TransferInput {
    return input.draw === undefined ? withFields(input, { draw: this.strategies.spend }) : input;
  }

  /**
   * A transfer that may touch system accounts: for fundcore's own repairs (a supplementary
   * posting after reconciliation, with the ops key), never for a client's transfer.
   */
  async transferAnyAccount(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    const prepared = await prepareTransfer(this.settings, input);
    if (!prepared.ok) return prepared;
    return (await claimTransfer(this.bus, prepared)) ?? this.debited(prepared);
  }

  /** A batch request's items: each its own order of the request (its events name it in the audit trail). */
  async createTransfers(inputs: readonly TransferInput[]): Promise<ActorReply<TransferRecord>[]> {
    const request = captureRequestCause();
    const replies = await this.decideTransfers(inputs.map((input) => ({ input, cause: request === undefined ? undefined : { ...request, orderId: input.id } })));
    // A runtime failure is that item's refusal; the others stand.
    return Promise.all(replies.map((reply) => reply.catch(runtimeFailure)));
  }

  /**
   * Each item on its own, in order: the items' ids are claimed with one message per owner,
   * then each item is asked of its debit account in the batch's order — so items on one
   * account reach it in their order. Every step of an item runs on behalf of its own
   * request. Per item its reply, or the runtime failure it met (a single transfer's caller
   * sees it thrown, as it always did).
   */
  private async decideTransfers(orders: readonly TransferOrder[]): Promise<Promise<ActorReply<TransferRecord>>[]> {
    const prepared = await this.prepareAll(orders);
    const ready = prepared.map((item) => (item.status === 'fulfilled' && item.value.ok && 'bind' in item.value ? item.value : null));
    const refusals = await claimTransfers(this.bus, ready, orders.map(({ cause }) => cause));
    return prepared.map((item, i) => {
      if (item.status === 'rejected') return Promise.reject(item.reason);
      const transfer = ready[i];
      if (transfer === null || transfer === undefined) return Promise.resolve(item.value as ActorReply<TransferRecord>);
      const refused = refusals[i];
      if (refused !== null && refused !== undefined) return Promise.resolve(refused);
      return runAsCaptured(orders[i]?.cause, () => this.debited(transfer));
    });
  }

  /**
   * Each order checked and prepared, as `Promise.allSettled` would give it. Most are ready at
   * once (their debit account's settings are kept): the batch waits only if some are not.
   */
  private prepareAll(orders: readonly TransferOrder[]): Promise<PreparedOrder[]> | PreparedOrder[] {
    const prepared = orders.map((order) => this.prepareOne(order));
    return prepared.some((item) => item instanceof Promise) ? Promise.all(prepared) : (prepared as PreparedOrder[]);
  }

  /** One order checked, then prepared: at once from kept settings, else asked of the account id's owner on behalf of its request. */
  private prepareOne({ input, cause }: TransferOrder): PreparedOrder | Promise<PreparedOrder> {
    const check = this.clientCheck(input);
    if (check instanceof ActorRuntimeError) return { status: 'rejected', reason: check };
    if (check !== null) return { status: 'fulfilled', value: check };
    const debit = this.settings.known(input.debit);
    if (debit !== undefined) return { status: 'fulfilled', value: preparedWith(debit, this.spending(input)) };
    return runAsCaptured(cause, () => prepareTransfer(this.settings, this.spending(input))).then(
      (value): PreparedOrder => ({ status: 'fulfilled', value }),
      (reason: unknown): PreparedOrder => ({ status: 'rejected', reason }),
    );
  }

  async postPending(transferId: string, amountText: string | null): Promise<ActorReply<TransferRecord>> {
    const found = await this.find(transferId);
    if (found === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    const { record } = found;
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
    const found = await this.find(transferId);
    if (found === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    const { record } = found;
    if (isSystemId(record.debit) || isSystemId(record.credit)) return protectedAccount(record.debit, record.credit);
    const message: AccountMessage = { type: 'void_pending', data: { transferId } };
    return this.bus.ask(accountActorId(record.debit, record.debitPart), message) as Promise<ActorReply<TransferRecord>>;
  }

  /** Goes to the original credit (sub-)account: it alone knows whether the money arrived and is still there. */
  async reverseTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const found = await this.find(transferId);
    if (found === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    const { record } = found;
    if (isSystemId(record.debit) || isSystemId(record.credit)) return protectedAccount(record.debit, record.credit);
    return this.reversalOf(record, memo);
  }

  /** A reversal that may touch system accounts: for reconciliation repairs (ops key) only. */
  async reverseAnyTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const found = await this.find(transferId);
    if (found === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.reversalOf(found.record, memo);
  }

  async getTransfer(id: string): Promise<ActorReply<TransferStatus>> {
    const found = await this.find(id);
    if (found === null) return refuse('transfer_not_found', `no transfer ${id}`);
    const { record } = found;
    const creditSide = await this.findingAt(accountActorId(record.credit, record.creditPart), id);
    return { ok: true, value: { record, credit: creditSide.credit, reversedBy: creditSide.reversedBy } };
  }

  /** A client may neither use fundcore's own ids nor move money on its system accounts. */
  private clientRefusal(input: TransferInput): Promise<ActorReply<TransferRecord>> | null {
    const check = this.clientCheck(input);
    if (check === null) return null;
    return check instanceof ActorRuntimeError ? Promise.reject(check) : Promise.resolve(check);
  }

  /** The same check: the refusal, the runtime failure (an overloaded node), or null (none). */
  private clientCheck(input: TransferInput): ActorReply<TransferRecord> | ActorRuntimeError | null {
    if (this.isOverloaded()) return new ActorRuntimeError('overloaded', 'the node has too many credits in flight; retry shortly');
    if (isSystemId(input.id)) return reservedId(input.id);
    if (isSystemId(input.debit) || isSystemId(input.credit)) return protectedAccount(input.debit, input.credit);
    return null;
  }

  /** Asks the debit (sub-)account; the first ask is made before this returns (callers rely on the order). */
  private debited({ id, content, debit, part }: PreparedTransfer): Promise<ActorReply<TransferRecord>> {
    const actor = accountActorId(debit.id, part);
    const first = this.bus.ask(actor, { type: 'create_transfer', data: { id, content, final: part === null } } satisfies AccountMessage);
    if (part === null) return first as Promise<ActorReply<TransferRecord>>;
    return first.then(async (reply) => {
      if (!isShort(reply)) return reply as ActorReply<TransferRecord>;
      await this.balancer.topUp(debit.id, debit.subAccounts, part, content.amount);
      return this.bus.ask(actor, { type: 'create_transfer', data: { id, content, final: true } } satisfies AccountMessage) as Promise<ActorReply<TransferRecord>>;
    });
  }

  /** The reversal, bound to the original credit account (it debits it), then asked of it. */
  private async reversalOf(original: TransferRecord, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const transferId = original.id;
    const reversalId = reversalIdOf(transferId);
    const claim = await this.bus.ask(transferOwnerActorId(reversalId), claimId(reversalId, original.credit));
    if (!claim.ok) return refuse(claim.code, claim.detail);
    const actor = accountActorId(original.credit, original.creditPart);
    const reverse = (final: boolean): AccountMessage => ({ type: 'reverse_transfer', data: { transferId, reversalId, memo, original, final } });
    const reply = await this.bus.ask(actor, reverse(original.creditPart === null));
    if (!isShort(reply) || original.creditPart === null) return reply as ActorReply<TransferRecord>;
    const credit = await this.settings.of(original.credit);
    if (credit !== null) await this.balancer.topUp(original.credit, credit.subAccounts, original.creditPart, original.postedAmount ?? original.amount);
    return this.bus.ask(actor, reverse(true)) as Promise<ActorReply<TransferRecord>>;
  }

  /** The transfer's record, asked of the account its owner names (a refused transfer command is kept for idempotency, but there is no such transfer). */
  private async find(transferId: string): Promise<FoundTransfer | null> {
    const owner = await this.bus.ask(transferOwnerActorId(transferId), findId(transferId));
    if (!owner.ok) throw new ActorRuntimeError('internal_error', `the owner of transfer ${transferId} refused a look-up: ${owner.code}`);
    const debitId = (owner.value as IdOwnerReply<string>).value;
    if (debitId === null) return null;
    const debit = await this.settings.of(debitId);
    if (debit === null) return null;
    const { record } = await this.findingAt(accountActorId(debitId, partFor(transferId, debit.subAccounts)), transferId);
    return record === null || record.status === 'rejected' ? null : { record, debit };
  }

  private async findingAt(actorId: string, transferId: string): Promise<TransferFinding> {
    const reply = await this.bus.ask(actorId, { type: 'find_transfer', data: { transferId } } satisfies AccountMessage);
    if (!reply.ok) throw new ActorRuntimeError('internal_error', `${actorId} refused a look-up: ${reply.code}`);
    return reply.value as TransferFinding;
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

