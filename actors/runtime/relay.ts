import type { Journal } from '../../persistence/journal.js';
import type { ActorReply, Delivery } from './behavior.js';
import { causeAt, sameCause, systemCause, type Cause } from './cause.js';
import type { Logger, TimerHandle, Timers } from './clock.js';
import { isRuntimeError } from './errors.js';
import { Fifo } from './fifo.js';
import type { RuntimeLimits } from './limits.js';

/** How the relay reaches an actor: in process, or over NATS in cluster mode. */
export interface Bus {
  /** `cause`: who the ask is on behalf of (the audit trail); absent: the request being served, or `system`. */
  ask(actorId: string, message: unknown, timeoutMs?: number, cause?: Cause): Promise<ActorReply>;
  /**
   * Many asks at once, each answered (or failed) on its own, in the order given: a bus that
   * can carry them together does (NATS: one request per node or partition instead of one per ask).
   * Absent: `askEach` asks them one by one.
   */
  askMany?(asks: readonly BusAsk[], timeoutMs?: number): Promise<ActorReply>[];
  /**
   * An ask answered once the actor's append is issued rather than durable (see
   * Envelope.answerOnceIssued): only a bus whose actors journal where the caller's next
   * append goes (one node's own actors) has it. Absent: the caller asks.
   */
  askOnceIssued?(actorId: string, message: unknown, timeoutMs?: number, cause?: Cause): Promise<ActorReply>;
}

/** One ask of `Bus.askMany`. */
export interface BusAsk {
  readonly actorId: string;
  readonly message: unknown;
  readonly cause: Cause;
}

/** The asks through the bus's `askMany`, or one by one; per ask its reply, in the order given. */
export function askEach(bus: Bus, asks: readonly BusAsk[], timeoutMs?: number): Promise<ActorReply>[] {
  if (bus.askMany !== undefined) return bus.askMany(asks, timeoutMs);
  return asks.map(({ actorId, message, cause }) => {
    try {
      return bus.ask(actorId, message, timeoutMs, cause);
    } catch (error) {
      return Promise.reject(error);
    }
  });
}

/** A delivery with the cause of the event that obliged it: its receiver's events carry that cause on. */
export interface CausedDelivery {
  readonly delivery: Delivery;
  readonly cause: Cause;
}

interface Item {
  readonly position: number;
  readonly delivery: Delivery;
  readonly cause: Cause;
  attempts: number;
}

const cursorKey = 'relay.cursor';
const retryDelayFirstMs = 5;

/** An ask of a pump as the bus takes it; its cause turns to fundcore's own when it carries several. */
type PumpAsk = { -readonly [K in keyof BusAsk]: BusAsk[K] };

/**
 * The asks of a pump (with the item each is for), and the items that ride on one of them
 * (by its index): those with a coalesce key (Delivery.coalesceKey) after the first of the
 * same receiver and key. An ask is on behalf of its items' one cause, or fundcore's own when
 * they name several.
 */
function coalesced(taken: readonly Item[]): { items: Item[]; asks: PumpAsk[]; riders: [Item, number][] } {
  const items: Item[] = [];
  const asks: PumpAsk[] = [];
  const riders: [Item, number][] = [];
  let leaders: Map<string, number> | null = null;
  for (const item of taken) {
    const { to, message, coalesceKey } = item.delivery;
    const group = coalesceKey === undefined ? null : `${to}\u0000${coalesceKey}`;
    const leader = group === null ? undefined : leaders?.get(group);
    if (leader === undefined) {
      if (group !== null) (leaders ??= new Map()).set(group, asks.length);
      items.push(item);
      asks.push({ actorId: to, message, cause: item.cause });
      continue;
    }
    riders.push([item, leader]);
    const ask = asks[leader] as PumpAsk;
    if (!sameCause(ask.cause, item.cause)) ask.cause = systemCause;
  }
  return { items, asks, riders };
}

/**
 * The outbox relay: delivers, at least once, every message that journaled events oblige
 * the node to send (a transfer's credit, a refused credit's return). Nothing per delivery
 * is written: each is tracked in memory by the log position of the append that caused it,
 * and the lowest position not fully delivered — the cursor — is saved now and then. After
 * a crash the relay derives the deliveries again from the log from the cursor on;
 * receivers dedupe what was already delivered.
 */
export class Relay {
  private readonly outstandingByPosition = new Map<number, number>();
  private readonly queue = new Fifo<Item>();
  private inFlight = 0;
  private retrying = 0;
  /** Deliveries whose receiver refused them "not yet" (`retryOnRefusal`) and that are not done. */
  private readonly refusedForNow = new Set<Item>();
  private pumpScheduled = false;
  private highestPosition = 0;
  private savedCursor = 0;
  private cursorTimer: TimerHandle | null = null;
  private stopped = false;
  private delivered = 0;

