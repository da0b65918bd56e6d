import { InvariantViolation } from '../../core/rejection.js';
import type { Journal, PendingAppend } from '../../persistence/journal.js';
import { replyOf, type ActorBehavior, type ActorReply } from './behavior.js';
import type { Clock, Logger, TimerHandle, Timers } from './clock.js';
import { ActorRuntimeError } from './errors.js';
import { IndexOverlay } from './index-overlay.js';
import { InFlightWrites } from './in-flight-writes.js';
import type { Decided, DecidedBatch, Flight } from './flight.js';
import type { RuntimeLimits } from './limits.js';
import type { RuntimeObserver } from './observer.js';
import type { Relay } from './relay.js';
import { addToRuns, systemCause, type Cause } from './cause.js';
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

const noMessages: readonly unknown[] = Object.freeze([]);

function businessDateStamp(date: string | null): { businessDate?: string } {
  return date === null ? {} : { businessDate: date };
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
  /** Batches journaled and not yet durable, oldest first (see Flight). */
  private flights: Flight<State, Event>[] = [];
  private flightsTaken = 0;
  /** The index writes of the batches in flight, over the journal's: what the next batch looks up. */
  private readonly inFlightWrites: InFlightWrites;
  /** A batch failed: nothing more is decided until those in flight have settled and the state is recovered. */
  private recovering = false;
  private readonly failedFlights: Flight<State, Event>[] = [];
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
    this.inFlightWrites = new InFlightWrites(services.journal);
    this.recover();
  }

  get mailboxDepth(): number {
    return this.queue.length;
  }

  /** Handling a batch (its append may still be on its way to disk) or with messages queued. */
  get isBusy(): boolean {
    return this.running || this.queue.length > 0 || this.flights.length > 0;
  }

  /** Events since the last snapshot: passivating writes one first. */
  get hasUnsnapshottedEvents(): boolean {
    return this.seq > this.snapshotSeq;
  }

  get isIdle(): boolean {
    return !this.running && this.queue.length === 0 && this.held.length === 0 && this.flights.length === 0;
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
        // A failure waits for every batch in flight to settle, then recovery; a full pipeline for its oldest batch.
        const oldest = this.flights[0];
        if (oldest !== undefined && (this.recovering || this.flights.length >= this.services.limits.appendsInFlightPerActorMax)) {
          await oldest.settled;
          continue;
        }
        if (this.recovering) this.recoverAfterFlights();
        const batch = this.queue.splice(0, this.services.limits.batchMessagesMax);
        const flight = this.processBatch(batch);
        // Pipelined: the next batch is decided now, on this one's state; otherwise once it settled.
        if (flight !== null && !flight.pipelined) await flight.settled;
      }
    } finally {
      this.running = false;
    }
  }

  /** Decides a batch and journals it: the flight it took off (null: a bug stopped it). */
  private processBatch(batch: Envelope[]): Flight<State, Event> | null {
    const decided = this.decideBatch(batch);
    if (decided === null) return null;
    const { services, behavior } = this;
    const { events, indexWrites, tentative, held, releases } = decided;
    const wakeAt = behavior.wakeAt(tentative);
    if (wakeAt !== this.wakeAt) indexWrites.push({ index: 'timers', key: this.id, value: wakeAt });
    let pending: PendingAppend | null = null;
    let snapshotDue = false;
    let replies = decided.replies;
    if (events.length > 0 || indexWrites.length > 0) {
      const snapshotEvery = Math.max(services.limits.snapshotEveryEvents, behavior.snapshotWeight?.(tentative) ?? 0);
      snapshotDue = (behavior.snapshotEveryAppend === true && events.length > 0) || this.seq + events.length - this.snapshotSeq >= snapshotEvery;
      pending = services.journal.append({
        actorId: this.id,
        expectedSeq: this.seq,
        events,
        indexWrites,
        causes: decided.causes,
        at: services.clock.now(),
        ...(snapshotDue ? { snapshot: tentative } : {}),
        ...businessDateStamp(services.businessDate()),
      });
      if (pending.logPosition !== null) services.relay.reserve(pending.logPosition);
      services.observer.appendIssued(events.length);
      if (pending.logPosition !== null) replies = answeredOnceIssued(replies);
    }
    const previous = this.flights[this.flights.length - 1];
    // Without an append of its own, a batch is durable once the batch before it is (its replies may rest on that one's writes).
    const durable = pending?.durable ?? previous?.landing;
    const flight: Flight<State, Event> = {
      number: ++this.flightsTaken,
      position: pending?.logPosition ?? null,
      seqEnd: this.seq + events.length,
      events,
      writes: indexWrites,
      deliveries: decided.deliveries,
      replies,
      releases,
      held,
      stateAfter: tentative,
      wakeAt,
      issuedAtMs: performance.now(),
      pipelined: this.behavior.pipelinesAppends === true && pending?.logPosition != null && held.length === 0 && releases.length === 0 && this.held.length === 0,
      landing: durable ?? Promise.resolve(),
      settled: Promise.resolve(),
    };
    // The actor's position moves on now; a batch that does not land puts it back (recovery).
    this.state = tentative;
    this.seq = flight.seqEnd;
    if (snapshotDue) this.snapshotSeq = this.seq;
    this.wakeAt = wakeAt;
    this.held = held;
    this.lastActivityAt = services.clock.now();
    if (durable === undefined) {
      this.landed(flight);
      return flight;
    }
    this.inFlightWrites.add(flight.number, indexWrites);
    this.flights.push(flight);
    flight.settled = durable.then(
      () => this.landed(flight),
      (error: unknown) => this.notLanded(flight, error),
    );
    return flight;
  }

  /** Each message decided against the state so far in the batch; null when a bug stopped the batch (its other messages are queued again). */
  private decideBatch(batch: Envelope[]): DecidedBatch<State, Event> | null {
    const { behavior, services } = this;
    const overlay = new IndexOverlay(this.inFlightWrites, this.id);
    const out: DecidedBatch<State, Event> = { replies: [], events: [], indexWrites: [], deliveries: [], causes: [], releases: [], held: this.held, tentative: this.state };
    for (let i = 0; i < batch.length; i++) {
      const envelope = batch[i] as Envelope;
      if (behavior.isQuery(envelope.message)) {
        out.replies.push({ envelope, reply: 'query' });
        continue;
      }
      try {
        this.decideOne(envelope, overlay, out);
      } catch (error) {
        // A bug: this message fails; the others of the batch go back to the front of the
        // mailbox, undecided, and the state is recovered from the journal.
        services.logger.error({ err: error, actorId: this.id, message: envelope.message }, 'actor crashed on a message');
        envelope.fail(new ActorRuntimeError('internal_error', `actor ${this.id} failed on this message`, { cause: error }));
        this.queue.unshift(...batch.filter((_, j) => j !== i));
        this.recoverWhenSettled();
        return null;
      }
    }
    return out;
  }

  private decideOne(envelope: Envelope, overlay: IndexOverlay, out: DecidedBatch<State, Event>): void {
    const { behavior, services } = this;
    const heldMessages = out.held.length === 0 ? noMessages : out.held.map((h) => h.message);
    const handled = behavior.handle(out.tentative, envelope.message, overlay, services.clock.now(), heldMessages);
    const eventCauses = handled.causes;
    for (let k = 0; k < handled.events.length; k++) {
      const event = handled.events[k] as Event;
      const cause = eventCauses?.[k] ?? envelope.cause;
      out.tentative = behavior.evolve(out.tentative, event);
      const writes = behavior.indexWritesOf(this.id, event, out.tentative);
      overlay.apply(writes);
      out.indexWrites.push(...writes);
      for (const delivery of behavior.deliveriesOf(this.id, event)) out.deliveries.push({ delivery, cause });
      out.events.push(event);
      if (eventCauses !== undefined) addToRuns(out.causes, cause, 1);
    }
    if (eventCauses === undefined) addToRuns(out.causes, envelope.cause, handled.events.length);
    behavior.assertInvariants(out.tentative, 'cheap');
    const reply = replyOf(handled.reply, out.tentative);
    if (reply === null) out.held = [...out.held, envelope];
    else out.replies.push({ envelope, reply });
    if (handled.releaseHeld !== undefined) {
      out.releases.push({ envelopes: out.held, replyFor: handled.releaseHeld });
      out.held = [];
    }
  }

  /** A batch durable: what it obliges is committed, then its replies go. */
  private landed(flight: Flight<State, Event>): void {
    const { services, behavior } = this;
    this.flights = this.flights.filter((f) => f !== flight);
    this.inFlightWrites.landed(flight.number, flight.writes);
    if (flight.position !== null) {
      services.observer.appendDurable(performance.now() - flight.issuedAtMs);
      services.relay.commit(flight.position, flight.deliveries);
    }
    if (!flight.pipelined) this.armHoldTimer();
    services.wakes.set(this.id, flight.wakeAt);
    this.lastActivityAt = services.clock.now();
    if (flight.events.length > 0) services.onCommitted(this.id, flight.events);
    const heldMessages = flight.held.length === 0 ? noMessages : flight.held.map((h) => h.message);
    for (const { envelope, reply } of flight.replies) {
      envelope.reply(reply === 'query' ? behavior.query(flight.stateAfter, envelope.message, heldMessages) : reply);
    }
    for (const release of flight.releases) for (const envelope of release.envelopes) envelope.reply(release.replyFor(envelope.message));
    if (this.recovering && this.flights.length === 0) this.recoverAfterFlights();
  }

  /**
   * A batch that did not land (or whose outcome is unknown): everything it touched fails,
   * held messages too — their senders retry, and dedupe. Every batch in flight after it
   * fails the same way (the journal lands appends in order); the actor recovers from disk
   * once none is in flight.
   */
  private notLanded(flight: Flight<State, Event>, error: unknown): void {
    this.flights = this.flights.filter((f) => f !== flight);
    this.services.logger.error({ err: error, actorId: this.id }, 'journal append failed; the actor recovers from disk');
    const unknownOutcome = new ActorRuntimeError('journal_failed', `the journal write of ${this.id} failed; the outcome is unknown, retry`, { cause: error });
    for (const { envelope } of flight.replies) envelope.fail(unknownOutcome);
    for (const release of flight.releases) for (const envelope of release.envelopes) envelope.fail(unknownOutcome);
    for (const envelope of flight.held) envelope.fail(unknownOutcome);
    this.held = [];
    this.armHoldTimer();
    this.failedFlights.push(flight);
    this.recoverWhenSettled();
  }

  /** Recovery now, or once the batches in flight have settled (their outcomes decide what is on disk). */
  private recoverWhenSettled(): void {
    this.recovering = true;
    if (this.flights.length === 0) this.recoverAfterFlights();
  }

  private recoverAfterFlights(): void {
    this.recovering = false;
    this.inFlightWrites.clear();
    this.restart();
    // A write may have landed though it was reported failed: what recovery found on disk
    // obliges us to deliver, exactly as if it had been acknowledged.
    for (const flight of this.failedFlights.splice(0)) {
      if (flight.position === null) continue;
      if (!this.stopped && this.seq >= flight.seqEnd) this.services.relay.commit(flight.position, flight.deliveries);
      else this.services.relay.release(flight.position);
    }
    if (!this.running && this.queue.length > 0 && !this.stopped) void this.drain();
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
function answeredOnceIssued(decided: readonly Decided[]): Decided[] {
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
