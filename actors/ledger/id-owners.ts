import type { AccountSettings } from '../../core/ledger/account.js';
import { accountOwnerDecider, idOwnerGroupOf, transferOwnerDecider, type IdOwnerBatchReply, type IdOwnerCommand, type IdOwnerEvent, type IdOwnerRejectionCode, type IdOwnerReply, type IdOwnerState } from '../../core/ledger/id-owner.js';
import type { Decider } from '../../core/decider.js';
import { assertNever } from '../../core/rejection.js';
import type { IndexName } from '../../persistence/journal.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { openPartAsk } from '../account/messages.js';
import { isSystemId } from '../lending/ids.js';
import { withFields } from '../../core/with-fields.js';
import type { Cause } from '../../core/audit/cause.js';

export const transferOwnerPrefix = 'tid';
export const accountOwnerPrefix = 'aid';

/** `tid:<group>`: the owner of every transfer id of its group, partitioned like any actor. */
export function transferOwnerActorId(transferId: string): string {
  return `${transferOwnerPrefix}:${idOwnerGroupOf(transferId)}`;
}

/** `aid:<group>`: the owner of every account id of its group. */
export function accountOwnerActorId(accountId: string): string {
  return `${accountOwnerPrefix}:${idOwnerGroupOf(accountId)}`;
}

/**
 * One claim of a `claim_ids` message. `cause`: who the claim is on behalf of, when the
 * message carries the claims of several requests (the single transfers of one turn);
 * absent: the message's own cause.
 */
export interface IdClaimItem<Value> {
  readonly id: string;
  readonly value: Value;
  readonly bind: boolean;
  readonly cause?: Cause;
}

/** What an id's owner takes; the actor adds the id's holder, looked up in its index. */
export type IdOwnerMessage<Value> =
  | { readonly type: 'claim_id'; readonly data: { readonly id: string; readonly value: Value; readonly bind: boolean } }
  | { readonly type: 'claim_ids'; readonly data: { readonly claims: readonly IdClaimItem<Value>[] } }
  | { readonly type: 'find_id'; readonly data: { readonly id: string } };

/** Claims handed to one owner in one message, at most (a batch's claims are split by owner, then by this). */
export const idClaimsPerMessageMax = 1_000;

export function claimId<Value>(id: string, value: Value, bind = true): IdOwnerMessage<Value> {
  return { type: 'claim_id', data: { id, value, bind } };
}

export function claimIds<Value>(claims: readonly IdClaimItem<Value>[]): IdOwnerMessage<Value> {
  return { type: 'claim_ids', data: { claims } };
}

export function findId(id: string): IdOwnerMessage<never> {
  return { type: 'find_id', data: { id } };
}

/**
 * fundcore's own transfers (ids under the reserved `sys.` prefix, derived from a saga's own
 * id: unique by construction) are recorded first and told to their owner after, by the debit
 * account, so a saga's step costs no extra round trip; a clash would be a bug, and the
 * owner's refusal is logged by the relay.
 */
export function noteToOwner(transferId: string, debit: string): Delivery {
  return { to: transferOwnerActorId(transferId), message: claimId(transferId, debit), onRefused: null };
}

/**
 * An account id bound to its settings obliges its actors to open: parts 1..n-1, then part 0
 * (which writes the directory entry, so the account exists for others only once every part
 * does), delivered one after the other through the outbox. The service opens them itself
 * right after the binding (and answers from that); these deliveries, duplicates then, finish
 * an open whose asker crashed or gave up after the binding.
 */
function openingOf(settings: AccountSettings): Delivery {
  const openPart = (part: number, after: Delivery | null): Delivery => {
    const { actorId, message } = openPartAsk(settings, part);
    return { to: actorId, message, onRefused: null, onAccepted: () => after };
  };
  let first = openPart(0, null);
  for (let part = settings.subAccounts - 1; part >= 1; part--) first = openPart(part, first);
  return first;
}

function idOwnerBehavior<Value>(
  type: string,
  index: IndexName,
  decider: Decider<IdOwnerState, IdOwnerCommand<Value>, IdOwnerEvent<Value>, IdOwnerRejectionCode, IdOwnerReply<Value> | IdOwnerBatchReply<Value>>,
  deliveriesOf?: (event: IdOwnerEvent<Value>) => readonly Delivery[],
): ActorBehavior<IdOwnerState, IdOwnerEvent<Value>> {
  return deciderBehavior<IdOwnerState, IdOwnerMessage<Value>, IdOwnerCommand<Value>, IdOwnerEvent<Value>, IdOwnerRejectionCode, IdOwnerReply<Value> | IdOwnerBatchReply<Value>>({
    type,
    decider,
    // Every look-up goes through the mailbox, so it sees the bindings decided before it.
    isQuery: () => false,
    query: () => ({ ok: false, code: 'internal_error', detail: 'an id owner answers no query' }),
    commandOf(message, { lookup }): IdOwnerCommand<Value> {
      const holderOf = (id: string) => (lookup.get(index, id) as Value | undefined) ?? null;
      switch (message.type) {
        case 'claim_id':
          return { type: 'claim_id', data: withFields(message.data, { holder: holderOf(message.data.id) }) };
        case 'claim_ids':
          return { type: 'claim_ids', data: { claims: message.data.claims.map(({ id, value, bind }) => ({ id, value, bind, holder: holderOf(id) })) } };
        case 'find_id':
          return { type: 'find_id', data: { id: message.data.id, holder: holderOf(message.data.id) } };
        default:
          return assertNever(message, 'id owner message');
      }
    },
    indexWritesOf: (_actorId, event) => [{ index, key: event.data.id, value: event.data.value }],
    eventCausesOf: (message, events) => (message.type === 'claim_ids' ? claimCausesOf(message.data.claims, events) : undefined),
    ...(deliveriesOf !== undefined ? { deliveriesOf: (_actorId: string, event: IdOwnerEvent<Value>) => deliveriesOf(event) } : {}),
  });
}

/**
 * Each binding's cause: that of the claim that made it — the first claim of its id that
 * binds (a check of the id before it, `bind: false`, binds nothing). The bindings come in
 * the claims' order, so one walk pairs them. Absent when no claim names a cause.
 */
function claimCausesOf<Value>(claims: readonly IdClaimItem<Value>[], events: readonly IdOwnerEvent<Value>[]): (Cause | null)[] | undefined {
  if (events.length === 0 || claims.every((claim) => claim.cause === undefined)) return undefined;
  let next = 0;
  return events.map((event) => {
    while (next < claims.length && !(claims[next]?.id === event.data.id && claims[next]?.bind === true)) next++;
    return claims[next++]?.cause ?? null;
  });
}

export const transferOwnerBehavior = idOwnerBehavior<string>(transferOwnerPrefix, 'transfer_owners', transferOwnerDecider);
// fundcore's own accounts (`sys.`) are opened by every node as it starts, before it serves: nothing to finish for them.
export const accountOwnerBehavior = idOwnerBehavior<AccountSettings>(accountOwnerPrefix, 'account_owners', accountOwnerDecider, (event) =>
  isSystemId(event.data.id) ? [] : [openingOf(event.data.value)],
);
