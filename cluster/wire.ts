import { Packr } from 'msgpackr';
import type { Cause } from '../core/audit/cause.js';
import type { AccountDirectoryEntry } from '../core/ledger/account.js';
import { ActorRuntimeError, runtimeErrorCodes, type RuntimeErrorCode } from '../actors/runtime/errors.js';

/**
 * What travels over NATS, encoded with msgpackr and its bigint extension (as the journal
 * does): amounts stay bigints, account states keep their Maps. Records are defined inline in
 * each message (no shared structures), so any process decodes any message.
 */
const packr = new Packr({ useBigIntExtension: true });

export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function decode<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/** The header that names the command (its client id) on every request, for logs and tracing. */
export const commandIdHeader = 'Fundcore-Command-Id';

/** One message for an actor of the partition, and how long it may wait for its reply. */
export interface ActorAsk {
  readonly actorId: string;
  readonly message: unknown;
  readonly timeoutMs: number;
  readonly cause?: Cause;
}

/**
 * What a node that serves a partition is asked: a message for one of its actors; many
 * (`actor_asks`: they enter the mailboxes in the order given, and the result is each one's
 * WireReply, in that order); or an inspection of one.
 */
export type ClusterCommand =
  | ({ readonly op: 'actor_ask' } & ActorAsk)
  | { readonly op: 'actor_asks'; readonly asks: readonly ActorAsk[] }
  | { readonly op: 'inspect_actor'; readonly actorId: string };

/** An ask sent to the node serving its partition (`node_asks`, on the node's own subject). */
export interface PartitionAsk extends ActorAsk {
  readonly partition: number;
}

/**
 * Asks of several partitions a node serves, in one request on the node's subject: those of
 * one partition are handled as an `actor_asks` of that partition (in its order among the
 * partition's other requests); the result is each ask's WireReply, in the order given.
 */
export interface NodeAsks {
  readonly op: 'node_asks';
  readonly asks: readonly PartitionAsk[];
}

/** A node's answer: the result, or a runtime failure by its stable code (the outcome is unknown or it never ran). */
export type WireReply = { readonly result: unknown } | { readonly failure: { readonly code: RuntimeErrorCode; readonly message: string } };

export function failureReply(error: ActorRuntimeError): WireReply {
  return { failure: { code: error.code, message: error.message } };
}

/** The failure again as the error the caller would have got in process. */
export function resultOf(reply: WireReply): unknown {
  if ('result' in reply) return reply.result;
  const code = (runtimeErrorCodes as readonly string[]).includes(reply.failure.code) ? reply.failure.code : 'internal_error';
  throw new ActorRuntimeError(code, reply.failure.message);
}

/** The value of a partition's lease: who holds it. */
export interface LeaseValue {
  readonly nodeId: string;
  readonly host: string;
  readonly pid: number;
  readonly acquiredAt: string;
  /** Unique to the process that wrote it (a restart in a container may repeat host and pid): a renewal recognises its own write by it. Absent in values written before. */
  readonly instance?: string;
}

export type DirectoryValue = AccountDirectoryEntry;
