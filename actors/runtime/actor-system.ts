import { getHeapStatistics } from 'node:v8';
import { currentCause, systemCause, type Cause } from './cause.js';
import type { Journal, StoredEvent } from '../../persistence/journal.js';
import { ActorCell, type CellServices, type Envelope } from './actor-cell.js';
import { actorTypeOf, type ActorBehavior, type ActorReply, type Delivery } from './behavior.js';
import { silentLogger, systemClock, systemTimers, type Clock, type Logger, type TimerHandle, type Timers } from './clock.js';
import { AskDeadlines } from './ask-deadlines.js';
import { PendingAsk } from './pending-ask.js';
import { ActorRuntimeError } from './errors.js';
import { messageTypeOf, ObservedEnvelope, silentObserver, type RuntimeObserver } from './observer.js';
import { checkRuntimeLimits, defaultRuntimeLimits, type RuntimeLimits } from './limits.js';
import { Relay, type Bus } from './relay.js';
import { WakeScheduler } from './wake-scheduler.js';

export interface ActorSystemOptions {
  readonly journal: Journal;
  readonly behaviors: readonly ActorBehavior<any, any>[];
  readonly limits?: Partial<RuntimeLimits>;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** How deliveries reach their actors; defaults to this system (embedded mode). */
  readonly bus?: Bus;
  /** The business date stamped on every append's log entry (end of day reads it). */
  readonly businessDate?: () => string | null;
  /** Told of every message and journal append (metrics); silent by default. */
  readonly observer?: RuntimeObserver;
  /** The JS heap in use, in bytes (see RuntimeLimits.liveHeapMaxMiB); V8's by default. */
  readonly heapUsedBytes?: () => number;
}

export interface ActorInspection {
  readonly id: string;
  readonly type: string;
  readonly live: boolean;
  readonly state: unknown;
  readonly seq: number;
  readonly snapshotSeq: number;
  readonly mailboxDepth: number;
  readonly wakeAt: number | null;
  readonly lastActivityAt: number | null;
  readonly lastEvents: readonly StoredEvent[];
}

/** Told of every committed batch's events: how a caller waits for a saga without polling. */
export type CommitListener = (actorId: string, events: readonly unknown[]) => void;

export interface ActorSummary {
  readonly id: string;
  readonly type: string;
  readonly mailboxDepth: number;
  readonly lastActivityAt: number;
}

/** One row of the ops listing: live actors with their mailbox, passivated ones as the journal has them. */
export interface ActorListing {
  readonly id: string;
  readonly type: string;
  readonly live: boolean;
  readonly mailboxDepth: number;
  readonly seq: number;
  /** When it last took a message; null when passivated (the journal keeps no times). */
  readonly lastActivityAt: number | null;
}

export interface ActorListQuery {
  readonly type?: string;
  /** The last id of the previous page (exclusive). */
  readonly after?: string;
  readonly limit: number;
}

/**
 * Activations between two looks at the heap, besides each sweep's: reads can activate
 * thousands of actors (a loan is tens of KiB) in the second between two sweeps before one
 * sees the heap over its bound; looked at every 64 activations, the overshoot is 64 actors'
 * worth. A look costs about a microsecond, an activation far more.
 */
const activationsPerHeapCheck = 64;

/**
 * The node's actors: activated on their first message (snapshot + replay), passivated when
 * idle, reached by `ask` (with a timeout) and `tell`. Owns the outbox relay and the wake
 * scheduler.
 */
