/**
 * A read-side worker that dies once: when the file named by FUNDCORE_TEST_READ_SIDE_DIE_ONCE
 * exists, it removes it and exits at the first message it gets; otherwise (the restart) it is
 * the real worker — a cluster gateway's when started with its data (it names the NATS
 * servers), else the embedded node's. Loaded as .ts under the tests' loader.
 */
import { existsSync, rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const flag = process.env.FUNDCORE_TEST_READ_SIDE_DIE_ONCE;
if (flag !== undefined && existsSync(flag)) {
  rmSync(flag);
  parentPort?.once('message', () => process.exit(3));
} else if (typeof workerData === 'object' && workerData !== null && 'natsServers' in workerData) {
  await import('../../cluster/stream-read-side-worker.js');
} else {
  await import('../../persistence/projections/read-side-worker.js');
}
