import type { BusinessDate } from '../../calendar/business-date.js';
import { availableOfCapital, type Capital, type CapitalSource } from '../capital.js';

/**
 * The capitals of one source in matching order — by creation day, then arrival — without a
 * scan of the shard and without a sort: each day a queue in arrival order (a shard numbers
 * its arrivals, so a day's capitals arrive in order), the days kept sorted (a capital
 * created on an earlier day than the newest one arrives late only after a redelivery: a rare
 * insertion into a short list of open days).
 *
 * A capital enters when added and leaves from the front of its day's queue once it cannot be
 * matched now (isMatchable): fully matched, pulled back, or reserved in full by a loan still
 * matching. Reservations take the oldest first, so what they take in full is the front, and
 * it leaves at once: a reservation reads only what it takes. A capital whose reservation is
 * released comes back to its place (requeueCapital). It once stayed, skipped: with many
 * loans reserved and not yet approved, every reservation read past all they held — while
 * 100,000 loans were published, two thirds of the main thread went there. Plain arrays and maps: the queues
 * are part of the shard's state and of its snapshots.
 */
export interface MatchQueue {
  /** Days with capitals still queued, ascending. */
  readonly days: BusinessDate[];
  /** Each day's capital ids in arrival order, with their arrivals; those before `head` have left. */
  readonly byDay: Map<BusinessDate, DayQueue>;
}

/**
 * A day's queue. The arrivals are kept beside the ids (not looked up in the shard) because a
 * capital fully matched leaves the shard's live state while its id may still sit in the
 * middle of a queue, until the front passes it.
 */
interface DayQueue {
  ids: string[];
  arrivals: number[];
  head: number;
}

export type MatchQueues = Map<CapitalSource, MatchQueue>;

/** Could a reservation take some of it now: still normal, with money neither matched, reserved nor pulled back. */
export function isMatchable(capital: Capital): boolean {
  return capital.status === 'normal' && availableOfCapital(capital) > 0n;
}

export function enqueueCapital(queues: MatchQueues, capital: Capital): void {
  let queue = queues.get(capital.source);
  if (queue === undefined) {
    queue = { days: [], byDay: new Map() };
    queues.set(capital.source, queue);
  }
  let day = queue.byDay.get(capital.createdOn);
  if (day === undefined) {
    day = { ids: [], arrivals: [], head: 0 };
    queue.byDay.set(capital.createdOn, day);
    insertSorted(queue.days, capital.createdOn);
  }
  day.ids.push(capital.id);
  day.arrivals.push(capital.arrival);
}

/**
 * A capital matchable again (its reservation released) back at its place — by creation day,
 * then arrival — unless it never left (it was not at the front when it was reserved in full).
 */
export function requeueCapital(queues: MatchQueues, capital: Capital): void {
  const queue = queues.get(capital.source);
  const day = queue?.byDay.get(capital.createdOn);
  if (queue === undefined || day === undefined) {
    enqueueCapital(queues, capital);
    return;
  }
  // The day's ids from head on are in arrival order: the first that arrived after it.
  let low = day.head;
  let high = day.ids.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((day.arrivals[middle] as number) < capital.arrival) low = middle + 1;
    else high = middle;
  }
  if (day.ids[low] === capital.id) return;
  if (low === day.head && day.head > 0) {
    day.head--;
    day.ids[day.head] = capital.id;
    day.arrivals[day.head] = capital.arrival;
  } else {
    day.ids.splice(low, 0, capital.id);
    day.arrivals.splice(low, 0, capital.arrival);
  }
}

function insertSorted(days: BusinessDate[], day: BusinessDate): void {
  let at = days.length;
  while (at > 0 && (days[at - 1] as BusinessDate) > day) at--;
  days.splice(at, 0, day);
}

/** The queued capital ids of a source, in matching order (those already gone included: the caller skips them). */
export function* queuedCapitalIds(queues: MatchQueues, source: CapitalSource): Generator<string> {
  const queue = queues.get(source);
  if (queue === undefined) return;
  for (const dayKey of queue.days) {
    const day = queue.byDay.get(dayKey);
    if (day === undefined) continue;
    for (let i = day.head; i < day.ids.length; i++) yield day.ids[i] as string;
  }
}

/**
 * Drops from the front of a source's queue every capital that cannot be matched now
 * (`isGone`), and the days left empty; compacts a day's array once half of it has gone.
 * Amortized O(1) per capital: each leaves once per time it stops being matchable.
 */
export function dropGoneFromFront(queues: MatchQueues, source: CapitalSource, isGone: (capitalId: string) => boolean): void {
  const queue = queues.get(source);
  if (queue === undefined) return;
  while (queue.days.length > 0) {
    const dayKey = queue.days[0] as BusinessDate;
    const day = queue.byDay.get(dayKey);
    if (day !== undefined) {
      while (day.head < day.ids.length && isGone(day.ids[day.head] as string)) day.head++;
      if (day.head < day.ids.length) {
        if (day.head > 64 && day.head * 2 > day.ids.length) {
          day.ids.splice(0, day.head);
          day.arrivals.splice(0, day.head);
          day.head = 0;
        }
        return;
      }
    }
    queue.byDay.delete(dayKey);
    queue.days.shift();
  }
}

/**
 * The queues of a set of capitals, built afresh: every matchable capital, by source, in
 * matching order. For a shard loaded from a snapshot written before it kept queues, or whose
 * queues are rebuilt on waking.
 */
export function matchQueuesOf(capitals: Iterable<Capital>): MatchQueues {
  const queues: MatchQueues = new Map();
  const open = [...capitals].filter(isMatchable);
  open.sort((a, b) => (a.createdOn === b.createdOn ? a.arrival - b.arrival : a.createdOn < b.createdOn ? -1 : 1));
  for (const capital of open) enqueueCapital(queues, capital);
  return queues;
}
