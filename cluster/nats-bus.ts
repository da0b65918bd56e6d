import { currentCause, systemCause, type Cause } from '../actors/runtime/cause.js';
import { awaitSettledMessage } from '../actors/runtime/settle-waits.js';
import { indexesBy } from '../actors/runtime/indexes-by.js';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ActorInspection } from '../actors/runtime/actor-system.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import type { Bus, BusAsk } from '../actors/runtime/relay.js';
import type { LeaseWatch } from './lease-watch.js';
import { runsOfOneTimeout, splitOrSend } from './ask-batches.js';
import { defaultRoutingLimits, NatsRequests, type RoutingLimits } from './nats-requests.js';
import { commandSubject, nodeCommandSubject, partitionOfActor } from './partitions.js';
import { encode, type ActorAsk, type ClusterCommand, type NodeAsks, type PartitionAsk } from './wire.js';
import { withFields } from '../core/with-fields.js';

export { defaultRoutingLimits, type RoutingLimits } from './nats-requests.js';

/** How many asks of `askMany` travel in one request. */
export interface AskBatchLimits {
  /** Asks of one partition in one request at most. */
  readonly itemsMax: number;
  /** A request's encoded size at most (the server's max_payload, if lower, bounds it too): a larger one is split in two. */
  readonly bytesMax: number;
  /** Single asks of one partition made within one turn of the event loop travel together, as askMany's do. */
  readonly coalesce: boolean;
}

export const defaultAskBatchLimits: AskBatchLimits = { itemsMax: 512, bytesMax: 512 * 1024, coalesce: true };

/** An ask waiting for the end of the turn, to leave with the others of its partition. */
interface Coalesced {
  readonly ask: ActorAsk;
  readonly resolve: (reply: ActorReply) => void;
  readonly reject: (error: unknown) => void;
}

/** A wait for a saga is held by its actor (seconds at most): it travels alone, so it delays no other ask's reply. */
const isHeldWait = (message: unknown) => (message as { type?: unknown } | null)?.type === awaitSettledMessage.type;

export interface NatsBusOptions {
  readonly nc: NatsConnection;
  readonly subjectPrefix: string;
  readonly partitionCount: number;
  /** The actors of partitions this node serves: asked in process. */
  readonly local: Bus;
  readonly isLocal: (partition: number) => boolean;
  /** The default wait for a reply (the runtime's askTimeoutMs). */
  readonly askTimeoutMs: number;
  /** Ends an ask whose partition's owner died meanwhile (partition_unavailable) instead of waiting out its timeout. */
  readonly leaseWatch?: LeaseWatch;
  /** Retries while a partition is unowned (a gateway's asks); none by default (a node's relay retries itself). */
  readonly routing?: Partial<RoutingLimits>;
  /** Told of every NATS request that failed (metrics), with the failure's code. */
  readonly onRequestFailed?: (code: string) => void;
  readonly askBatch?: Partial<AskBatchLimits>;
  /**
   * Which node serves a partition, as the lease bucket last said (null: not known): askMany
   * sends the asks of every partition one node serves in one `node_asks` request to it.
   * Absent: one request per partition.
   */
  readonly ownerOf?: (partition: number) => string | null;
}

/**
 * The bus of a cluster: an actor on a partition this process serves is asked in process;
 * any other over NATS, as an `actor_ask` request on its partition's subject, answered by
 * the node that serves it. Failures are runtime errors (retryable): nobody serves the
 * partition → partition_unavailable (retried until `routeDeadlineMs` while nobody serves
 * it, unless its owner's lease has lapsed: it is down, not moving); no answer in time →
 * ask_timeout (its outcome is unknown: never retried here). Receivers dedupe, so
 * deliveries stay at least once.
 */
export class NatsBus implements Bus {
  private readonly requests: NatsRequests;
  private readonly askBatch: AskBatchLimits;
  private readonly coalescing = new Map<number, Coalesced[]>();
  private flushScheduled = false;

  constructor(private readonly options: NatsBusOptions) {
    const routing: RoutingLimits = { ...defaultRoutingLimits, routeDeadlineMs: 0, ...options.routing };
    this.requests = new NatsRequests(options.nc, routing, options.leaseWatch ?? null, options.onRequestFailed);
    this.askBatch = { ...defaultAskBatchLimits, ...options.askBatch };
  }

  /**
   * Asks of one partition keep their order: a remote ask waits for the end of the turn and
   * leaves with the others of its partition (one `actor_asks` request), unless coalescing is
   * off or it is a held wait — then the asks still waiting for its partition leave first,
   * and it right after them.
   */
  ask(actorId: string, message: unknown, timeoutMs: number = this.options.askTimeoutMs, cause: Cause = currentCause()): Promise<ActorReply> {
    const { partitionCount, local, isLocal } = this.options;
    const partition = partitionOfActor(actorId, partitionCount);
    if (isLocal(partition)) return local.ask(actorId, message, timeoutMs, cause);
    if (this.askBatch.coalesce && !isHeldWait(message)) return this.coalesced(partition, { actorId, message, timeoutMs, cause });
    this.flushPartition(partition);
    return this.askAlone(partition, actorId, message, timeoutMs, cause);
  }

