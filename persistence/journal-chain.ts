import { createHash } from 'node:crypto';
import type { ChainHead } from '../core/audit/chain-head.js';
import { partitionOfActor } from '../core/ledger/partition.js';

/**
 * What the chain reads and writes of an LMDB journal: the stored bytes of a log entry and of
 * the events record it names, exactly as they lie on disk (never re-encoded, so what is
 * hashed is what a reader decodes), and the chain's own table (log position → 32 bytes).
 */
export interface ChainStore {
  /**
   * The log entry's stored bytes and where its events are (`known`: the journal still knows
   * them from the append, the bytes need no decoding); undefined: no entry at this position
   * (an append that failed). The bytes are valid until the store's next read.
   */
  entryAt(position: number, known?: EntryPlace): ({ readonly bytes: Uint8Array } & EntryPlace) | undefined;
  /** The events record's stored bytes, valid until the store's next read. */
  eventBytesAt(actorId: string, firstSeq: number): Uint8Array | undefined;
  hashAt(position: number): Uint8Array | undefined;
  putHash(position: number, hash: Uint8Array): void;
  lastLogPosition(): number;
  /** Positions from `from` on that hold a log entry, in order. */
  positionsFrom(from: number): Iterable<number>;
}

/** Where an entry's events are. */
export interface EntryPlace {
  readonly actorId: string;
  readonly firstSeq: number;
}

export const genesisHash: Uint8Array = new Uint8Array(32);

/**
 * One link: sha256(previous hash of the partition ‖ position ‖ the log entry's bytes ‖ the
 * events' bytes). The position and the entry (actor, first seq, count, business date, epoch,
 * causes, time) are covered, so moving, dropping or editing an entry or its events breaks
 * every later link of its partition. The entry's bytes are hashed before the events are read
 * (the store's reads share one buffer). A missing events record is hashed as empty, and said.
 */
