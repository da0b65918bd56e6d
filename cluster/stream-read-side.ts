import { DeliverPolicy, jetstream, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { silentLogger, systemTimers, type Logger, type Timers } from '../actors/runtime/clock.js';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import type { FeedEntry, LogFeed } from '../persistence/projections/log-feed.js';
import { StoredStates } from '../persistence/projections/projection-states.js';
import { allProjectors } from '../persistence/projections/projectors.js';
import { runArchivePlan, type ArchiveOutcome, type ArchivePlan } from '../persistence/archive/archive-plan.js';
import type { ReadModel } from '../persistence/projections/read-model.js';
import type { ReadSide } from '../persistence/projections/read-side.js';
import { defaultProjectionLimits, ProjectionRunner } from '../persistence/projections/runner.js';
import type { ClusterNames } from './cluster-node.js';
import { ensureLogStream, feedEntriesOf, logFlushSubjectOf, logStreamNameOf, sequenceOfPosition } from './log-stream.js';

export interface StreamReadSideLimits {
  /**
   * Entries taken from the stream before they are applied in one transaction: applying runs on
   * the gateway's main thread in one go, so a batch is kept short (requests wait meanwhile).
   */
  readonly batchEntriesMax: number;
  /** How long a query waits for the read side to reach what was acknowledged before it (then it answers from where it stands). */
  readonly queryWaitMs: number;
  /** As queryWaitMs for a close or a reconciliation, which fail (503, retry) rather than use less. */
  readonly fullWaitMs: number;
  /** The nodes' answers to a flush are gathered until none came for this long. */
  readonly flushStallMs: number;
  /** After the stream could not be read (NATS down), the pause before consuming again. */
  readonly retryAfterMs: number;
  /**
   * How long one pull waits for messages before the next: the server's heartbeats come at half
   * of it, and two missed ones are how a NATS restart is noticed (with the 30 s default a gateway
   * took about 40 s to read the stream again after one).
   */
  readonly pullExpiresMs: number;
}

export const defaultStreamReadSideLimits: StreamReadSideLimits = { batchEntriesMax: 256, queryWaitMs: 2_000, fullWaitMs: 10_000, flushStallMs: 25, retryAfterMs: 500, pullExpiresMs: 4_000 };

/** The entries taken from the stream and not yet applied: the runner's feed. */
class StreamBuffer implements LogFeed {
  private entries: FeedEntry[] = [];
  private last = 0;

  /** Consuming starts again after the read model's position: what was taken and not applied comes again. */
  clear(): void {
    this.entries = [];
  }

  push(entry: FeedEntry): void {
    this.entries.push(entry);
    this.last = Math.max(this.last, entry.position);
  }

  get size(): number {
    return this.entries.length;
  }

  entriesAfter(position: number, max: number): FeedEntry[] {
    this.entries = this.entries.filter((entry) => entry.position > position);
    return this.entries.slice(0, max);
  }

  lastPosition(): number {
    return this.last;
  }
}

/**
 * A cluster gateway's read models: the cluster's log stream, consumed in order into the
 * gateway's own SQLite database (the same projectors as `npm start`), the actors' states kept
 * beside the rows. Read your writes: before a query, every node is asked to publish what it
 * has journaled, and the query waits until the read side reached the stream's end.
 */
export class StreamReadSide implements ReadSide {
  private readonly buffer = new StreamBuffer();
  private readonly runner: ProjectionRunner;
  private readonly waiters = new Set<{ readonly target: number; readonly done: () => void }>();
  private stopped = false;
  private stopConsuming: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The stream's last message, as last asked. */
  private streamLast = 0;
  /** The last message taken from the stream, and the last one wholly applied. */
  private consumedSequence = 0;
  private appliedSequence = 0;

  private constructor(
    readonly model: ReadModel,
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly names: ClusterNames,
    partitionCount: number,
    private readonly timers: Timers,
    private readonly logger: Logger,
    private readonly limits: StreamReadSideLimits,
  ) {
    this.appliedSequence = Math.max(0, sequenceOfPosition(model.position()) - 1);
    this.runner = new ProjectionRunner(this.buffer, model, allProjectors, new StoredStates(model.db, defaultProjectionLimits.cachedStatesMax), partitionCount, {
      ...defaultProjectionLimits,
      entriesPerTransactionMax: limits.batchEntriesMax,
    });
  }

  static async start(options: {
    readonly nc: NatsConnection;
    readonly names: ClusterNames;
    readonly model: ReadModel;
    readonly partitionCount: number;
    readonly timers?: Timers;
    readonly logger?: Logger;
    readonly limits?: Partial<StreamReadSideLimits>;
  }): Promise<StreamReadSide> {
    const jsm = await ensureLogStream(options.nc, options.names);
    const side = new StreamReadSide(options.model, options.nc, jsm, options.names, options.partitionCount, options.timers ?? systemTimers, options.logger ?? silentLogger, {
      ...defaultStreamReadSideLimits,
      ...options.limits,
    });
    side.running = side.consume();
    return side;
  }

  catchUp(): Promise<void> {
    return this.reach(this.limits.queryWaitMs, false);
  }

  catchUpFully(): Promise<void> {
    return this.reach(this.limits.fullWaitMs, true);
  }

  position(): number {
    return this.model.position();
  }

  /** Between two applied batches (this thread is the read models' writer): everything published first, then the plan. */
  async archive(plan: ArchivePlan): Promise<ArchiveOutcome> {
    await this.catchUpFully();
    return runArchivePlan(this.model, plan);
  }

  /** Log stream messages not applied yet (as far as the stream's end was last asked). */
  lag(): number {
    return Math.max(0, Math.max(this.streamLast, this.consumedSequence) - this.appliedSequence);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopConsuming?.();
    await this.running;
    for (const waiter of this.waiters) waiter.done();
  }

  /** Every node publishes what it journaled; then wait until the read side holds the stream's end. */
  private async reach(waitMs: number, strict: boolean): Promise<void> {
    const target = await this.target().catch(() => null);
    if (target === null || target <= this.appliedSequence) {
      if (target === null && strict) throw new ActorRuntimeError('read_model_behind', 'the cluster log stream cannot be read right now; retry');
      return;
    }
    const reached = await new Promise<boolean>((resolve) => {
      const timer = this.timers.after(waitMs, () => {
        this.waiters.delete(waiter);
        resolve(false);
      });
      const waiter = { target, done: () => (timer.cancel(), resolve(true)) };
      this.waiters.add(waiter);
      // Entries taken and held back for a fuller batch are applied now.
      this.apply();
    });
    if (!reached && strict) throw new ActorRuntimeError('read_model_behind', `the read models reached message ${this.appliedSequence} of ${target} in the cluster log within ${waitMs} ms; retry`);
  }

  private async target(): Promise<number> {
    try {
      const answers = await this.nc.requestMany(logFlushSubjectOf(this.names), new Uint8Array(0), { strategy: 'stall', stall: this.limits.flushStallMs, maxWait: this.limits.queryWaitMs });
      for await (const _answer of answers);
    } catch {
      // No node answered (none running): the stream holds what there is.
    }
    const info = await this.jsm.streams.info(logStreamNameOf(this.names));
    this.streamLast = info.state.last_seq;
    return info.state.last_seq;
  }

  /** Applies what was taken from the stream; answers the waiters it satisfies. */
  private apply(): void {
    try {
      this.runner.catchUp();
      if (this.buffer.size === 0) this.appliedSequence = this.consumedSequence;
    } catch (error) {
      this.logger.error({ err: error, position: this.model.position() }, 'read side could not apply the log; it stops here until restarted');
      this.stopped = true;
      this.stopConsuming?.();
    }
    this.settle();
  }

  private settle(): void {
    for (const waiter of this.waiters) {
      if (waiter.target > this.appliedSequence) continue;
      this.waiters.delete(waiter);
      waiter.done();
    }
  }

  /** Consumes the stream from the read model's position, again after every interruption. */
  private async consume(): Promise<void> {
    const js = jetstream(this.nc);
    while (!this.stopped) {
      try {
        this.buffer.clear();
        // From the message holding the last entry applied: its entries after it come again.
        const from = Math.max(1, sequenceOfPosition(this.model.position()));
        const consumer = await js.consumers.get(logStreamNameOf(this.names), { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from });
        const messages = await consumer.consume({ max_messages: this.limits.batchEntriesMax, expires: this.limits.pullExpiresMs });
        this.stopConsuming = () => void messages.stop();
        if (this.stopped) break;
        for await (const message of messages) {
          const position = this.model.position();
          for (const entry of feedEntriesOf(message.seq, message.data)) if (entry.position > position) this.buffer.push(entry);
          this.consumedSequence = message.seq;
          if (message.info.pending === 0 || this.buffer.size >= this.limits.batchEntriesMax) {
            this.apply();
            // Requests queued behind the batch go first.
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn({ err: error }, 'cluster log stream not readable; consuming again shortly');
      }
      if (!this.stopped) await new Promise<void>((resolve) => this.timers.after(this.limits.retryAfterMs, resolve));
    }
  }
}
