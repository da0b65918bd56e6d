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

export const idOwnerGroups = 64;

export function idOwnerGroupOf(id: string): number {
  return fnv1a32(id) % idOwnerGroups;
}

/**
 * The longest id an owner binds: above a client's id (64), which fundcore's own derived ids
 * (a reconciliation's `sup-<id>-<n>`, a reversal's `<id>~reversal`) may exceed.
 */
export const ownedIdLengthMax = 256;

export type IdOwnerRejectionCode = 'id_reused_with_different_content' | 'owned_id_invalid';

/** One claim: bind the id to the value (`bind: false`: only check that it is not bound to another). `holder`: what the id is bound to, as the actor looked it up (null: unbound). */
export interface IdClaim<Value> {
  readonly id: string;
  readonly value: Value;
  readonly bind: boolean;
  readonly holder: Value | null;
}

export type IdOwnerCommand<Value> =
  | { readonly type: 'claim_id'; readonly data: IdClaim<Value> }
  /** A batch's claims in one turn (one append): each answered on its own, in order. */
  | { readonly type: 'claim_ids'; readonly data: { readonly claims: readonly IdClaim<Value>[] } }
  | { readonly type: 'find_id'; readonly data: { readonly id: string; readonly holder: Value | null } };

export type IdOwnerEvent<Value> = { readonly type: 'id_claimed'; readonly data: { readonly id: string; readonly value: Value } };

/** What the id is bound to (null: nothing, for a find or a check of a free id). */
export interface IdOwnerReply<Value> {
  readonly value: Value | null;
}

/** One claim of a batch: what the id is bound to, or why the claim is refused. */
export type IdClaimOutcome<Value> = { readonly ok: true; readonly value: Value | null } | { readonly ok: false; readonly code: IdOwnerRejectionCode; readonly detail: string };

export interface IdOwnerBatchReply<Value> {
  readonly outcomes: readonly IdClaimOutcome<Value>[];
}

/**
 * claim_id, in this order: 1. owned_id_invalid (empty or over ownedIdLengthMax); 2. bound to
 * another value → id_reused_with_different_content; bound to the same → nothing (a retry); a
 * check → nothing. claim_ids: each claim the same, as if alone and in order (an id twice in
 * one batch: the first binds it), refusals answered per claim. find_id never refuses and
 * changes nothing.
 */
export function idOwnerDecider<Value>(same: (a: Value, b: Value) => boolean): Decider<IdOwnerState, IdOwnerCommand<Value>, IdOwnerEvent<Value>, IdOwnerRejectionCode, IdOwnerReply<Value> | IdOwnerBatchReply<Value>> {
  const judge = claimJudge(same);
  // A batch is judged once: decide keeps the outcomes for the reply to the same command.
  const judgedBatches = new WeakMap<object, readonly Judged<Value>[]>();
  const judgedBatch = (command: Extract<IdOwnerCommand<Value>, { type: 'claim_ids' }>) => {
    const known = judgedBatches.get(command);
    if (known !== undefined) return known;
    const judged = judge(command.data.claims);
    judgedBatches.set(command, judged);
    return judged;
  };
  return {
    initialState: { claims: 0 },
    decide(_state, command): readonly IdOwnerEvent<Value>[] | Rejection<IdOwnerRejectionCode> {
      if (command.type === 'find_id') return [];
      if (command.type === 'claim_ids') return judgedBatch(command).flatMap(({ event }) => (event === null ? [] : [event]));
      const [judged] = judge([command.data]);
      if (judged === undefined) return [];
      if (!judged.outcome.ok) return reject(judged.outcome.code, judged.outcome.detail);
      return judged.event === null ? [] : [judged.event];
    },
    evolve: (state, _event) => ({ claims: state.claims + 1 }),
    reply(_state, command, events) {
      if (command.type === 'find_id') return { value: command.data.holder };
      if (command.type === 'claim_ids') return { outcomes: judgedBatch(command).map(({ outcome }) => outcome) };
      // Accepted: bound before (the holder), bound now (the value), or a check of a free id.
      return { value: command.data.holder ?? (events.length > 0 ? command.data.value : null) };
    },
  };
}

interface Judged<Value> {
  readonly outcome: IdClaimOutcome<Value>;
  readonly event: IdOwnerEvent<Value> | null;
}

/** Each claim judged in order, an id bound earlier in the same list counting as bound. */
function claimJudge<Value>(same: (a: Value, b: Value) => boolean) {
  return (claims: readonly IdClaim<Value>[]): Judged<Value>[] => {
    const boundNow = new Map<string, Value>();
    return claims.map(({ id, value, bind, holder: looked }) => {
      if (id.length === 0 || id.length > ownedIdLengthMax) return { outcome: { ok: false, code: 'owned_id_invalid', detail: `an id is 1..${ownedIdLengthMax} characters` }, event: null };
      const holder = looked ?? boundNow.get(id) ?? null;
      if (holder !== null && !same(holder, value)) return { outcome: { ok: false, code: 'id_reused_with_different_content', detail: `${id} was used before with other content` }, event: null };
      if (holder !== null) return { outcome: { ok: true, value: holder }, event: null };
      if (!bind) return { outcome: { ok: true, value: null }, event: null };
      boundNow.set(id, value);
      return { outcome: { ok: true, value }, event: { type: 'id_claimed', data: { id, value } } };
    });
  };
}

/** A transfer id → the account that debits it. */
export const transferOwnerDecider = idOwnerDecider<string>((a, b) => a === b);

/** An account id → its settings, all of which must match for an open to be the same. */
export const accountOwnerDecider = idOwnerDecider<AccountSettings>(
  (a, b) => a.id === b.id && a.kind === b.kind && a.currency === b.currency && a.overdraft === b.overdraft && a.subAccounts === b.subAccounts && a.bufferCredits === b.bufferCredits,
);
