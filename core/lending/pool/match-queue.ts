import type { BusinessDate } from '../../calendar/business-date.js';
import type { Capital, CapitalSource } from '../capital.js';

/**
 * The capitals of one source in matching order — by creation day, then arrival — without a
 * scan of the shard and without a sort: each day a queue in arrival order (a shard numbers
 * its arrivals, so a day's capitals arrive in order), the days kept sorted (a capital
 * created on an earlier day than the newest one arrives late only after a redelivery: a rare
 * insertion into a short list of open days).
 *
 * A capital enters once, when added, and leaves only from the front of its day's queue, once
 * it can never be matched again (fully matched, pulled back, retired): one reserved in full
 * by a loan still matching may come free again, so it keeps its place and is skipped
 * meanwhile. Plain arrays and maps: the queues are part of the shard's state and of its
 * snapshots.
 */
export interface MatchQueue {
  /** Days with capitals still queued, ascending. */
  readonly days: BusinessDate[];
  /** Each day's capital ids in arrival order; those before `head` have left. */
  readonly byDay: Map<BusinessDate, { ids: string[]; head: number }>;
}

export type MatchQueues = Map<CapitalSource, MatchQueue>;

export function enqueueCapital(queues: MatchQueues, capital: Capital): void {
  let queue = queues.get(capital.source);
  if (queue === undefined) {
    queue = { days: [], byDay: new Map() };
    queues.set(capital.source, queue);
  }
  let day = queue.byDay.get(capital.createdOn);
  if (day === undefined) {
    day = { ids: [], head: 0 };
    queue.byDay.set(capital.createdOn, day);
    insertSorted(queue.days, capital.createdOn);
  }
  day.ids.push(capital.id);
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
 * Drops from the front of a source's queue every capital that can never be matched again
 * (`isGone`), and the days left empty; compacts a day's array once half of it has gone.
 * Amortized O(1) per capital: each leaves once.
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
 * The queues of a set of capitals, built afresh: every capital still `normal`, by source, in
 * matching order. For a shard loaded from a snapshot written before it kept queues, or whose
 * queues are rebuilt on waking.
 */
export function matchQueuesOf(capitals: Iterable<Capital>): MatchQueues {
  const queues: MatchQueues = new Map();
  const open = [...capitals].filter((capital) => capital.status === 'normal');
  open.sort((a, b) => (a.createdOn === b.createdOn ? a.arrival - b.arrival : a.createdOn < b.createdOn ? -1 : 1));
  for (const capital of open) enqueueCapital(queues, capital);
  return queues;
}
