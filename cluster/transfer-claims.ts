import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { TransferInput } from '../actors/ledger/ledger-api.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import { directoryKey } from './directory-replica.js';

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/**
 * Transfer ids are unique across the cluster, as they are in one node. In one node the
 * transfer index sees every id, so an id reused with another debit account is refused
 * id_reused_with_different_content; in a cluster the two debit accounts may live on two
 * nodes whose indexes never meet. So before a transfer is decided, its id is claimed for its
 * debit account in a KV bucket (`create`: first writer wins). A claim by the same debit
 * account lets the command through (a retry, or same-account reuse, which the debit actor
 * judges as before); a claim by another refuses it. A claim is written only for a command
 * the debit actor will record (valid amount, known debit account), so a refusal that
 * records nothing still claims nothing.
 */
export class TransferClaims {
  constructor(private readonly kv: KV) {}

  /** Null when the id is (now) the debit account's; otherwise the refusal. */
  async claim(input: TransferInput): Promise<ActorReply<never> | null> {
    const key = directoryKey(input.id);
    const value = new TextEncoder().encode(input.debit);
    try {
      await this.kv.create(key, value);
      return null;
    } catch (error) {
      if (!isWrongLastSequence(error)) throw unavailable(input.id, error);
    }
    return this.check(input);
  }

  /** Without claiming: refused when the id is another debit account's. */
  async check(input: TransferInput): Promise<ActorReply<never> | null> {
    let holder: string | null;
    try {
      const entry = await this.kv.get(directoryKey(input.id));
      holder = entry === null || entry.operation !== 'PUT' ? null : entry.string();
    } catch (error) {
      throw unavailable(input.id, error);
    }
    if (holder === null || holder === input.debit) return null;
    return { ok: false, code: 'id_reused_with_different_content', detail: `transfer ${input.id} was used before with another debit account` };
  }
}

function unavailable(id: string, cause: unknown): ActorRuntimeError {
  return new ActorRuntimeError('partition_unavailable', `transfer id ${id} cannot be claimed right now (NATS unreachable); retry with the same id`, { cause });
}
