import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger, Timers, TimerHandle } from '../actors/runtime/clock.js';
import type { Journal, JournalReader, LogEntry } from '../persistence/journal.js';
import { msgpackArrayLengthOf } from '../persistence/lmdb-journal.js';
import { eventsOfEntry } from '../persistence/projections/log-feed.js';
import type { ClusterNames } from './cluster-node.js';
import { logFlushSubjectOf, logMessageLimits, logSubjectOf, messageIdOf, packEntry, packEvents, packMessage } from './log-stream.js';

export interface LogPublisherLimits {
  /**
   * Journal entries read for one round of publishing: reading and packing them runs on the
   * node's main thread in one go, so a round is kept short (commands wait meanwhile).
   */
  readonly entriesPerRoundMax: number;
  /** How long one publish waits for the stream's acknowledgement. */
  readonly publishTimeoutMs: number;
  /** After a failed publish (NATS down), the pause before the same entry is tried again. */
  readonly retryAfterMs: number;
  /** With nothing to publish, how often the journal is looked at anyway (a commit also wakes it). */
  readonly idleCheckMs: number;
  /** How long a flush request waits for the publisher before it answers anyway. */
  readonly flushWaitMs: number;
}

export const defaultLogPublisherLimits: LogPublisherLimits = { entriesPerRoundMax: 256, publishTimeoutMs: 5_000, retryAfterMs: 500, idleCheckMs: 200, flushWaitMs: 2_000 };

/** Where the publisher got to: the last journal log position the stream acknowledged. */
const cursorMetaKey = 'cluster.logPublished';

/**
 * Publishes this node's journal to the cluster's log stream in rounds: the entries written
 * since the last round, in journal order, packed into as few messages as the limits allow
 * (whatever their partitions: one partition's messages each were a publish and an
 * acknowledgement of their own, ~85 per round on a node of 85 partitions), each message
 * acknowledged before the next is published. A round that fails is published again whole,
 * so an actor's entries never overtake each other. At least once:
 * after a crash it starts again from the last round it recorded; the stream drops a repeated
 * message by its id, and a read side a repeated entry by the actor's seq.
 */
/** What the publisher needs of JetStream (tests wrap the real client to fail some publishes). */
export type LogPublishClient = Pick<JetStreamClient, 'publish'>;

export class LogPublisher {
  private readonly js: LogPublishClient;
  private cursor: number;
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly flushes: { readonly target: number; readonly done: () => void }[] = [];
  private flushSubscription: Subscription | null = null;
  private failuresInARow = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: ClusterNames,
    private readonly journal: Journal,
    private readonly nodeId: string,
    private readonly partitionCount: number,
    private readonly timers: Timers,
    private readonly logger: Logger,
    private readonly limits: LogPublisherLimits = defaultLogPublisherLimits,
    clientOf: (real: JetStreamClient) => LogPublishClient = (real) => real,
  ) {
    this.js = clientOf(jetstream(nc));
    this.cursor = Number(journal.getMeta(cursorMetaKey) ?? 0);
  }

  start(): void {
    this.running = this.loop();
    this.flushSubscription = this.nc.subscribe(logFlushSubjectOf(this.names), { callback: (error, msg) => (error === null ? void this.answerFlush(msg) : undefined) });
  }

  /** A commit happened: publish it soon. */
  notify(): void {
    this.wake?.();
  }

  /** Resolves once everything journaled before the call is in the stream (or after flushWaitMs). */
  flush(): Promise<void> {
    const target = this.journal.lastLogPosition();
    if (this.cursor >= target) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.timers.after(this.limits.flushWaitMs, resolve);
      this.flushes.push({ target, done: () => (timer.cancel(), resolve()) });
      this.notify();
    });
  }

  /** The journal positions not yet in the stream. */
  lag(): number {
    return Math.max(0, this.journal.lastLogPosition() - this.cursor);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.flushSubscription?.unsubscribe();
    this.notify();
    await this.running;
  }

  private async answerFlush(msg: Msg): Promise<void> {
    await this.flush();
    msg.respond(new Uint8Array(0));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const entries = roundEntriesAfter(this.journal, this.cursor, this.limits.entriesPerRoundMax);
      if (entries.length === 0) {
        await this.idle(this.limits.idleCheckMs);
        continue;
      }
      if (await this.publishRound(entries)) {
        this.cursor = (entries[entries.length - 1] as RoundEntry).position;
        this.journal.putMeta(cursorMetaKey, this.cursor);
      }
      this.settleFlushes();
      // Commands queued behind the round go first.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.settleFlushes();
  }

  /** One round, its messages one after the other acknowledged; false (after a pause) when one was not. */
  private async publishRound(entries: readonly RoundEntry[]): Promise<boolean> {
    try {
      for (const message of messagesOf(entries)) {
        const msgID = messageIdOf(this.nodeId, message.firstPosition, message.lastPosition);
        await this.js.publish(logSubjectOf(this.names), packMessage(this.nodeId, message.entries, message.events), { msgID, timeout: this.limits.publishTimeoutMs });
      }
      this.failuresInARow = 0;
      return true;
    } catch (error) {
      // Logged on the first failure and then every 20th: a NATS outage fails every try.
      if (this.failuresInARow++ % 20 === 0) this.logger.warn({ err: error, fromPosition: (entries[0] as RoundEntry).position, failures: this.failuresInARow }, 'log entries not published; retrying');
      await this.idle(this.limits.retryAfterMs);
      return false;
    }
  }

  private settleFlushes(): void {
    for (let i = this.flushes.length - 1; i >= 0; i--) {
      const flush = this.flushes[i] as (typeof this.flushes)[number];
      if (this.stopped || flush.target <= this.cursor) {
        this.flushes.splice(i, 1);
        flush.done();
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: TimerHandle | null = null;
      const done = () => {
        timer?.cancel();
        this.wake = null;
        resolve();
      };
      this.wake = done;
      timer = this.timers.after(ms, done);
      if (this.stopped) done();
    });
  }
}

