import type { Decider } from '../decider.js';
import { reject, type Rejection } from '../rejection.js';
import type { AccountSettings } from './account.js';
import { fnv1a32 } from './routing.js';

/**
 * An id's owner: one actor per group of ids (the group a hash of the id), which binds each id
 * to what it names before anyone acts on it, so an id is unique wherever the actors that use
 * it live, decided by one owner, and the owner answers what it names.
 * - A transfer id's owner (`tid:<group>`) binds the id to the account that debits it, before
 *   that account decides; every transfer passes it first — a client's through the ledger
 *   service, fundcore's own (a repayment's legs, a deposit) through the outbox of the actor
 *   that makes them — and it says where the transfer's record is.
 * - An account id's owner (`aid:<group>`) binds the id to the account's settings (kind,
 *   currency, sub-accounts, …), before its actors open; it says what never changes of the
 *   account, so no one asks an actor that may not exist (a hot account's are `#0..n-1`).
 *
 * The bindings live in an index the actor writes with its events (its state is a count: an
 * event costs O(1) whatever the number of ids); the actor looks the id up before deciding.
 */
export interface IdOwnerState {
  readonly claims: number;
}

export const idOwnerGroups = 256;

export function idOwnerGroupOf(id: string): number {
  return fnv1a32(id) % idOwnerGroups;
}

/**
 * The longest id an owner binds: above a client's id (64), which fundcore's own derived ids
 * (a reconciliation's `sup-<id>-<n>`, a reversal's `<id>~reversal`) may exceed.
 */
export const ownedIdLengthMax = 256;

export type IdOwnerRejectionCode = 'id_reused_with_different_content' | 'owned_id_invalid';

/** `holder`: what the id is bound to, as the actor looked it up (null: unbound). */
export type IdOwnerCommand<Value> =
  /** Binds the id to the value (`bind: false`: only checks that it is not bound to another). */
  | { readonly type: 'claim_id'; readonly data: { readonly id: string; readonly value: Value; readonly bind: boolean; readonly holder: Value | null } }
  | { readonly type: 'find_id'; readonly data: { readonly id: string; readonly holder: Value | null } };

export type IdOwnerEvent<Value> = { readonly type: 'id_claimed'; readonly data: { readonly id: string; readonly value: Value } };

/** What the id is bound to (null: nothing, for a find or a check of a free id). */
export interface IdOwnerReply<Value> {
  readonly value: Value | null;
}

/**
 * claim_id, in this order: 1. owned_id_invalid (empty or over ownedIdLengthMax); 2. bound to
 * another value → id_reused_with_different_content; bound to the same → nothing (a retry); a
 * check → nothing. find_id never refuses and changes nothing.
 */
export function idOwnerDecider<Value>(same: (a: Value, b: Value) => boolean): Decider<IdOwnerState, IdOwnerCommand<Value>, IdOwnerEvent<Value>, IdOwnerRejectionCode, IdOwnerReply<Value>> {
  return {
    initialState: { claims: 0 },
    decide(_state, command): readonly IdOwnerEvent<Value>[] | Rejection<IdOwnerRejectionCode> {
      if (command.type === 'find_id') return [];
      const { id, value, bind, holder } = command.data;
      if (id.length === 0 || id.length > ownedIdLengthMax) return reject('owned_id_invalid', `an id is 1..${ownedIdLengthMax} characters`);
      if (holder !== null && !same(holder, value)) return reject('id_reused_with_different_content', `${id} was used before with other content`);
      if (holder !== null || !bind) return [];
      return [{ type: 'id_claimed', data: { id, value } }];
    },
    evolve: (state) => ({ claims: state.claims + 1 }),
    reply(_state, command, events) {
      if (command.type === 'find_id') return { value: command.data.holder };
      if (events.length > 0 || command.data.holder !== null) return { value: command.data.holder ?? command.data.value };
      return { value: null };
    },
  };
}

/** A transfer id → the account that debits it. */
export const transferOwnerDecider = idOwnerDecider<string>((a, b) => a === b);

/** An account id → its settings, all of which must match for an open to be the same. */
export const accountOwnerDecider = idOwnerDecider<AccountSettings>(
  (a, b) => a.id === b.id && a.kind === b.kind && a.currency === b.currency && a.overdraft === b.overdraft && a.subAccounts === b.subAccounts && a.bufferCredits === b.bufferCredits,
);
