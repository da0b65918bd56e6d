import type { FundcoreNode } from '../../actors/node.js';
import { ThreadedReadSide } from '../../persistence/projections/threaded-read-side.js';

/** How long a memory report waits, at most, for the read side to rest once the actors have passivated. */
export const readSideRestWaitMsMax = 60_000;

/**
 * Waits until the node's read-side worker rests (it ends once it has applied the whole log and
 * the node's passivation idle time has passed: read-side-rest.ts), at most `readSideRestWaitMsMax`.
 * Whether it rested goes into the report beside the memory, so a figure taken with the worker
 * still running says so.
 */
export async function readSideRest(node: FundcoreNode): Promise<{ readonly readSideRested: number; readonly readSideRestWaitMs: number }> {
  const side = node.projections;
  const started = performance.now();
  if (!(side instanceof ThreadedReadSide)) return { readSideRested: 0, readSideRestWaitMs: 0 };
  while (!side.isResting && performance.now() - started < readSideRestWaitMsMax) await new Promise((resolve) => setTimeout(resolve, 250));
  await side.rested();
  return { readSideRested: side.isResting ? 1 : 0, readSideRestWaitMs: Math.round(performance.now() - started) };
}