export class ActorSystem implements Bus {
  readonly limits: RuntimeLimits;
  readonly relay: Relay;
  private readonly cells = new Map<string, ActorCell>();
  private readonly commitListeners = new Set<CommitListener>();
  private readonly behaviors: Map<string, ActorBehavior<any, any>>;
  /** The types that serve many addresses with one actor (ActorBehavior.cellIdOf): a few, matched by prefix on every delivery. */
  private readonly grouping: readonly { readonly prefix: string; readonly cellIdOf: (address: string) => string }[];
  private readonly wakes: WakeScheduler;
  private readonly services: CellServices;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private sweepTimer: TimerHandle | null = null;
  private readonly deadlines: AskDeadlines;
  private readonly observer: RuntimeObserver;
  private stopped = false;
  private activations = 0;
  private passivations = 0;
  /** Queries answered from the journal without activating their actor (over the heap bound). */
  private detachedReads = 0;
  /** Whether the heap was over liveHeapMaxMiB when last looked at: reads then leave passivated actors passivated. */
  private overHeapBound = false;
  /** Activations since the heap was last looked at (see activationsPerHeapCheck). */
  private activationsSinceHeapCheck = 0;
  /** Moves of a cell to the end of the live order (cellFor), counted: how recent a cell's place is. */
  private moves = 0;

  constructor(private readonly options: ActorSystemOptions) {
    this.limits = { ...defaultRuntimeLimits, ...options.limits };
    checkRuntimeLimits(this.limits);
    this.behaviors = new Map(options.behaviors.map((b) => [b.type, b]));
    this.grouping = options.behaviors.flatMap((b) => (b.cellIdOf === undefined ? [] : [{ prefix: `${b.type}:`, cellIdOf: b.cellIdOf.bind(b) }]));
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? silentObserver;
    this.relay = new Relay(options.bus ?? this, options.journal, this.limits, this.timers, this.logger);
    this.deadlines = new AskDeadlines(this.clock, this.timers);
    this.wakes = new WakeScheduler(this.clock, this.timers, this.limits.wakeTimerMaxMs, (id) => this.wake(id));
    this.services = {
      journal: options.journal,
      relay: this.relay,
      wakes: this.wakes,
      clock: this.clock,
      timers: this.timers,
      limits: this.limits,
      businessDate: options.businessDate ?? (() => null),
      logger: this.logger,
      observer: this.observer,
      onStopped: (cell) => this.forget(cell),
      onCommitted: (actorId, events) => this.committed(actorId, events),
    };
  }

  /** Reloads the wake-ups of passivated actors and re-derives undelivered outbox messages. */
  start(): { wakes: number; redeliveries: number } {
    for (const { key, value } of this.options.journal.scanIndex('timers')) this.wakes.set(key, value as number);
    const redeliveries = this.relay.recover((actorId, event) => this.deliveriesOf(actorId, event));
    this.sweepTimer = this.timers.every(this.limits.passivationSweepMs, () => this.sweepIdle());
    return { wakes: this.wakes.size, redeliveries };
  }

  ask(actorId: string, message: unknown, timeoutMs: number = this.limits.askTimeoutMs, cause: Cause = currentCause()): Promise<ActorReply> {
    const pending = new PendingAsk(actorId, message, cause, timeoutMs, this.deadlines);
    this.deliver(actorId, pending);
    return pending.promise;
  }

  /**
   * An ask answered once the actor's append is issued to this system's journal, not once it
   * is durable (Envelope.answerOnceIssued): for a caller whose next append, to the same
   * journal, must land only if this one did. A transfer's debit after its id's claim saves
   * a commit's wait this way.
   */
  askOnceIssued(actorId: string, message: unknown, timeoutMs: number = this.limits.askTimeoutMs, cause: Cause = currentCause()): Promise<ActorReply> {
    const pending = new PendingAsk(actorId, message, cause, timeoutMs, this.deadlines, true);
    this.deliver(actorId, pending);
    return pending.promise;
  }

  tell(actorId: string, message: unknown): void {
    this.deliver(actorId, {
      message,
      cause: currentCause(),
      reply: () => {},
      fail: (error) => this.logger.warn({ err: error, actorId }, 'told message failed'),
    });
  }

