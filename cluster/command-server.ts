import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { LedgerService } from '../actors/ledger/ledger-service.js';
import type { TransferInput } from '../actors/ledger/ledger-api.js';
import type { ActorSystem } from '../actors/runtime/actor-system.js';
import type { Logger } from '../actors/runtime/clock.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import type { CreditRecord, TransferRecord } from '../core/ledger/transfer.js';
import type { JournalReader } from '../persistence/journal.js';
import type { AccountDirectoryEntry } from '../core/ledger/account.js';
import { parseAmount } from '../core/money/amount.js';
import { validateTransferContent } from '../core/ledger/decide-transfer.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import type { DirectoryReplica } from './directory-replica.js';
import type { TransferClaims } from './transfer-claims.js';
import type { LeaseManager } from './leases.js';
import { commandSubject } from './partitions.js';
import { decode, encode, failureReply, type ClusterCommand, type TransferFindReply, type TransferFindRequest, type WireReply } from './wire.js';

export interface CommandServerOptions {
  readonly nc: NatsConnection;
  readonly subjectPrefix: string;
  readonly nodeId: string;
  readonly ledger: LedgerService;
  readonly system: ActorSystem;
  /** The node's journal as its actors read it (the directory includes other nodes' accounts). */
  readonly journal: JournalReader;
  readonly directory: DirectoryReplica;
  readonly claims: TransferClaims;
  readonly leases: LeaseManager;
  readonly logger: Logger;
}

export function findSubject(prefix: string): string {
  return `${prefix}.find.transfer`;
}

/**
 * The node's side of routing: while it holds a partition's lease it subscribes to
 * `<prefix>.cmd.<partition>` and hands each command to its LedgerService (or, for
 * actor-to-actor messages, straight to the actor), all in process. It unsubscribes when
 * the lease is lost, so gateways get NoResponders; a command already queued is refused
 * with partition_unavailable by the lease check, and the journal's own fence is the last
 * guard. Commands of one partition enter the actors' mailboxes in arrival order: the
 * directory look-ups some need first are chained per partition.
 *
 * Every node also answers `<prefix>.find.transfer`: what its journal knows of a transfer
 * id, and which partitions it serves (so the asker knows whose "not found" it heard).
 */
export class CommandServer {
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly ordering = new Map<number, Promise<void>>();
  private findSubscription: Subscription | null = null;

  constructor(private readonly options: CommandServerOptions) {}

  start(): void {
    const { nc, subjectPrefix } = this.options;
    this.findSubscription = nc.subscribe(findSubject(subjectPrefix), { callback: (error, msg) => {
      if (error === null) this.find(msg);
    } });
  }

  /** Called by the lease manager: serve a partition's subject, or stop. */
  onLease(partition: number, serving: boolean): void {
    const { nc, subjectPrefix } = this.options;
    const existing = this.subscriptions.get(partition);
    if (serving && existing === undefined) {
      const subscription = nc.subscribe(commandSubject(subjectPrefix, partition), {
        callback: (error, msg) => {
          if (error === null) this.receive(partition, msg);
        },
      });
      this.subscriptions.set(partition, subscription);
    } else if (!serving && existing !== undefined) {
      existing.unsubscribe();
      this.subscriptions.delete(partition);
    }
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
    this.findSubscription?.unsubscribe();
    await Promise.all(this.ordering.values());
  }

  private receive(partition: number, msg: Msg): void {
    let command: ClusterCommand;
    try {
      command = decode<ClusterCommand>(msg.data);
    } catch (error) {
      this.options.logger.error({ err: error, subject: msg.subject }, 'undecodable command');
      this.respond(msg, failureReply(new ActorRuntimeError('internal_error', 'undecodable command')));
      return;
    }
    const previous = this.ordering.get(partition) ?? Promise.resolve();
    const prepared = previous.then(() => this.prepare(partition, command));
    const settled = prepared.then(
      () => {},
      () => {},
    );
    this.ordering.set(partition, settled);
    void settled.then(() => {
      if (this.ordering.get(partition) === settled) this.ordering.delete(partition);
    });
    prepared
      .then((refusals) => this.execute(partition, command, refusals))
      .then((result): WireReply => ({ result }))
      .catch((error: unknown) => this.failure(partition, error, msg))
      .then((reply) => this.respond(msg, reply));
  }

  /**
   * What a command needs before it is decided: the directory entries of other nodes'
   * accounts it will look up, and, for transfers, their ids claimed cluster-wide. Returns
   * the transfers refused by their claim, by position.
   */
  private async prepare(partition: number, command: ClusterCommand): Promise<ReadonlyMap<number, ActorReply>> {
    try {
      return await this.lookUpAndClaim(partition, command);
    } catch (error) {
      if (isRuntimeError(error)) throw error;
      // The directory or the claims bucket cannot be read: nothing was decided, retry.
      throw new ActorRuntimeError('partition_unavailable', `the cluster directory cannot be read right now: ${(error as Error).message}`, { cause: error });
    }
  }

