import { InvariantViolation } from '../../core/rejection.js';
import type { IndexWrite, Journal } from '../../persistence/journal.js';
import { replyOf, type ActorBehavior, type ActorReply } from './behavior.js';
import type { Clock, Logger, TimerHandle, Timers } from './clock.js';
import { ActorRuntimeError } from './errors.js';
import { IndexOverlay } from './index-overlay.js';
import type { RuntimeLimits } from './limits.js';
import type { RuntimeObserver } from './observer.js';
import type { CausedDelivery, Relay } from './relay.js';
import { addToRuns, systemCause, type Cause, type CauseRun } from './cause.js';
import type { WakeScheduler } from './wake-scheduler.js';
import { withFieldsAdded } from './snapshot-fields.js';

export interface Envelope {
  readonly message: unknown;
  /** Who the message is on behalf of: its events carry it (the audit trail), and so do the deliveries they oblige. */
  readonly cause: Cause;
  readonly reply: (reply: ActorReply) => void;
  readonly fail: (error: ActorRuntimeError) => void;
  /**
   * The asker takes its reply once the batch's append is issued (it has its place in the
   * journal's log) instead of once it is durable: its own next append goes to the same
   * journal after this one, and so lands only if this one did (AppendLanding). Queries, and
   * batches whose append takes no log position, are answered when durable as always.
   */
  readonly answerOnceIssued?: boolean;
}

export interface CellServices {
  readonly journal: Journal;
  readonly relay: Relay;
  readonly wakes: WakeScheduler;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly limits: RuntimeLimits;
  /** The business date appends are stamped with (null: none). */
  readonly businessDate: () => string | null;
  readonly logger: Logger;
  readonly observer: RuntimeObserver;
  /** The cell stopped for good (it could not recover); the system forgets it. */
  readonly onStopped: (cell: ActorCell) => void;
  /** Events of one batch, once durable and committed (before the replies go out). */
  readonly onCommitted: (actorId: string, events: readonly unknown[]) => void;
}

interface Decided {
  readonly envelope: Envelope;
  readonly reply: ActorReply | 'query';
}

const noMessages: readonly unknown[] = Object.freeze([]);

function businessDateStamp(date: string | null): { businessDate?: string } {
  return date === null ? {} : { businessDate: date };
}

interface Release {
  readonly envelopes: readonly Envelope[];
  readonly replyFor: (message: unknown) => ActorReply;
}

/**
 * One live actor: its committed state and its mailbox. The mailbox is serial even though
 * handling awaits the journal: a batch is decided, journaled in one append, awaited until
 * durable, committed and replied to before the next batch is taken. A journal failure or
 * a bug stops the batch; the cell then recovers its state from the journal, never from a guess.
 */
export class ActorCell<State = unknown, Event = unknown> {
  private state: State;
  private seq = 0;
  private snapshotSeq = 0;
  private wakeAt: number | null = null;
  private readonly queue: Envelope[] = [];
  /** Messages held unanswered (see Handled.reply), oldest first. */
  private held: Envelope[] = [];
  private holdTimer: TimerHandle | null = null;
  private running = false;
  private stopped = false;
  lastActivityAt: number;
  /** The system's move count when the cell was last moved to the end of its order (see ActorSystem.cellFor). */
  orderedAt = 0;

  constructor(
    readonly id: string,
    private readonly behavior: ActorBehavior<State, Event>,
    private readonly services: CellServices,
  ) {
    this.state = behavior.initialState(id);
    this.lastActivityAt = services.clock.now();
    this.recover();
  }

  get mailboxDepth(): number {
    return this.queue.length;
  }

  /** Handling a batch (its append may still be on its way to disk) or with messages queued. */
  get isBusy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Events since the last snapshot: passivating writes one first. */
  get hasUnsnapshottedEvents(): boolean {
    return this.seq > this.snapshotSeq;
  }

  get isIdle(): boolean {
    return !this.running && this.queue.length === 0 && this.held.length === 0;
  }

  view(): { state: State; seq: number; snapshotSeq: number; wakeAt: number | null; mailboxDepth: number; lastActivityAt: number } {
    return { state: this.state, seq: this.seq, snapshotSeq: this.snapshotSeq, wakeAt: this.wakeAt, mailboxDepth: this.queue.length, lastActivityAt: this.lastActivityAt };
  }

  /** Queues a message; refuses with mailbox_full at the limit. */
  enqueue(envelope: Envelope): void {
    if (this.stopped) {
      envelope.fail(new ActorRuntimeError('actor_unavailable', `actor ${this.id} has stopped`));
      return;
    }
    if (this.queue.length + this.held.length >= this.services.limits.mailboxDepthMax) {
      envelope.fail(new ActorRuntimeError('mailbox_full', `mailbox of ${this.id} holds ${this.queue.length + this.held.length} messages`));
      return;
    }
    this.queue.push(envelope);
    this.lastActivityAt = this.services.clock.now();
    if (!this.running) void this.drain();
  }