  /**
   * Listens to the events of every batch once it is durable and committed. Listeners run
   * synchronously on the actor's turn and must not throw (a throw is logged and ignored).
   * Returns the function that stops listening.
   */
  observe(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Its state as the decider sees it, live or (read from the journal) passivated. */
  inspect(address: string, lastEventsMax = 20): ActorInspection | undefined {
    const actorId = this.servingActorOf(address);
    const behavior = this.behaviors.get(actorTypeOf(actorId));
    if (behavior === undefined) return undefined;
    const cell = this.cells.get(actorId) ?? this.loadDetached(actorId, behavior);
    if (cell === undefined) return undefined;
    const view = cell.view();
    const fromSeq = Math.max(1, view.seq - lastEventsMax + 1);
    return {
      id: actorId,
      type: behavior.type,
      live: this.cells.has(actorId),
      state: view.state,
      seq: view.seq,
      snapshotSeq: view.snapshotSeq,
      mailboxDepth: view.mailboxDepth,
      wakeAt: view.wakeAt,
      lastActivityAt: this.cells.has(actorId) ? view.lastActivityAt : null,
      lastEvents: view.seq === 0 ? [] : [...this.options.journal.readEvents(actorId, fromSeq)],
    };
  }

  /** Whether any live actor is handling a batch or has messages queued (held ones aside). */
  anyBusy(): boolean {
    for (const cell of this.cells.values()) if (cell.isBusy) return true;
    return false;
  }

  /** Has any live actor messages waiting? Stops at the first that has (no listing of a node's actors built for a yes or no). */
  hasMessagesQueued(): boolean {
    for (const cell of this.cells.values()) if (cell.mailboxDepth > 0) return true;
    return false;
  }

  liveActors(type?: string): ActorSummary[] {
    const summaries: ActorSummary[] = [];
    for (const cell of this.cells.values()) {
      const cellType = actorTypeOf(cell.id);
      if (type !== undefined && cellType !== type) continue;
      summaries.push({ id: cell.id, type: cellType, mailboxDepth: cell.mailboxDepth, lastActivityAt: cell.lastActivityAt });
    }
    return summaries;
  }

  /**
   * A page of every actor (live or passivated) in id order: the journal's actors after the
   * cursor, plus live ones that have journaled nothing yet.
   */
  listActors(query: ActorListQuery): ActorListing[] {
    const prefix = query.type === undefined ? '' : `${query.type}:`;
    const after = query.after ?? '';
    const ids = new Set(this.options.journal.listActorIds({ prefix, after, limit: query.limit }));
    for (const cell of this.cells.values()) {
      if (cell.id.startsWith(prefix) && cell.id > after && cell.view().seq === 0) ids.add(cell.id);
    }
    return [...ids].sort().slice(0, query.limit).map((id) => this.listing(id));
  }

  /** The live actors with the deepest mailboxes (then the most recently active), at most `count`. */
  busiestActors(count: number, type?: string): ActorListing[] {
    return this.liveActors(type)
      .sort((a, b) => b.mailboxDepth - a.mailboxDepth || b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1))
      .slice(0, count)
      .map((summary) => this.listing(summary.id));
  }

  /** Messages waiting in every live mailbox, and the deepest one. */
  mailboxes(): { queued: number; deepest: number } {
    let queued = 0;
    let deepest = 0;
    for (const cell of this.cells.values()) {
      queued += cell.mailboxDepth;
      if (cell.mailboxDepth > deepest) deepest = cell.mailboxDepth;
    }
    return { queued, deepest };
  }

  stats(): { live: number; activations: number; passivations: number; detachedReads: number; wakesScheduled: number } {
    return { live: this.cells.size, activations: this.activations, passivations: this.passivations, detachedReads: this.detachedReads, wakesScheduled: this.wakes.size };
  }

