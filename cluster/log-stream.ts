import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FeedEntry } from '../persistence/projections/log-feed.js';
import type { ClusterNames } from './cluster-node.js';
import { decode, encode } from './wire.js';

/**
 * The cluster's committed log: every node publishes each entry of its journal, with its
 * events, to one JetStream stream, on a subject per partition. The stream's sequence is the
 * read side's position; an actor's entries are in its seq order, because one node publishes
 * a partition, one entry at a time, in its journal's order.
 */
export const logStreamNameOf = (names: ClusterNames) => `${names.bucketPrefix}_log`;
export const logSubjectOf = (names: ClusterNames, partition: number) => `${names.subjectPrefix}.log.${partition}`;
/** Outside the stream's subjects: a read side asks every node to publish what it has journaled. */
export const logFlushSubjectOf = (names: ClusterNames) => `${names.subjectPrefix}.logflush`;

/** One published entry: what a read side needs, and who published it. */
export interface PublishedEntry {
  readonly actorId: string;
  readonly firstSeq: number;
  readonly businessDate: string | null;
  readonly events: readonly unknown[];
  readonly nodeId: string;
}

/** The message id JetStream deduplicates a republished entry by (after a node's restart). */
export const publishedEntryIdOf = (entry: { actorId: string; firstSeq: number }) => `${entry.actorId}@${entry.firstSeq}`;

export const encodePublishedEntry = (entry: PublishedEntry): Uint8Array => encode(entry);

export function feedEntryOf(streamSequence: number, data: Uint8Array): FeedEntry {
  const entry = decode<PublishedEntry>(data);
  return { position: streamSequence, actorId: entry.actorId, firstSeq: entry.firstSeq, businessDate: entry.businessDate, events: entry.events };
}

/** Creates the stream, or leaves the one there (kept forever: a new read side is built from its first message). */
export async function ensureLogStream(nc: NatsConnection, names: ClusterNames): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const name = logStreamNameOf(names);
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      await jsm.streams.add({ name, subjects: [`${names.subjectPrefix}.log.>`], storage: 'file', retention: 'limits', discard: 'old', max_age: 0, duplicate_window: 120_000_000_000 });
    } catch (error) {
      // Another process created it at the same moment.
      await jsm.streams.info(name).catch(() => {
        throw error;
      });
    }
  }
  return jsm;
}