  constructor(
    private readonly bus: Bus,
    private readonly journal: Journal,
    private readonly limits: RuntimeLimits,
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {}

  /**
   * Re-derives what may be undelivered: every logged append from the saved cursor on.
   * `deliveriesOf` maps one journaled event to its deliveries.
   */
  recover(deliveriesOf: (actorId: string, event: unknown) => readonly Delivery[]): number {
    const cursor = (this.journal.getMeta(cursorKey) as number | undefined) ?? 1;
    this.savedCursor = cursor;
    this.highestPosition = Math.max(this.highestPosition, cursor - 1);
    let recovered = 0;
    for (const entry of this.journal.readLog(cursor)) {
      this.reserve(entry.position);
      const deliveries: CausedDelivery[] = [];
      let read = 0;
      for (const stored of this.journal.readEvents(entry.actorId, entry.firstSeq)) {
        if (read >= entry.count) break;
        const cause = causeAt(entry.causes, read++);
        for (const delivery of deliveriesOf(entry.actorId, stored.event)) deliveries.push({ delivery, cause });
      }
      this.commit(entry.position, deliveries);
      recovered += deliveries.length;
    }
    this.cursorTimer = this.timers.every(this.limits.relayCursorSaveMs, () => this.saveCursor());
    return recovered;
  }

  /** Called when an append is issued, before it is durable: holds the cursor below it. */
  reserve(position: number): void {
    this.outstandingByPosition.set(position, 1);
    if (position > this.highestPosition) this.highestPosition = position;
  }

  /** Called once the append is durable, with what its events oblige us to deliver. */
  commit(position: number, deliveries: readonly CausedDelivery[]): void {
    if (deliveries.length === 0) {
      this.outstandingByPosition.delete(position);
      return;
    }
    this.outstandingByPosition.set(position, deliveries.length);
    for (const { delivery, cause } of deliveries) this.queue.push({ position, delivery, cause, attempts: 0 });
    this.schedulePump();
  }

  /** Called when the append failed: it obliges us to nothing. */
  release(position: number): void {
    this.outstandingByPosition.delete(position);
  }

  /** Deliveries held: queued, in flight or waiting for a retry. */
  get backlog(): number {
    return this.queue.length + this.inFlight + this.retrying;
  }

  get overloaded(): boolean {
    return this.backlog >= this.limits.relayBacklogMax;
  }

  stats(): { backlog: number; inFlight: number; delivered: number; cursor: number; refusedForNow: number } {
    return { backlog: this.backlog, inFlight: this.inFlight, delivered: this.delivered, cursor: this.cursor(), refusedForNow: this.refusedForNow.size };
  }

  /** Lowest log position whose deliveries are not all done. */
  cursor(): number {
    for (const position of this.outstandingByPosition.keys()) return position;
    return this.highestPosition + 1;
  }

  stop(): void {
    this.stopped = true;
    this.cursorTimer?.cancel();
    this.saveCursor();
  }

  private saveCursor(): void {
    const cursor = this.cursor();
    if (cursor === this.savedCursor) return;
    this.savedCursor = cursor;
    this.journal.putMeta(cursorKey, cursor);
  }

  /**
   * Pumps once the current turn is over: deliveries queued within one turn (the deliveries of
   * every append committed together, the completions of one batch of replies) leave together,
   * so a bus that carries many asks in one message gets them in one call.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const taken: Item[] = [];
    while (!this.stopped && this.inFlight < this.limits.relayInFlightMax && this.queue.length > 0) {
      const item = this.queue.shift() as Item;
      item.attempts++;
      this.inFlight++;
      taken.push(item);
    }
    if (taken.length === 0) return;
    const { items, asks, riders } = coalesced(taken);
    const replies = askEach(this.bus, asks);
    items.forEach((item, i) => void this.attempt(item, replies[i] as Promise<ActorReply>));
    // A coalesced delivery takes the answer of the ask it rode on: done, refused or retried alike.
    for (const [item, leader] of riders) void this.attempt(item, replies[leader] as Promise<ActorReply>);
  }

  private async attempt(item: Item, asked: Promise<ActorReply>): Promise<void> {
    try {
      const reply = await asked;
      if (reply.ok) this.accepted(item, reply.value);
      else this.refused(item, reply.code, reply.detail);
    } catch (error) {
      if (!isRuntimeError(error)) this.logger.error({ err: error, to: item.delivery.to }, 'relay delivery failed unexpectedly');
      this.retryLater(item);
    } finally {
      this.inFlight--;
      this.schedulePump();
    }
  }

  private accepted(item: Item, value: unknown): void {
    this.refusedForNow.delete(item);
    const next = item.delivery.onAccepted?.(value) ?? null;
    if (next === null) this.done(item);
    else this.queue.push({ position: item.position, delivery: next, cause: item.cause, attempts: 0 });
  }

  private refused(item: Item, code: string, detail: string): void {
    if (item.delivery.retryOnRefusal?.includes(code) === true) {
      this.waitingAfterRefusal(item, code, detail);
      return;
    }
    this.refusedForNow.delete(item);
    const next = item.delivery.onRefused?.(code, detail) ?? null;
    if (next === null) {
      this.logger.warn({ to: item.delivery.to, code, detail }, 'delivery refused; nothing to send back');
      this.done(item);
      return;
    }
    this.queue.push({ position: item.position, delivery: next, cause: item.cause, attempts: 0 });
  }

  /** Refused for now: asked again after the backoff, counted (and logged once) while it waits. */
  private waitingAfterRefusal(item: Item, code: string, detail: string): void {
    if (!this.refusedForNow.has(item)) {
      this.refusedForNow.add(item);
      this.logger.info({ to: item.delivery.to, code, detail }, 'delivery refused for now; asking again later');
    }
    this.retryLater(item);
  }

  private done(item: Item): void {
    this.delivered++;
    const left = (this.outstandingByPosition.get(item.position) ?? 1) - 1;
    if (left <= 0) this.outstandingByPosition.delete(item.position);
    else this.outstandingByPosition.set(item.position, left);
  }

  private retryLater(item: Item): void {
    const delayMs = Math.min(retryDelayFirstMs * 2 ** Math.min(item.attempts, 20), this.limits.relayRetryDelayMaxMs);
    this.retrying++;
    this.timers.after(delayMs, () => {
      this.retrying--;
      this.queue.push(item);
      this.schedulePump();
    });
  }
}
