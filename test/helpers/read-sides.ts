import type { ReadSide } from '../../persistence/projections/read-side.js';

/**
 * True once a catch-up of the read side succeeds again (a dead worker is restarted after
 * readSideWorkerRestartMs of real time), polled for up to 5 s: a bound on failure, not a measurement.
 */
export async function catchesUpAgain(side: ReadSide, full = false): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (await (full ? side.catchUpFully() : side.catchUp()).then(() => true, () => false)) return true;
  }
  return false;
}