/** A journal entry as a round publishes it: packed without its events, and its events' bytes. */
interface RoundEntry {
  readonly position: number;
  readonly packed: Uint8Array;
  readonly events: Uint8Array;
}

/** The journal's entries after `position`, at most `max`, ready to publish. */
function roundEntriesAfter(journal: JournalReader, position: number, max: number): RoundEntry[] {
  const entries: RoundEntry[] = [];
  if (max <= 0) return entries;
  for (const entry of journal.readLog(position + 1)) {
    const packed = packEntry({ actorId: entry.actorId, firstSeq: entry.firstSeq, businessDate: entry.businessDate, causes: entry.causes, at: entry.at });
    entries.push({ position: entry.position, packed, events: eventBytesOf(journal, entry) });
    if (entries.length >= max) break;
  }
  return entries;
}

/**
 * The entry's events as the journal stored them, when it can hand them over and the record
 * holds exactly this append's events (it always does: one record per append); otherwise read
 * and packed again, as before.
 */
function eventBytesOf(journal: JournalReader, entry: LogEntry): Uint8Array {
  const stored = journal.appendedEventBytes?.(entry.actorId, entry.firstSeq);
  if (stored !== undefined && msgpackArrayLengthOf(stored) === entry.count) return stored;
  return packEvents(eventsOfEntry(journal, entry));
}

/** One message of a round: packed entries and their events, in journal order, and the journal positions of its first and last. */
interface RoundMessage {
  readonly entries: Uint8Array[];
  readonly events: Uint8Array[];
  readonly firstPosition: number;
  lastPosition: number;
  bytes: number;
}

/** A round's entries in journal order, cut into messages within logMessageLimits. */
function messagesOf(entries: readonly RoundEntry[]): RoundMessage[] {
  const messages: RoundMessage[] = [];
  for (const { position, packed, events } of entries) {
    const bytes = packed.byteLength + events.byteLength;
    const current = messages[messages.length - 1];
    if (current === undefined || current.entries.length >= logMessageLimits.entriesMax || current.bytes + bytes > logMessageLimits.bytesMax) {
      messages.push({ entries: [packed], events: [events], firstPosition: position, lastPosition: position, bytes });
    } else {
      current.entries.push(packed);
      current.events.push(events);
      current.lastPosition = position;
      current.bytes += bytes;
    }
  }
  return messages;
}
