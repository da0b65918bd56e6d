import { currentCause, systemCause, type Cause } from '../actors/runtime/cause.js';
import { awaitSettledMessage } from '../actors/runtime/settle-waits.js';
import { indexesBy } from '../actors/runtime/indexes-by.js';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { ActorInspection } from '../actors/runtime/actor-system.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import type { Bus, BusAsk } from '../actors/runtime/relay.js';
import { answeredOrOwnerLost, type LeaseWatch } from './lease-watch.js';
import { natsFailure } from './nats-errors.js';
import { commandSubject, nodeCommandSubject, partitionOfActor } from './partitions.js';
import { commandIdHeader, decode, encode, resultOf, type ActorAsk, type ClusterCommand, type NodeAsks, type PartitionAsk, type WireReply } from './wire.js';

/** How long an ask waits out a partition nobody serves (a node starting, a lease moving). */
export interface RoutingLimits {
  /** How long an ask keeps being retried while its partition is unowned, before partition_unavailable; 0: no retry. */
  readonly routeDeadlineMs: number;
  /** First wait between two tries; doubled each time up to `routeRetryDelayMaxMs`. */
  readonly routeRetryDelayFirstMs: number;
  readonly routeRetryDelayMaxMs: number;
}

export const defaultRoutingLimits: RoutingLimits = { routeDeadlineMs: 5_000, routeRetryDelayFirstMs: 10, routeRetryDelayMaxMs: 500 };

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  private readonly routing: RoutingLimits;
  private readonly askBatch: AskBatchLimits;
  private readonly coalescing = new Map<number, Coalesced[]>();
  private flushScheduled = false;

  constructor(private readonly options: NatsBusOptions) {
    this.routing = { ...defaultRoutingLimits, routeDeadlineMs: 0, ...options.routing };
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
        for (const waitingPartition of [...this.coalescing.keys()]) this.flushPartition(waitingPartition);
      });
    });
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
      for (let from = 0; from < indexes.length; from += this.askBatch.itemsMax) {
        const chunk = indexes.slice(from, from + this.askBatch.itemsMax);
        const wire = chunk.map((i): PartitionAsk => ({ ...(asks[i] as BusAsk), timeoutMs, partition: partitions[i] as number }));
        this.nodeBatchOf(nodeId, wire).forEach((reply, k) => (replies[chunk[k] as number] = reply));
      }
    }
    return replies;
  }

  /** One `node_asks` request to the node, or two halves when it would be larger than a request may be. */
  private nodeBatchOf(nodeId: string, asks: readonly PartitionAsk[]): Promise<ActorReply>[] {
    const command: NodeAsks = { op: 'node_asks', asks };
    return this.splitOrSend(asks, command, (half) => this.nodeBatchOf(nodeId, half), (payload) => {
      const first = asks[0] as PartitionAsk;
      // The node's death is seen by any of its partitions' leases: the first one's is watched.
      return this.sendTo(nodeCommandSubject(this.options.subjectPrefix, nodeId), first.partition, `${first.actorId} (+${asks.length - 1})`, payload, first.timeoutMs + 1_000);
    });
  }

  /**
   * The asks of one partition in requests of at most `itemsMax`, in order; a request holds
   * asks of one timeout only (a short one is not kept waiting for a long one's deadline); an
   * ask on its own is an `actor_ask`.
   */
  private batchesOf(partition: number, asks: readonly ActorAsk[]): Promise<ActorReply>[] {
    const replies: Promise<ActorReply>[] = [];
    let from = 0;
    while (from < asks.length) {
      const timeoutMs = (asks[from] as ActorAsk).timeoutMs;
      let to = from + 1;
      while (to < asks.length && to - from < this.askBatch.itemsMax && (asks[to] as ActorAsk).timeoutMs === timeoutMs) to++;
      const run = asks.slice(from, to);
      const only = run.length === 1 ? run[0] : undefined;
      if (only !== undefined) replies.push(this.askAlone(partition, only.actorId, only.message, only.timeoutMs, only.cause ?? systemCause));
      else replies.push(...this.askBatchOf(partition, run));
      from = to;
    }
    return replies;
  }

  /** One request for the asks, or two halves when it would be larger than a request may be. */
  private askBatchOf(partition: number, asks: readonly ActorAsk[]): Promise<ActorReply>[] {
    const command: ClusterCommand = { op: 'actor_asks', asks };
    return this.splitOrSend(asks, command, (half) => this.askBatchOf(partition, half), (payload) => {
      const first = asks[0] as ActorAsk;
      return this.request(partition, `${first.actorId} (+${asks.length - 1})`, payload, first.timeoutMs + 1_000);
    });
  }

  /**
   * The command encoded and sent by `send`, its result taken as each ask's WireReply in order;
   * or, when larger than a request may be, the asks split in two halves sent by `again`.
   */
  private splitOrSend<A extends ActorAsk>(asks: readonly A[], command: unknown, again: (half: readonly A[]) => Promise<ActorReply>[], send: (payload: Uint8Array) => Promise<unknown>): Promise<ActorReply>[] {
    let payload: Uint8Array;
    try {
      payload = encode(command);
    } catch (error) {
      return asks.map(() => Promise.reject(error));
    }
    const bytesMax = Math.min(this.askBatch.bytesMax, this.options.nc.info?.max_payload ?? Infinity);
    if (payload.length > bytesMax && asks.length > 1) {
      const half = Math.ceil(asks.length / 2);
      return [...again(asks.slice(0, half)), ...again(asks.slice(half))];
    }
    const answered = send(payload).then((result) => {
      if (!Array.isArray(result) || result.length !== asks.length) throw new ActorRuntimeError('internal_error', `malformed reply to ${asks.length} asks`);
      return result as WireReply[];
    });
    return asks.map((ask, k) =>
      answered.then((results) => {
        const reply = resultOf(results[k] as WireReply);
        if (reply === null || typeof reply !== 'object' || !('ok' in reply)) throw new ActorRuntimeError('internal_error', `malformed reply from ${ask.actorId}`);
        return reply as ActorReply;
      }),
    );
  }

  /** What the node serving the actor's partition knows of it (ops). */
  async inspect(actorId: string): Promise<ActorInspection | undefined> {
    const command: ClusterCommand = { op: 'inspect_actor', actorId };
    const inspection = await this.request(partitionOfActor(actorId, this.options.partitionCount), actorId, encode(command), this.options.askTimeoutMs);
    return (inspection ?? undefined) as ActorInspection | undefined;
  }

  private request(partition: number, actorId: string, payload: Uint8Array, timeoutMs: number): Promise<unknown> {
    return this.sendTo(commandSubject(this.options.subjectPrefix, partition), partition, actorId, payload, timeoutMs);
  }

  /** A request on the subject, raced against the partition's owner being lost, retried while nobody serves it (routing). */
  private sendTo(subject: string, partition: number, actorId: string, payload: Uint8Array, timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + this.routing.routeDeadlineMs;
    const h = headers();
    h.set(commandIdHeader, actorId);
    const once = (): Promise<unknown> => {
      try {
        const sent = this.options.nc.request(subject, payload, { timeout: timeoutMs, headers: h });
        return answeredOrOwnerLost(sent, partition, this.options.leaseWatch ?? null).then((msg) => resultOf(decode<WireReply>(msg.data)));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const retried = async (first: Promise<unknown>): Promise<unknown> => {
      let attempt = first;
      for (let tries = 0; ; tries++) {
        try {
          return await attempt;
        } catch (error) {
          const failure = isRuntimeError(error) ? error : natsFailure(error, `partition ${partition} (${actorId})`);
          this.options.onRequestFailed?.(failure.code);
          const ownerLost = this.options.leaseWatch?.isOwnerLost(partition) ?? false;
          if (failure.code !== 'partition_unavailable' || ownerLost || Date.now() >= deadline) throw failure;
          await sleep(Math.min(this.routing.routeRetryDelayFirstMs * 2 ** Math.min(tries, 16), this.routing.routeRetryDelayMaxMs, Math.max(0, deadline - Date.now())));
          attempt = once();
        }
      }
    };
    return retried(once());
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
