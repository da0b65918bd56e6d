import { Packr } from 'msgpackr';
import type { AccountDirectoryEntry } from '../core/ledger/account.js';
import type { CreditRecord, TransferRecord } from '../core/ledger/transfer.js';
import type { OpenAccountInput, TransferInput } from '../actors/ledger/ledger-api.js';
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

/** A command for the node that owns a partition; the node's LedgerService handles it locally. */
export type ClusterCommand =
  | { readonly op: 'open_account'; readonly input: OpenAccountInput }
  | { readonly op: 'get_account'; readonly id: string }
  | { readonly op: 'close_account'; readonly id: string }
  /** One or more transfers whose debit accounts live on the partition; answered in order. */
  | { readonly op: 'create_transfers'; readonly inputs: readonly TransferInput[]; /** fundcore's own postings (an accrual, a repair): system accounts allowed. */ readonly system?: boolean }
  | { readonly op: 'post_pending'; readonly transferId: string; readonly amount: string | null }
  | { readonly op: 'void_pending'; readonly transferId: string }
  /** Sent to the original credit account's partition, with the record found on the debit side. */
  | { readonly op: 'reverse_transfer'; readonly original: TransferRecord; readonly memo: string | null; readonly system?: boolean }
  /** Actor to actor: the relay's credits and returns, sibling moves. */
  | { readonly op: 'actor_ask'; readonly actorId: string; readonly message: unknown; readonly timeoutMs: number }
  | { readonly op: 'inspect_actor'; readonly actorId: string };

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

/** The question every node answers about a transfer id: what its own journal knows. */
export interface TransferFindRequest {
  readonly transferId: string;
}

export interface TransferFindReply {
  readonly nodeId: string;
  /** The partitions this node serves now: its "not found" speaks for them only. */
  readonly partitions: readonly number[];
  readonly record: TransferRecord | null;
  readonly credit: CreditRecord | null;
  readonly reversedBy: string | null;
}

/** The value of a partition's lease: who holds it. */
export interface LeaseValue {
  readonly nodeId: string;
  readonly host: string;
  readonly pid: number;
  readonly acquiredAt: string;
}

export type DirectoryValue = AccountDirectoryEntry;