  /** Stops taking messages, waits for busy actors, snapshots the idle ones. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sweepTimer?.cancel();
    this.wakes.stop();
    this.deadlines.stop();
    this.relay.stop();
    // Wall time on purpose: the injected clock may be a simulation's that does not move.
    const deadline = Date.now() + this.limits.askTimeoutMs;
    while ([...this.cells.values()].some((cell) => !cell.isIdle) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all([...this.cells.values()].map((cell) => cell.passivate(() => this.cells.delete(cell.id))));
  }

  /**
   * Passivates actors idle for longer than the limit, and the least recently used beyond
   * liveActorsMax or while the heap is over liveHeapMaxMiB (an eighth of them per sweep, so a
   * heap that only falls at the next collection does not empty the node at once); of the
   * idle ones beyond that excess, at most passivationsPerSweepMax writing a snapshot per sweep. The live cells are kept in
   * the order of their last message (cellFor moves a cell to the end), so the sweep reads the
   * oldest first and stops at the first that is neither old enough nor in excess: it costs
   * what it passivates, not every live actor (it was 2 % of the node's time on a 5,000-loan
   * repayment day). A cell whose batch ended after later cells' messages, or that was not
   * moved because it was already among the newest eighth, may sit a little early in the
   * order; it only delays their sweep.
   */
  sweepIdle(): void {
    const now = this.clock.now();
    let excess = Math.max(this.cells.size - this.limits.liveActorsMax, this.excessOverHeap());
    let snapshotsStarted = 0;
    for (const cell of this.cells.values()) {
      const idleLongEnough = now - cell.lastActivityAt >= this.limits.idleBeforePassivationMs;
      if (!idleLongEnough && excess <= 0) break;
      if (!cell.isIdle) continue;
      // The excess (over the heap bound, beyond liveActorsMax) always goes: capped, it let
      // activations outrun the sweeps (1.4 million live actors, 2.1 GiB, while 100,000 loans
      // were funded). The limit is on the idle ones' snapshots encoded at once; an actor only
      // read since its last snapshot leaves free.
      const inExcess = excess-- > 0;
      if (!inExcess && snapshotsStarted >= this.limits.passivationsPerSweepMax) break;
      if (!inExcess && cell.hasUnsnapshottedEvents) snapshotsStarted++;
      void cell.passivate(() => {
        this.cells.delete(cell.id);
        this.passivations++;
      });
    }
  }

  /** Over the heap limit: an eighth of the live actors (the least recently used idle ones) may go this sweep. */
  private excessOverHeap(): number {
    this.checkHeap();
    return this.overHeapBound ? Math.ceil(this.cells.size / 8) : 0;
  }

  private checkHeap(): void {
    const heapUsedBytes = this.options.heapUsedBytes?.() ?? getHeapStatistics().used_heap_size;
    this.overHeapBound = heapUsedBytes > this.limits.liveHeapMaxMiB * 2 ** 20;
    this.activationsSinceHeapCheck = 0;
  }

  /**
   * Over the heap bound, a query for an actor that is not live is answered from its journal
   * (snapshot + replay, as an activation would) and the state dropped: reading every loan
   * back activated them faster than the sweeps could let them go (each passivation waits for
   * its snapshot's write), and a node of 100,000 loans died at V8's heap limit. Commands
   * still activate. False when the envelope is not such a query (it goes the usual way).
   */
  private answeredDetached(actorId: string, envelope: Envelope): boolean {
    if (!this.overHeapBound && this.activationsSinceHeapCheck >= activationsPerHeapCheck) this.checkHeap();
    if (!this.overHeapBound || this.cells.has(actorId)) return false;
    const behavior = this.behaviors.get(actorTypeOf(actorId));
    if (behavior === undefined || !behavior.isQuery(envelope.message)) return false;
    let reply: ActorReply;
    try {
      const cell = this.loadDetached(actorId, behavior);
      // Never journaled: activated the usual way (it answers from its initial state, and stays small).
      if (cell === undefined) return false;
      reply = behavior.query(cell.view().state, envelope.message, []);
    } catch (error) {
      this.logger.error({ err: error, actorId }, 'actor cannot be read from its journal');
      envelope.fail(error instanceof ActorRuntimeError ? error : new ActorRuntimeError('actor_unavailable', `actor ${actorId} cannot be read`, { cause: error }));
      return true;
    }
    this.detachedReads++;
    envelope.reply(reply);
    return true;
  }

  private listing(id: string): ActorListing {
    const cell = this.cells.get(id);
    if (cell === undefined) return { id, type: actorTypeOf(id), live: false, mailboxDepth: 0, seq: this.options.journal.headSeq(id), lastActivityAt: null };
    const view = cell.view();
    return { id, type: actorTypeOf(id), live: true, mailboxDepth: view.mailboxDepth, seq: view.seq, lastActivityAt: view.lastActivityAt };
  }

