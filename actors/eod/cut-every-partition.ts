import type { BusinessDate } from '../../core/calendar/business-date.js';
import { dayCutActorIdOf } from '../../core/eod/day-cut.js';
import type { ActorReply } from '../runtime/behavior.js';
import { isRuntimeError } from '../runtime/errors.js';
import type { Bus } from '../runtime/relay.js';
import type { DayCutMessage } from './day-cut-behavior.js';

type Failure = Extract<ActorReply, { ok: false }>;

/**
 * Asks the cut actor of every partition 0..partitionCount-1 to cut the date, at most
 * `inFlightMax` asks at once. A cut that fails — refused, or not answered because no node
 * serves its partition (`partition_unavailable`) or the ask timed out — stops further asks;
 * those in flight finish, and the failure of the lowest failed partition is the answer.
 * Nothing is undone: cuts are idempotent, so closing the date again asks every partition
 * again and only the ones not yet cut journal a marker.
 */
export async function cutEveryPartition(bus: Bus, partitionCount: number, date: BusinessDate, inFlightMax: number): Promise<ActorReply<null>> {
  const failures = new Map<number, Failure>();
  let next = 0;
  const asker = async () => {
    while (failures.size === 0 && next < partitionCount) {
      const partition = next++;
      const reply = await askCut(bus, partition, date);
      if (!reply.ok) failures.set(partition, reply);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlightMax, partitionCount)) }, asker));
  if (failures.size === 0) return { ok: true, value: null };
  const lowest = Math.min(...failures.keys());
  return failures.get(lowest) as Failure;
}

/** One partition's cut; a runtime failure (an operating condition, not a bug) becomes the answer. */
async function askCut(bus: Bus, partition: number, date: BusinessDate): Promise<ActorReply> {
  const actorId = dayCutActorIdOf(partition);
  try {
    const reply = await bus.ask(actorId, { type: 'cut_day', data: { date } } satisfies DayCutMessage);
    return reply.ok ? reply : { ok: false, code: reply.code, detail: `${actorId}: ${reply.detail}` };
  } catch (error) {
    if (!isRuntimeError(error)) throw error;
    return { ok: false, code: error.code, detail: `${actorId}: ${error.message}` };
  }
}