  private coalesced(partition: number, ask: ActorAsk): Promise<ActorReply> {
    return new Promise<ActorReply>((resolve, reject) => {
      const waiting = this.coalescing.get(partition);
      if (waiting === undefined) this.coalescing.set(partition, [{ ask, resolve, reject }]);
      else waiting.push({ ask, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushTurn();
      });
    });
  }

  /**
   * Sends the asks that waited for the end of the turn: those of partitions whose node is known
   * (`ownerOf`) in one `node_asks` request per node, the others in one request per partition.
   */
  private flushTurn(): void {
    const byNode = new Map<string, { partition: number; waiting: Coalesced }[]>();
    for (const [partition, waiting] of [...this.coalescing]) {
      const owner = this.options.ownerOf?.(partition) ?? null;
      if (owner === null) {
        this.flushPartition(partition);
        continue;
      }
      this.coalescing.delete(partition);
      const ofNode = waiting.map((one) => ({ partition, waiting: one }));
      const earlier = byNode.get(owner);
      if (earlier === undefined) byNode.set(owner, ofNode);
      else earlier.push(...ofNode);
    }
    for (const [nodeId, items] of byNode) {
      const replies = this.nodeRequests(nodeId, items.map(({ partition, waiting }) => withFields(waiting.ask, { partition })), true);
      items.forEach(({ waiting }, i) => (replies[i] as Promise<ActorReply>).then(waiting.resolve, waiting.reject));
    }
  }

  /**
   * Asks of partitions one node serves, in requests to it of at most `itemsMax` asks of one
   * timeout; an ask on its own is an `actor_ask` on its partition. `retryMoved`: an ask the
   * node answers `partition_unavailable` (it no longer serves the partition; nothing was
   * written) is asked again on its partition's subject, as a lone ask is (a gateway's asks,
   * which wait out a moving partition); without it, the caller retries (a node's relay).
   */
  private nodeRequests(nodeId: string, asks: readonly PartitionAsk[], retryMoved: boolean): Promise<ActorReply>[] {
    return runsOfOneTimeout(asks, this.askBatch.itemsMax).flatMap((run) => {
      const only = run.length === 1 ? run[0] : undefined;
      if (only !== undefined) return [this.askAlone(only.partition, only.actorId, only.message, only.timeoutMs, only.cause ?? systemCause)];
      const answered = this.nodeBatchOf(nodeId, run);
      return retryMoved ? answered.map((reply, k) => reply.catch((error: unknown) => this.askedAgainIfMoved(error, run[k] as PartitionAsk))) : answered;
    });
  }

  private askedAgainIfMoved(error: unknown, ask: PartitionAsk): Promise<ActorReply> {
    if (!isRuntimeError(error) || error.code !== 'partition_unavailable') return Promise.reject(error);
    return this.askAlone(ask.partition, ask.actorId, ask.message, ask.timeoutMs, ask.cause ?? systemCause);
  }

  /** Sends the asks of the partition that wait for the end of the turn. */
  private flushPartition(partition: number): void {
    const waiting = this.coalescing.get(partition);
    if (waiting === undefined) return;
    this.coalescing.delete(partition);
    const replies = this.batchesOf(partition, waiting.map((w) => w.ask));
    waiting.forEach(({ resolve, reject }, i) => (replies[i] as Promise<ActorReply>).then(resolve, reject));
  }

  private askAlone(partition: number, actorId: string, message: unknown, timeoutMs: number, cause: Cause): Promise<ActorReply> {
    const command: ClusterCommand = { op: 'actor_ask', actorId, message, timeoutMs, cause };
    let payload: Uint8Array;
    try {
      payload = encode(command);
    } catch (error) {
      // A message that cannot be encoded fails its own ask (it may be sent from a flush, where a throw would reach no caller).
      return Promise.reject(error);
    }
    // A little longer than the remote ask, so its own timeout answers first.
    return this.request(partition, actorId, payload, timeoutMs + 1_000).then((result) => {
      if (result === null || typeof result !== 'object' || !('ok' in result)) throw new ActorRuntimeError('internal_error', `malformed reply from ${actorId}`);
      return result as ActorReply;
    });
  }