  /**
   * Snapshots and leaves memory, if idle. Returns true when the cell is gone; the check and
   * the removal happen in one synchronous step after the snapshot, so no message is lost.
   */
  async passivate(remove: () => void): Promise<boolean> {
    if (!this.isIdle || this.stopped) return false;
    this.running = true;
    try {
      if (this.seq > this.snapshotSeq) {
        await this.services.journal.append({ actorId: this.id, expectedSeq: this.seq, events: [], indexWrites: [], snapshot: this.state }).durable;
        this.snapshotSeq = this.seq;
      }
    } catch (error) {
      this.services.logger.warn({ err: error, actorId: this.id }, 'passivation snapshot failed; the journal alone will recover the actor');
    } finally {
      this.running = false;
    }
    if (this.queue.length > 0) {
      void this.drain();
      return false;
    }
    this.stopped = true;
    remove();
    return true;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue.splice(0, this.services.limits.batchMessagesMax);
        await this.processBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async processBatch(batch: Envelope[]): Promise<void> {
    const { behavior, services } = this;
    const overlay = new IndexOverlay(services.journal, this.id);
    let decided: Decided[] = [];
    const events: Event[] = [];
    const indexWrites: IndexWrite[] = [];
    const deliveries: CausedDelivery[] = [];
    const causes: CauseRun[] = [];
    const releases: Release[] = [];
    let held = this.held;
    let tentative = this.state;

    for (let i = 0; i < batch.length; i++) {
      const envelope = batch[i] as Envelope;
      if (behavior.isQuery(envelope.message)) {
        decided.push({ envelope, reply: 'query' });
        continue;
      }
      try {
        const heldMessages = held.length === 0 ? noMessages : held.map((h) => h.message);
        const handled = behavior.handle(tentative, envelope.message, overlay, services.clock.now(), heldMessages);
        const eventCauses = handled.causes;
        for (let k = 0; k < handled.events.length; k++) {
          const event = handled.events[k] as Event;
          const cause = eventCauses?.[k] ?? envelope.cause;
          tentative = behavior.evolve(tentative, event);
          const writes = behavior.indexWritesOf(this.id, event, tentative);
          overlay.apply(writes);
          indexWrites.push(...writes);
          for (const delivery of behavior.deliveriesOf(this.id, event)) deliveries.push({ delivery, cause });
          events.push(event);
          if (eventCauses !== undefined) addToRuns(causes, cause, 1);
        }
        if (eventCauses === undefined) addToRuns(causes, envelope.cause, handled.events.length);
        behavior.assertInvariants(tentative, 'cheap');
        const reply = replyOf(handled.reply, tentative);
        if (reply === null) held = [...held, envelope];
        else decided.push({ envelope, reply });
        if (handled.releaseHeld !== undefined) {
          releases.push({ envelopes: held, replyFor: handled.releaseHeld });
          held = [];
        }
      } catch (error) {
        // A bug: this message fails; the others of the batch go back to the front of the
        // mailbox, undecided, and the state is recovered from the journal.
        services.logger.error({ err: error, actorId: this.id, message: envelope.message }, 'actor crashed on a message');
        envelope.fail(new ActorRuntimeError('internal_error', `actor ${this.id} failed on this message`, { cause: error }));
        const others = batch.filter((_, j) => j !== i);
        this.queue.unshift(...others);
        this.restart();
        return;
      }
    }

    const wakeAt = behavior.wakeAt(tentative);
    if (wakeAt !== this.wakeAt) indexWrites.push({ index: 'timers', key: this.id, value: wakeAt });
    if (events.length > 0 || indexWrites.length > 0) {
      const snapshotEvery = Math.max(services.limits.snapshotEveryEvents, behavior.snapshotWeight?.(tentative) ?? 0);
      const snapshotDue = (behavior.snapshotEveryAppend === true && events.length > 0) || this.seq + events.length - this.snapshotSeq >= snapshotEvery;
      const pending = services.journal.append({
        actorId: this.id,
        expectedSeq: this.seq,
        events,
        indexWrites,
        causes,
        at: services.clock.now(),
        ...(snapshotDue ? { snapshot: tentative } : {}),
        ...businessDateStamp(services.businessDate()),
      });
      if (pending.logPosition !== null) services.relay.reserve(pending.logPosition);
      services.observer.appendIssued(events.length);
      if (pending.logPosition !== null) decided = answeredOnceIssued(decided);
      const issuedAtMs = performance.now();
      try {
        await pending.durable;
        services.observer.appendDurable(performance.now() - issuedAtMs);
      } catch (error) {
        services.logger.error({ err: error, actorId: this.id }, 'journal append failed; the actor recovers from disk');
        const unknownOutcome = new ActorRuntimeError('journal_failed', `the journal write of ${this.id} failed; the outcome is unknown, retry`, {
          cause: error,
        });
        // Everything this batch touched fails, held messages too: their senders retry, and dedupe.
        for (const { envelope } of decided) envelope.fail(unknownOutcome);
        for (const release of releases) for (const envelope of release.envelopes) envelope.fail(unknownOutcome);
        for (const envelope of held) envelope.fail(unknownOutcome);
        this.held = [];
        this.armHoldTimer();
        const expectedSeq = this.seq + events.length;
        this.restart();
        // The write may have landed though it was reported failed: what recovery found on
        // disk obliges us to deliver, exactly as if it had been acknowledged.
        if (pending.logPosition !== null) {
          if (!this.stopped && this.seq >= expectedSeq) services.relay.commit(pending.logPosition, deliveries);
          else services.relay.release(pending.logPosition);
        }
        return;
      }
      this.seq += events.length;
      if (snapshotDue) this.snapshotSeq = this.seq;
      if (pending.logPosition !== null) services.relay.commit(pending.logPosition, deliveries);
    }
    this.state = tentative;
    this.held = held;
    this.armHoldTimer();
    this.wakeAt = wakeAt;
    services.wakes.set(this.id, wakeAt);
    this.lastActivityAt = services.clock.now();
    if (events.length > 0) services.onCommitted(this.id, events);
    const heldMessages = held.length === 0 ? noMessages : held.map((h) => h.message);
    for (const { envelope, reply } of decided) {
      envelope.reply(reply === 'query' ? behavior.query(this.state, envelope.message, heldMessages) : reply);
    }
    for (const release of releases) for (const envelope of release.envelopes) envelope.reply(release.replyFor(envelope.message));
  }

  /** While messages are held, a timer makes sure they are released within the behavior's delay. */
  private armHoldTimer(): void {
    if (this.held.length === 0) {
      this.holdTimer?.cancel();
      this.holdTimer = null;
      return;
    }
    if (this.holdTimer !== null) return;
    const delayMs = this.behavior.holdDelayMs?.(this.state) ?? null;
    const release = this.behavior.releaseHeldMessage?.();
    if (delayMs === null || release === undefined) return;
    this.holdTimer = this.services.timers.after(delayMs, () => {
      this.holdTimer = null;
      this.enqueue({ message: release, cause: systemCause, reply: () => {}, fail: () => this.armHoldTimer() });
    });
  }

  /** Recovery after a failure: from the journal, or stop for good if even that fails. */
  private restart(): void {
    try {
      this.recover();
    } catch (error) {
      this.services.logger.error({ err: error, actorId: this.id }, 'actor cannot recover from its journal; stopping it');
      this.stopped = true;
      for (const envelope of [...this.queue.splice(0), ...this.held]) {
        envelope.fail(new ActorRuntimeError('actor_unavailable', `actor ${this.id} cannot recover`, { cause: error }));
      }
      this.held = [];
      this.armHoldTimer();
      this.services.onStopped(this);
    }
  }

  /** State = latest snapshot + every event after it; checked deeply before use. */
  private recover(): void {
    const { journal } = this.services;
    const behavior = this.behavior;
    const snapshot = journal.readSnapshot(this.id);
    const initial = behavior.initialState(this.id);
    let state = snapshot === undefined ? initial : upgradedSnapshotState(behavior, initial, snapshot.state as State);
    let seq = snapshot?.seq ?? 0;
    for (const stored of journal.readEvents(this.id, seq + 1)) {
      if (stored.seq !== seq + 1) throw new InvariantViolation(`journal of ${this.id} skips from seq ${seq} to ${stored.seq}`);
      state = behavior.evolve(state, stored.event as Event);
      seq = stored.seq;
    }
    const head = journal.headSeq(this.id);
    if (seq !== head) throw new InvariantViolation(`journal of ${this.id} replays to seq ${seq}, its head is ${head}`);
    if (behavior.recovered !== undefined) state = behavior.recovered(state);
    behavior.assertInvariants(state, 'deep');
    this.state = state;
    this.seq = seq;
    this.snapshotSeq = snapshot?.seq ?? 0;
    this.wakeAt = (journal.getIndex('timers', this.id) as number | undefined) ?? null;
  }
}

/** Answers now the asks that take an issued append as their answer (Envelope.answerOnceIssued); returns those still waiting for durable. */
function answeredOnceIssued(decided: Decided[]): Decided[] {
  // Every append of every actor passes here; nearly all have no such ask: no new array then.
  if (!decided.some((entry) => entry.envelope.answerOnceIssued === true)) return decided;
  const waiting: Decided[] = [];
  for (const entry of decided) {
    if (entry.reply !== 'query' && entry.envelope.answerOnceIssued === true) entry.envelope.reply(entry.reply);
    else waiting.push(entry);
  }
  return waiting;
}

/** A snapshot's state as this version has it: missing fields added, then the type's own upgrade. */
export function upgradedSnapshotState<State, Event>(behavior: ActorBehavior<State, Event>, initial: State, loaded: State): State {
  const filled = withFieldsAdded(initial, loaded);
  return behavior.upgradeSnapshot === undefined ? filled : behavior.upgradeSnapshot(filled);
}
