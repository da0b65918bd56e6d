import type { CauseRun } from '../core/audit/cause.js';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FeedEntry } from '../persistence/projections/log-feed.js';
import type { ClusterNames } from './cluster-node.js';
import { decode, encode } from './wire.js';

/**
 * The cluster's committed log: every node publishes the entries of its journal, with their
 * events, to one JetStream stream, several entries to a message (of any partitions). An
 * actor's entries are in the stream in their seq order: one node publishes a partition (its
 * home), in its journal's order, each message after the one before it is acknowledged.
 * (Streams written before published one partition per message, on `<prefix>.log.<partition>`:
 * the stream's subjects `<prefix>.log.>` hold both, and read sides read them alike.)
 */
export const logStreamNameOf = (names: ClusterNames) => `${names.bucketPrefix}_log`;
export const logSubjectOf = (names: ClusterNames) => `${names.subjectPrefix}.log.entries`;
/** Outside the stream's subjects: a read side asks every node to publish what it has journaled. */
export const logFlushSubjectOf = (names: ClusterNames) => `${names.subjectPrefix}.logflush`;

/**
 * One published entry: what a read side needs. Its events travel beside it in the message
 * (`LogMessage.events`), as the journal stored them; messages published before carried them
 * here.
 */
export interface PublishedEntry {
  readonly actorId: string;
  readonly firstSeq: number;
  readonly businessDate: string | null;
  readonly events?: readonly unknown[];
  /** Absent in what a node from before the audit trail published. */
  readonly causes?: readonly CauseRun[];
  readonly at?: number | null;
}

export const logMessageLimits = {
  /** Entries one message carries at most; also what a read side numbers them within (positions). */
  entriesMax: 1_024,
  /** A message is closed before it grows past this (NATS refuses payloads over 1 MiB by default); one entry larger goes alone. */
  bytesMax: 512 * 1024,
} as const;

/**
 * A read side's position of entry `index` of the message at stream sequence `sequence`:
 * unique and increasing along the stream, and the message is found again from it.
 */
export const positionOf = (sequence: number, index: number) => sequence * logMessageLimits.entriesMax + index;
export const sequenceOfPosition = (position: number) => Math.floor(position / logMessageLimits.entriesMax);

/**
 * One message: entries, each packed on its own, and beside each its events as one msgpack
 * array — the journal's own bytes, passed on without being decoded and encoded again (that
 * was a tenth of a node's main thread on a repayment day). Absent in messages published
 * before: their entries hold their events. A gateway reads both; a node's messages need a
 * gateway of this version or later.
 */
interface LogMessage {
  readonly nodeId: string;
  readonly entries: readonly Uint8Array[];
  readonly events?: readonly Uint8Array[];
}

export const packEntry = (entry: PublishedEntry): Uint8Array => encode(entry);
/** `events[i]`: the events of `entries[i]`, packed (as the journal stores an append's events). */
export const packMessage = (nodeId: string, entries: readonly Uint8Array[], events: readonly Uint8Array[]): Uint8Array => encode({ nodeId, entries, events } satisfies LogMessage);
/** Events packed as the journal packs an append's (for a journal that cannot hand over its bytes). */
export const packEvents = (events: readonly unknown[]): Uint8Array => encode(events);

/**
 * The message id the stream drops a repeat by: the node and the journal positions of the
 * message's first and last entries, so the same id always means the same entries (a round
 * published again after a failure or a restart may hold more entries than the first time:
 * its messages then have new ids, and a read side drops the entries it already has by seq).
 */
export const messageIdOf = (nodeId: string, firstPosition: number, lastPosition: number) => `${nodeId}:${firstPosition}-${lastPosition}`;

export function feedEntriesOf(sequence: number, data: Uint8Array): FeedEntry[] {
  const message = decode<LogMessage>(data);
  return message.entries.map((packed, index) => {
    const entry = decode<PublishedEntry>(packed);
    const events = message.events?.[index];
    return {
      position: positionOf(sequence, index),
      actorId: entry.actorId,
      firstSeq: entry.firstSeq,
      businessDate: entry.businessDate,
      events: events === undefined ? (entry.events ?? []) : decode<unknown[]>(events),
      causes: entry.causes ?? [],
      at: entry.at ?? null,
    };
  });
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
