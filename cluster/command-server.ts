import { systemCause } from '../actors/runtime/cause.js';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ActorSystem } from '../actors/runtime/actor-system.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import type { Logger } from '../actors/runtime/clock.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import type { DirectoryAsks } from './directory-asks.js';
import type { LeaseManager } from './leases.js';
import { commandSubject, nodeCommandSubject } from './partitions.js';
import { indexesBy } from '../actors/runtime/indexes-by.js';
import { decode, encode, failureReply, type ActorAsk, type ClusterCommand, type NodeAsks, type PartitionAsk, type WireReply } from './wire.js';

export interface CommandServerOptions {
  readonly nc: NatsConnection;
  readonly subjectPrefix: string;
  readonly system: ActorSystem;
  readonly directory: DirectoryAsks;
  readonly leases: LeaseManager;
  readonly logger: Logger;
}

/**
 * The node's end of the bus: while it holds a partition's lease it subscribes to
 * `<prefix>.cmd.<partition>` and hands each ask to the actor, in process. It unsubscribes
 * when the lease is lost, so askers get NoResponders; an ask already queued is refused with
 * partition_unavailable by the lease check, and the journal's own fence is the last guard.
 *
 * What it adds to the actors is the cluster's account directory, which an account reads
 * while it decides (the other account of a transfer may live elsewhere): before a transfer
 * or a reversal reaches its account, the directory entry of the other account is made sure
 * of; an open or a close is answered once its entry is in the directory. Asks of one
 * partition enter the actors' mailboxes in arrival order: those look-ups are chained per
 * partition.
 */
export class CommandServer {
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly ordering = new Map<number, Promise<void>>();
  private nodeSubscription: Subscription | null = null;

  constructor(private readonly options: CommandServerOptions) {}

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
    this.nodeSubscription?.unsubscribe();
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
    await Promise.all(this.ordering.values());
  }

  /** Serves the node's own subject (`node_asks`: asks of any partition it serves); from start to stop. */
  serveNodeSubject(nodeId: string): void {
    const { nc, subjectPrefix } = this.options;
    this.nodeSubscription = nc.subscribe(nodeCommandSubject(subjectPrefix, nodeId), {
      callback: (error, msg) => {
        if (error === null) this.receiveNodeAsks(msg);
      },
    });
  }

  private receive(partition: number, msg: Msg): void {
    const command = this.decoded<ClusterCommand>(msg);
    if (command !== null) void this.handled(partition, command, msg).then((reply) => this.respond(msg, reply));
  }

  /** Each partition's asks as one `actor_asks` of that partition, in its order; the replies put back in the order sent. */
  private receiveNodeAsks(msg: Msg): void {
    const command = this.decoded<NodeAsks>(msg);
    if (command === null) return;
    let groups: Map<number, number[]>;
    try {
      groups = indexesByPartition(command.asks);
    } catch (error) {
      this.respond(msg, this.failure(-1, error, msg));
      return;
    }
    const replies = new Array<WireReply>(command.asks.length);
    const handled = [...groups].map(async ([partition, indexes]) => {
      const asks = indexes.map((i) => command.asks[i] as ActorAsk);
      const reply = await this.handled(partition, { op: 'actor_asks', asks }, msg);
      indexes.forEach((i, k) => (replies[i] = 'result' in reply ? ((reply.result as WireReply[])[k] as WireReply) : reply));
    });
    void Promise.all(handled).then(() => this.respond(msg, { result: replies }));
  }

  private decoded<T>(msg: Msg): T | null {
    try {
      return decode<T>(msg.data);
    } catch (error) {
      this.options.logger.error({ err: error, subject: msg.subject }, 'undecodable command');
      this.respond(msg, failureReply(new ActorRuntimeError('internal_error', 'undecodable command')));
      return null;
    }
  }

  /** The command handled in its partition's order: its reply, or its failure as a reply. */
  private handled(partition: number, command: ClusterCommand, msg: Msg): Promise<WireReply> {
    const previous = this.ordering.get(partition) ?? Promise.resolve();
    const prepared = previous.then(() => this.prepare(command));
    const settled = prepared.then(
      () => {},
      () => {},
    );
    this.ordering.set(partition, settled);
    void settled.then(() => {
      if (this.ordering.get(partition) === settled) this.ordering.delete(partition);
    });
    return prepared
      .then(() => this.execute(partition, command, msg))
      .then((result): WireReply => ({ result }))
      .catch((error: unknown) => this.failure(partition, error, msg));
  }

  /** The directory entry of the other account a transfer or a reversal will look up. */
  private async prepare(command: ClusterCommand): Promise<void> {
    const { directory } = this.options;
    if (command.op === 'actor_ask') await directory.prepare(command.actorId, command.message);
    if (command.op === 'actor_asks') await Promise.all(command.asks.map((ask) => directory.prepare(ask.actorId, ask.message)));
  }

  /**
   * Many asks of one partition: each enters its actor's mailbox in the order given (all of
   * them before any reply), and each is answered on its own — its reply or its failure.
   */
  private async executeMany(partition: number, asks: readonly ActorAsk[], msg: Msg): Promise<WireReply[]> {
    const { system, directory } = this.options;
    // Each ask is made synchronously, in order (an async function runs until its first await); a throw fails its own ask alone.
    const replies = asks.map(async (ask) => directory.answered(ask.actorId, ask.message, await system.ask(ask.actorId, ask.message, ask.timeoutMs, ask.cause ?? systemCause)));
    const settled = await Promise.allSettled(replies);
    return settled.map((outcome): WireReply => (outcome.status === 'fulfilled' ? { result: outcome.value } : this.failure(partition, outcome.reason, msg)));
  }

  private async execute(partition: number, command: ClusterCommand, msg: Msg): Promise<unknown> {
    const { system, leases } = this.options;
    const lease = leases.check(partition);
    if (!lease.ok) throw new ActorRuntimeError('partition_unavailable', `partition ${partition} is not served here: ${lease.reason}`);
    switch (command.op) {
      case 'actor_ask': {
        // A node from before the audit trail sends no cause: the ask is then the system's.
        const reply: ActorReply = await system.ask(command.actorId, command.message, command.timeoutMs, command.cause ?? systemCause);
        return this.options.directory.answered(command.actorId, command.message, reply);
      }
      case 'inspect_actor':
        return system.inspect(command.actorId) ?? null;
      case 'actor_asks':
        return this.executeMany(partition, command.asks, msg);
      default: {
        throw new ActorRuntimeError('internal_error', `unknown op ${(command as { op: string }).op}`);
      }
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
}

/** The indexes of the asks, per partition, in the order given (a malformed ask is a thrown error: the request fails). */
function indexesByPartition(asks: readonly PartitionAsk[]): Map<number, number[]> {
  if (!Array.isArray(asks)) throw new TypeError('node_asks without a list of asks');
  return indexesBy(asks, (ask, i) => {
    if (!Number.isInteger(ask?.partition)) throw new TypeError(`ask ${i} names no partition`);
    return ask.partition;
  });
}
