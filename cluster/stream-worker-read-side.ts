import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger, Timers } from '../actors/runtime/clock.js';
import type { ReadModel } from '../persistence/projections/read-model.js';
import { ThreadedReadSide } from '../persistence/projections/threaded-read-side.js';
import { readSideNiceDefault } from '../persistence/projections/thread-priority.js';
import type { ClusterNames } from './cluster-node.js';
import type { StreamReadSideLimits } from './stream-read-side.js';

/** The worker's entry next to this file: .ts under the tests' TypeScript loader, .js from dist/. */
export const streamReadSideWorkerUrl = new URL(`./stream-read-side-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** What the worker is started with. */
export interface StreamReadSideWorkerData {
  /** The NATS server(s) the worker connects to (its own connection). */
  readonly natsServers: string;
  readonly names: ClusterNames;
  readonly readModelPath: string;
  readonly partitionCount: number;
  readonly limits: Partial<StreamReadSideLimits>;
  readonly logLevel: string;
  /** How often the worker says how far behind the stream it is (`lag`, for /health and metrics). */
  readonly lagReportMs: number;
  /** Nice steps below the gateway's thread the worker runs at (thread-priority.ts). */
  readonly threadNice: number;
}

export interface StreamWorkerReadSideOptions extends Omit<StreamReadSideWorkerData, 'lagReportMs' | 'threadNice'> {
  /** readSideNiceDefault by default; 0: the gateway's priority. */
  readonly threadNice?: number;
  /** The read models as the gateway's thread reads them (the same file). */
  readonly model: ReadModel;
  readonly timers?: Timers;
  readonly logger?: Logger;
  readonly workerUrl?: URL;
}

const lagReportMs = 1_000;

/**
 * A cluster gateway's read models, written by a worker thread that consumes the cluster's log
 * stream (StreamReadSide, there): the gateway's event loop serves requests, and a query's
 * read-your-writes wait (every node publishes, the worker applies up to the stream's end) is
 * the worker's. A worker that dies is started again (ThreadedReadSide).
 */
export class StreamWorkerReadSide extends ThreadedReadSide {
  constructor(options: StreamWorkerReadSideOptions) {
    const { model, timers, logger, workerUrl, threadNice, ...rest } = options;
    const data: StreamReadSideWorkerData = { ...rest, lagReportMs, threadNice: threadNice ?? readSideNiceDefault };
    super({ model, worker: { url: workerUrl ?? streamReadSideWorkerUrl, data }, ...(timers !== undefined ? { timers } : {}), ...(logger !== undefined ? { logger } : {}) });
  }
}
