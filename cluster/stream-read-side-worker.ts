/**
 * The entry of a cluster gateway's read-side worker thread (cluster/stream-worker-read-side.ts
 * starts it): the cluster's log stream is consumed into the read models here, off the event
 * loop that serves the gateway's requests. It has its own NATS connection and its own
 * connection to the read models' SQLite file (WAL: the gateway's thread reads while this one
 * writes). Loaded as .ts under the tests' TypeScript loader and as .js from dist/.
 */
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { parentPort, workerData } from 'node:worker_threads';
import { allProjectors } from '../persistence/projections/projectors.js';
import type { FromReadSideWorker, ToReadSideWorker } from '../persistence/projections/read-side-protocol.js';
import { ReadModel } from '../persistence/projections/read-model.js';
import { lowerThisThreadPriority } from '../persistence/projections/thread-priority.js';
import { natsConnectionOptions } from './nats-connection.js';
import { StreamReadSide } from './stream-read-side.js';
import type { StreamReadSideWorkerData } from './stream-worker-read-side.js';

if (parentPort === null) throw new Error('stream-read-side-worker is the entry of a worker thread, not a module to import');
const port = parentPort;
const data = workerData as StreamReadSideWorkerData;
const send = (message: FromReadSideWorker) => port.postMessage(message);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
// Before any work: the gateway's thread serves requests first.
send({ type: 'priority', outcome: lowerThisThreadPriority(data.threadNice) });

const logger = pino({ level: data.logLevel }).child({ thread: 'read-side' });
const nc = await connect(natsConnectionOptions(data.natsServers, `fundcore-gateway-read-side-${process.pid}`));
const model = new ReadModel(data.readModelPath, allProjectors);
const side = await StreamReadSide.start({ nc, names: data.names, model, partitionCount: data.partitionCount, logger, limits: data.limits });
const lagReport = setInterval(() => send({ type: 'lag', lag: side.lag() }), data.lagReportMs);

port.on('message', (message: ToReadSideWorker) => {
  switch (message.type) {
    case 'stop':
      return void stop();
    case 'archive':
      return void side.archive(message.plan).then(
        (outcome) => send({ type: 'archived', id: message.id, outcome }),
        (error: unknown) => send({ type: 'catch_up_failed', id: message.id, message: messageOf(error) }),
      );
    case 'catch_up':
      return void (message.full ? side.catchUpFully() : side.catchUp()).then(
        () => send({ type: 'caught_up', id: message.id, position: model.position() }),
        (error: unknown) => send({ type: 'catch_up_failed', id: message.id, message: messageOf(error) }),
      );
  }
});

async function stop(): Promise<void> {
  clearInterval(lagReport);
  await side.stop();
  model.close();
  await nc.close();
  send({ type: 'stopped' });
  port.close();
}
