import { getHeapStatistics } from 'node:v8';

/** Every queue, batch and wait of the runtime has a named limit. Relations are checked at start-up. */
export interface RuntimeLimits {
  /** Messages waiting in one actor's mailbox; beyond it `mailbox_full`. */
  readonly mailboxDepthMax: number;
  /** Messages decided together and journaled in one write. */
  readonly batchMessagesMax: number;
  /** How long an `ask` waits for its reply before it rejects with `ask_timeout`. */
  readonly askTimeoutMs: number;
  /** An actor with nothing to do for this long is passivated (snapshot, then out of memory). */
  readonly idleBeforePassivationMs: number;
  /** How often idle actors are looked for. */
  readonly passivationSweepMs: number;
  /**
   * Passivations of idle actors that write a snapshot one sweep starts at most (an actor with
   * nothing new since its last snapshot just leaves; the excess over liveHeapMaxMiB or
   * liveActorsMax is not capped). Each encodes its snapshot at once and holds it until its
   * commit: at the end of a platform-size repayment day tens of thousands of
   * actors reach their idle time together, and snapshotting them all in one turn is a spike
   * of hundreds of MiB; the rest go at the next sweeps.
   */
  readonly passivationsPerSweepMax: number;
  /** Live actors a node keeps; beyond it the least recently used idle ones are passivated early. */
  readonly liveActorsMax: number;
  /**
   * The JS heap a node aims to stay under (MiB): above it, each sweep passivates the least
   * recently used idle actors early, an eighth of the live ones at most, whatever their idle
   * time. Actors differ in size (a loan with its claims is tens of KiB), so a count alone does
   * not bound memory: 100,000 loans read within a minute took a node past V8's heap limit.
   */
  readonly liveHeapMaxMiB: number;
  /** A snapshot is written with the batch that brings this many events since the last one. */
  readonly snapshotEveryEvents: number;
  /** Deliveries of the outbox relay awaiting their reply at once. */
  readonly relayInFlightMax: number;
  /** Deliveries the relay holds (queued, in flight, waiting to retry); beyond it the node is overloaded. */
  readonly relayBacklogMax: number;
  /** Longest wait between two attempts of one delivery. */
  readonly relayRetryDelayMaxMs: number;
  /** How often the relay records how far the log is delivered. */
  readonly relayCursorSaveMs: number;
  /** Longest single timer of the wake scheduler (timers longer than this are re-armed). */
  readonly wakeTimerMaxMs: number;
}

/** Half of this process's V8 heap limit: room for garbage not yet collected and for work in flight. */
function liveHeapMaxMiBDefault(): number {
  return Math.max(1, Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20 / 2));
}

export const defaultRuntimeLimits: RuntimeLimits = {
  mailboxDepthMax: 10_000,
  batchMessagesMax: 1_000,
  askTimeoutMs: 10_000,
  idleBeforePassivationMs: 60_000,
  passivationSweepMs: 1_000,
  passivationsPerSweepMax: 2_048,
  liveActorsMax: 1_000_000,
  liveHeapMaxMiB: liveHeapMaxMiBDefault(),
  snapshotEveryEvents: 1_000,
  relayInFlightMax: 4_096,
  relayBacklogMax: 1_000_000,
  relayRetryDelayMaxMs: 5_000,
  relayCursorSaveMs: 1_000,
  wakeTimerMaxMs: 60 * 60 * 1000,
};

export function checkRuntimeLimits(limits: RuntimeLimits): void {
  const positive = Object.entries(limits).filter(([, value]) => !(Number.isInteger(value) && value > 0));
  if (positive.length > 0) throw new RangeError(`runtime limits must be positive integers: ${positive.map(([k]) => k).join(', ')}`);
  if (limits.batchMessagesMax > limits.mailboxDepthMax) throw new RangeError('batchMessagesMax must not exceed mailboxDepthMax');
  if (limits.relayInFlightMax > limits.relayBacklogMax) throw new RangeError('relayInFlightMax must not exceed relayBacklogMax');
  if (limits.wakeTimerMaxMs >= 2 ** 31) throw new RangeError('wakeTimerMaxMs must fit a Node timer (< 2^31 ms)');
}