  private deliver(address: string, unobserved: Envelope): void {
    const actorId = this.servingActorOf(address);
    const envelope = this.observed(actorId, unobserved);
    if (this.stopped) {
      envelope.fail(new ActorRuntimeError('system_stopped', 'the node is stopping'));
      return;
    }
    if (this.answeredDetached(actorId, envelope)) return;
    const cell = this.cellFor(actorId, envelope);
    cell?.enqueue(envelope);
  }

  /** The actor that serves an address: itself, unless its type groups addresses (ActorBehavior.cellIdOf). */
  private servingActorOf(address: string): string {
    for (const { prefix, cellIdOf } of this.grouping) if (address.startsWith(prefix)) return cellIdOf(address);
    return address;
  }

  /** The envelope, telling the observer how and when it ends. */
  private observed(actorId: string, envelope: Envelope): Envelope {
    if (this.observer === silentObserver) return envelope;
    return new ObservedEnvelope(envelope, this.observer.messageMeter(actorTypeOf(actorId), messageTypeOf(envelope.message)), performance.now());
  }

  private cellFor(actorId: string, envelope: Envelope): ActorCell | undefined {
    const live = this.cells.get(actorId);
    if (live !== undefined) {
      // To the end: the map stays in the order of the cells' last messages (see sweepIdle) —
      // unless the cell is already among the newest eighth (moved since fewer moves than that):
      // a hot actor's every message then costs no map delete and insert.
      if (this.moves - live.orderedAt > this.cells.size >> 3) {
        this.cells.delete(actorId);
        this.cells.set(actorId, live);
        live.orderedAt = ++this.moves;
      }
      return live;
    }
    const behavior = this.behaviors.get(actorTypeOf(actorId));
    if (behavior === undefined) {
      envelope.fail(new ActorRuntimeError('actor_unavailable', `no actor type for ${actorId}`));
      return undefined;
    }
    try {
      const cell = new ActorCell(actorId, behavior, this.services);
      this.cells.set(actorId, cell);
      cell.orderedAt = ++this.moves;
      this.activations++;
      this.activationsSinceHeapCheck++;
      return cell;
    } catch (error) {
      this.logger.error({ err: error, actorId }, 'actor cannot be activated from its journal');
      envelope.fail(new ActorRuntimeError('actor_unavailable', `actor ${actorId} cannot be activated`, { cause: error }));
      return undefined;
    }
  }

  /** A passivated actor read from its journal for inspection, without activating it. */
  private loadDetached(actorId: string, behavior: ActorBehavior<any, any>): ActorCell | undefined {
    if (this.options.journal.headSeq(actorId) === 0) return undefined;
    try {
      return new ActorCell(actorId, behavior, { ...this.services, onStopped: () => {}, onCommitted: () => {} });
    } catch (error) {
      throw new ActorRuntimeError('actor_unavailable', `actor ${actorId} cannot be read from its journal`, { cause: error });
    }
  }

  private committed(actorId: string, events: readonly unknown[]): void {
    for (const listener of this.commitListeners) {
      try {
        listener(actorId, events);
      } catch (error) {
        this.logger.error({ err: error, actorId }, 'a commit listener threw');
      }
    }
  }

  private forget(cell: ActorCell): void {
    if (this.cells.get(cell.id) === cell) this.cells.delete(cell.id);
  }

  private wake(actorId: string): void {
    const behavior = this.behaviors.get(actorTypeOf(actorId));
    if (behavior === undefined) return;
    this.deliver(actorId, {
      message: behavior.wakeMessage(),
      cause: systemCause,
      reply: () => {},
      // A wake that cannot be delivered now (full mailbox) is tried again shortly.
      fail: () => this.wakes.set(actorId, this.clock.now() + 1_000),
    });
  }

  private deliveriesOf(actorId: string, event: unknown): readonly Delivery[] {
    const behavior = this.behaviors.get(actorTypeOf(actorId));
    return behavior === undefined ? [] : behavior.deliveriesOf(actorId, event);
  }
}