  /**
   * Asks of a partition this process serves are asked in process; the others travel as one
   * `node_asks` request per node serving them (`ownerOf`), else as one `actor_asks` request
   * per partition (up to the batch limits), in the order given per partition. A
   * failure of the request (no answer in time, nobody serves the partition) fails each of its
   * asks, as it would have failed each alone; a refusal or failure of one ask is its own.
   * The request is answered once every ask in it is: an actor that holds a message (a
   * buffering account) delays its batch's other replies, by its hold at most.
   */
  askMany(asks: readonly BusAsk[], timeoutMs: number = this.options.askTimeoutMs): Promise<ActorReply>[] {
    const { partitionCount, local, isLocal } = this.options;
    const replies: Promise<ActorReply>[] = new Array<Promise<ActorReply>>(asks.length);
    const partitions = asks.map(({ actorId }) => partitionOfActor(actorId, partitionCount));
    // Local asks are asked as they are met, in order; the remote ones grouped by partition.
    const remote = indexesBy(asks, ({ actorId, message, cause }, i) => {
      if (!isLocal(partitions[i] as number)) return partitions[i] as number;
      replies[i] = local.ask(actorId, message, timeoutMs, cause);
      return null;
    });
    const byNode = new Map<string, number[]>();
    for (const [partition, indexes] of remote) {
      // Asks of this partition still waiting for the end of the turn were asked first: they leave first.
      this.flushPartition(partition);
      const owner = this.options.ownerOf?.(partition) ?? null;
      if (owner !== null) {
        const ofNode = byNode.get(owner);
        if (ofNode === undefined) byNode.set(owner, [...indexes]);
        else ofNode.push(...indexes);
        continue;
      }
      const wire = indexes.map((i): ActorAsk => ({ ...(asks[i] as BusAsk), timeoutMs }));
      this.batchesOf(partition, wire).forEach((reply, k) => (replies[indexes[k] as number] = reply));
    }
    for (const [nodeId, indexes] of byNode) {
      const wire = indexes.map((i): PartitionAsk => withFields(asks[i] as BusAsk, { timeoutMs, partition: partitions[i] as number }));
      this.nodeRequests(nodeId, wire, false).forEach((reply, k) => (replies[indexes[k] as number] = reply));
    }
    return replies;
  }

  /** One `node_asks` request to the node, or two halves when it would be larger than a request may be. */
  private nodeBatchOf(nodeId: string, asks: readonly PartitionAsk[]): Promise<ActorReply>[] {
    const command: NodeAsks = { op: 'node_asks', asks };
    return splitOrSend(asks, command, this.bytesMax(), (half) => this.nodeBatchOf(nodeId, half), (payload) => {
      const first = asks[0] as PartitionAsk;
      // The node's death is seen by any of its partitions' leases: the first one's is watched.
      return this.requests.send(nodeCommandSubject(this.options.subjectPrefix, nodeId), first.partition, `${first.actorId} (+${asks.length - 1})`, payload, first.timeoutMs + 1_000);
    });
  }

  /**
   * The asks of one partition in requests of at most `itemsMax`, in order; a request holds
   * asks of one timeout only (a short one is not kept waiting for a long one's deadline); an
   * ask on its own is an `actor_ask`.
   */
  private batchesOf(partition: number, asks: readonly ActorAsk[]): Promise<ActorReply>[] {
    return runsOfOneTimeout(asks, this.askBatch.itemsMax).flatMap((run) => {
      const only = run.length === 1 ? run[0] : undefined;
      return only !== undefined ? [this.askAlone(partition, only.actorId, only.message, only.timeoutMs, only.cause ?? systemCause)] : this.askBatchOf(partition, run);
    });
  }

  /** One request for the asks, or two halves when it would be larger than a request may be. */
  private askBatchOf(partition: number, asks: readonly ActorAsk[]): Promise<ActorReply>[] {
    const command: ClusterCommand = { op: 'actor_asks', asks };
    return splitOrSend(asks, command, this.bytesMax(), (half) => this.askBatchOf(partition, half), (payload) => {
      const first = asks[0] as ActorAsk;
      return this.request(partition, `${first.actorId} (+${asks.length - 1})`, payload, first.timeoutMs + 1_000);
    });
  }

  /** A request's largest encoded size: the batch limit, or the server's max_payload if lower. */
  private bytesMax(): number {
    return Math.min(this.askBatch.bytesMax, this.requests.payloadMax);
  }

  /** What the node serving the actor's partition knows of it (ops). */
  async inspect(actorId: string): Promise<ActorInspection | undefined> {
    const command: ClusterCommand = { op: 'inspect_actor', actorId };
    const inspection = await this.request(partitionOfActor(actorId, this.options.partitionCount), actorId, encode(command), this.options.askTimeoutMs);
    return (inspection ?? undefined) as ActorInspection | undefined;
  }

  private request(partition: number, actorId: string, payload: Uint8Array, timeoutMs: number): Promise<unknown> {
    return this.requests.send(commandSubject(this.options.subjectPrefix, partition), partition, actorId, payload, timeoutMs);
  }
}

/**
 * The bus of a process that serves no partition (a gateway): every ask goes over NATS, and
 * waits out a partition nobody serves for up to `routing.routeDeadlineMs`.
 */
export function gatewayBus(options: Omit<NatsBusOptions, 'local' | 'isLocal'>): NatsBus {
  const noLocalActors: Bus = { ask: () => Promise.reject(new ActorRuntimeError('partition_unavailable', 'a gateway serves no partition')) };
  return new NatsBus({ ...options, local: noLocalActors, isLocal: () => false, routing: { ...defaultRoutingLimits, ...options.routing } });
}