  private async lookUpAndClaim(partition: number, command: ClusterCommand): Promise<ReadonlyMap<number, ActorReply>> {
    const { directory, journal, claims, leases } = this.options;
    if (command.op === 'reverse_transfer') await directory.ensure([command.original.debit], journal);
    if (command.op !== 'create_transfers') return new Map();
    // No claims for a partition not served here: execute refuses it anyway.
    if (!leases.isServing(partition)) return new Map();
    await directory.ensure(command.inputs.map((input) => input.credit), journal);
    const refusals = new Map<number, ActorReply>();
    await Promise.all(
      command.inputs.map(async (input, index) => {
        const recorded = this.recordedIfDecided(input);
        if (recorded === null) return;
        const refusal = recorded ? await claims.claim(input) : await claims.check(input);
        if (refusal !== null) refusals.set(index, refusal);
      }),
    );
    return refusals;
  }

  /**
   * Mirrors the order in which the LedgerService and the debit actor refuse a transfer
   * (decide-transfer.ts): no debit account or an unparsable amount → null (refused before
   * any id check: nothing to claim or check); invalid content → false (refused unrecorded,
   * unless the id is another's: check only); otherwise → true (recorded: claim the id).
   */
  private recordedIfDecided(input: TransferInput): boolean | null {
    const debit = this.options.journal.getIndex('directory', input.debit) as AccountDirectoryEntry | undefined;
    if (debit === undefined) return null;
    const amount = parseAmount(input.amount, debit.currency);
    if (!amount.ok) return null;
    const { credit, pending, timeoutMs, memo } = input;
    return validateTransferContent({ debit: input.debit, credit, amount: amount.minor, pending, timeoutMs, memo }) === null;
  }

  private async execute(partition: number, command: ClusterCommand, refusals: ReadonlyMap<number, ActorReply>): Promise<unknown> {
    const { ledger, system, leases } = this.options;
    const lease = leases.check(partition);
    if (!lease.ok) throw new ActorRuntimeError('partition_unavailable', `partition ${partition} is not served here: ${lease.reason}`);
    switch (command.op) {
      case 'open_account': {
        const reply = await ledger.openAccount(command.input);
        if (reply.ok) await this.publish(command.input.id);
        return reply;
      }
      case 'close_account': {
        const reply = await ledger.closeAccount(command.id);
        if (reply.ok) await this.publish(command.id);
        return reply;
      }
      case 'get_account':
        return ledger.getAccount(command.id);
      case 'create_transfers': {
        if (command.system === true) return refusals.get(0) ?? ledger.transferAnyAccount(command.inputs[0] as TransferInput);
        if (command.inputs.length === 1) return refusals.get(0) ?? ledger.createTransfer(command.inputs[0] as TransferInput);
        if (refusals.size === 0) return ledger.createTransfers(command.inputs);
        const allowed = command.inputs.filter((_, i) => !refusals.has(i));
        const replies = await ledger.createTransfers(allowed);
        let next = 0;
        return command.inputs.map((_, i) => refusals.get(i) ?? replies[next++]);
      }
      case 'post_pending':
        return ledger.postPending(command.transferId, command.amount);
      case 'void_pending':
        return ledger.voidPending(command.transferId);
      case 'reverse_transfer':
        return command.system === true ? ledger.reverseAnyRecorded(command.original, command.memo) : ledger.reverseRecorded(command.original, command.memo);
      case 'actor_ask':
        return system.ask(command.actorId, command.message, command.timeoutMs);
      case 'inspect_actor':
        return system.inspect(command.actorId) ?? null;
      default: {
        throw new ActorRuntimeError('internal_error', `unknown op ${(command as { op: string }).op}`);
      }
    }
  }

  /** An open or close is answered only once the cluster's directory has it. */
  private async publish(accountId: string): Promise<void> {
    try {
      await this.options.directory.publish(accountId, this.options.journal);
    } catch (error) {
      throw new ActorRuntimeError('partition_unavailable', `account ${accountId} is journaled but not yet in the cluster directory; retry with the same id`, { cause: error });
    }
  }

  private failure(partition: number, error: unknown, msg: Msg): WireReply {
    // A write refused by the fence reaches the caller as journal_failed; say why.
    if (isRuntimeError(error) && error.code === 'journal_failed' && !this.options.leases.isServing(partition)) {
      return failureReply(new ActorRuntimeError('partition_unavailable', `partition ${partition} is no longer served here; nothing was written`));
    }
    if (isRuntimeError(error)) return failureReply(error);
    this.options.logger.error({ err: error, subject: msg.subject, id: msg.headers?.get('Fundcore-Command-Id') }, 'command failed unexpectedly');
    return failureReply(new ActorRuntimeError('internal_error', 'internal error'));
  }

  private respond(msg: Msg, reply: WireReply): void {
    try {
      msg.respond(encode(reply));
    } catch (error) {
      this.options.logger.warn({ err: error, subject: msg.subject }, 'reply not sent (connection down); the caller retries');
    }
  }

  private find(msg: Msg): void {
    const { journal, leases, nodeId } = this.options;
    try {
      const { transferId } = decode<TransferFindRequest>(msg.data);
      const reply: TransferFindReply = {
        nodeId,
        partitions: leases.serving(),
        record: (journal.getIndex('transfers', transferId) as TransferRecord | undefined) ?? null,
        credit: (journal.getIndex('credits', transferId) as CreditRecord | undefined) ?? null,
        reversedBy: (journal.getIndex('reversals', transferId) as string | undefined) ?? null,
      };
      msg.respond(encode(reply));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'transfer find not answered');
    }
  }
}