export function linkOf(store: ChainStore, previous: Uint8Array, position: number, entry: { readonly bytes: Uint8Array } & EntryPlace): { readonly hash: Buffer; readonly eventsFound: boolean } {
  const positionBytes = Buffer.allocUnsafe(8);
  positionBytes.writeBigUInt64BE(BigInt(position));
  const hasher = createHash('sha256').update(previous).update(positionBytes).update(entry.bytes);
  const eventBytes = store.eventBytesAt(entry.actorId, entry.firstSeq);
  if (eventBytes !== undefined) hasher.update(eventBytes);
  return { hash: hasher.digest(), eventsFound: eventBytes !== undefined };
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

export type { ChainHead } from '../core/audit/chain-head.js';

/**
 * The journal of each partition as a hash chain, sealed right after each append is durable:
 * the sealer reads back what the append stored and links it to the partition's previous
 * entry, in log order. Sealing after the fact (not while appending) keeps a failed conditional
 * append out of the chain, and is the same code that seals, at start-up, what a crash left
 * unsealed or a journal written before the chain existed. A link is written in the next
 * commit; until then (a few milliseconds) an entry is not yet sealed.
 */
export class ChainSealer {
  private readonly heads = new Map<number, { readonly position: number; readonly hash: Uint8Array }>();
  /** Where the events of appends not sealed yet are: sealing them needs not decode their entries. */
  private readonly placesToSeal = new Map<number, EntryPlace>();
  private sealedThrough = 0;

  constructor(
    private readonly store: ChainStore,
    private readonly partitionCount: number,
  ) {}

  /** At start-up: follows the links already written and seals every entry without one. */
  resume(): { readonly sealed: number } {
    let sealed = 0;
    for (const position of this.store.positionsFrom(1)) {
      const entry = this.store.entryAt(position);
      if (entry === undefined) continue;
      const partition = partitionOfActor(entry.actorId, this.partitionCount);
      const written = this.store.hashAt(position);
      if (written === undefined) sealed++;
      this.heads.set(partition, { position, hash: written === undefined ? (this.seal(partition, position) as Buffer) : Buffer.from(written) });
    }
    this.sealedThrough = this.store.lastLogPosition();
    return { sealed };
  }

  /** An append issued at `position`: where its events are, for when it is sealed. */
  appended(position: number, place: EntryPlace): void {
    this.placesToSeal.set(position, place);
  }

  /** Seals every entry up to `position` (called once the append at `position` is durable: every earlier one is settled too). */
  sealThrough(position: number): void {
    for (let next = this.sealedThrough + 1; next <= position; next++) {
      const known = this.placesToSeal.get(next);
      this.placesToSeal.delete(next);
      const partition = known === undefined ? this.partitionAt(next) : partitionOfActor(known.actorId, this.partitionCount);
      const hash = partition === null ? null : this.seal(partition, next, known);
      if (partition !== null && hash !== null) this.heads.set(partition, { position: next, hash });
      this.sealedThrough = next;
    }
  }

  /** The head of one partition (null: no entry sealed yet). */
  headOf(partition: number): ChainHead | null {
    const head = this.heads.get(partition);
    return head === undefined ? null : { position: head.position, hash: toHex(head.hash) };
  }

  /** Each partition's head, by partition (partitions with no entry yet are absent). */
  headsByPartition(): Map<number, ChainHead> {
    return new Map([...this.heads.keys()].map((partition) => [partition, this.headOf(partition) as ChainHead]));
  }

  private partitionAt(position: number): number | null {
    const entry = this.store.entryAt(position);
    return entry === undefined ? null : partitionOfActor(entry.actorId, this.partitionCount);
  }

  /**
   * Links the entry at `position` (read again: the partition was learned from an earlier
   * read) and writes the link; null when there is no entry (an append that failed).
   */
  private seal(partition: number, position: number, known?: EntryPlace): Buffer | null {
    const entry = this.store.entryAt(position, known);
    if (entry === undefined) return null;
    const { hash } = linkOf(this.store, this.heads.get(partition)?.hash ?? genesisHash, position, entry);
    this.store.putHash(position, hash);
    return hash;
  }
}

/** Why verification stopped at an entry. */
export type ChainBreak = {
  readonly position: number;
  readonly actorId: string;
  readonly firstSeq: number;
  readonly partition: number;
  readonly reason: 'hash_mismatch' | 'unsealed' | 'events_missing';
};

export interface ChainVerification {
  readonly entries: number;
  /** Entries at the end of the log not sealed yet (a running node seals each a few ms after it is durable). */
  readonly unsealedAtEnd: number;
  readonly heads: Map<number, ChainHead>;
  /** The first entry whose link does not hold, or null when every link holds. */
  readonly broken: ChainBreak | null;
}

/**
 * Walks the log in order (all of it, or through a position: the chains as they were then),
 * recomputes every partition's chain from its genesis and compares each link with the one written when the entry was sealed. The first entry that
 * differs is named: it, or an entry of its partition before it, was changed afterwards (an
 * entry the chain has not sealed yet — the last few of a running node — is reported as such).
 */
export function verifyChain(store: ChainStore, partitionCount: number, throughPosition = Number.POSITIVE_INFINITY): ChainVerification {
  const heads = new Map<number, { position: number; hash: Uint8Array }>();
  let entries = 0;
  let broken: ChainBreak | null = null;
  // Entries not sealed yet are fine at the end of a running node's log, not before a sealed one.
  let unsealed: ChainBreak | null = null;
  let unsealedCount = 0;
  for (const position of store.positionsFrom(1)) {
    if (position > throughPosition) break;
    const entry = store.entryAt(position);
    if (entry === undefined) continue;
    const partition = partitionOfActor(entry.actorId, partitionCount);
    const where = { position, actorId: entry.actorId, firstSeq: entry.firstSeq, partition };
    const { hash: expected, eventsFound } = linkOf(store, heads.get(partition)?.hash ?? genesisHash, position, entry);
    if (!eventsFound) {
      broken = { ...where, reason: 'events_missing' };
      break;
    }
    const written = store.hashAt(position);
    if (written === undefined) {
      unsealed ??= { ...where, reason: 'unsealed' };
      unsealedCount++;
    } else if (unsealed !== null) {
      broken = unsealed;
      break;
    } else if (!expected.equals(written)) {
      broken = { ...where, reason: 'hash_mismatch' };
      break;
    }
    heads.set(partition, { position, hash: expected });
    entries++;
  }
  const byPartition = new Map<number, ChainHead>();
  for (const [partition, { position, hash }] of heads) byPartition.set(partition, { position, hash: toHex(hash) });
  return { entries, unsealedAtEnd: broken === null ? unsealedCount : 0, heads: byPartition, broken };
}

