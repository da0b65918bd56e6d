import type { IndexPut } from '../../core/index/index-group.js';
import type { Delivery } from '../runtime/behavior.js';

/** The index groups kept by actors, and what their entries hold. */
export type IndexGroupName =
  /** The loans that ever held a claim of an investment (key: the loan id). */
  | 'claims'
  /** The depository-account orders of a wallet (key: the order number; value: DepositoryOrderEntry). */
  | 'depository';

export const indexActorPrefix = 'idx';

/** `idx:<name>/<group>`: one actor per group, partitioned by the whole id like any actor. */
export function indexActorId(name: IndexGroupName, group: string): string {
  return `${indexActorPrefix}:${name}/${group}`;
}

export type IndexMessage = { readonly type: 'put_entry'; readonly data: IndexPut } | { readonly type: 'list_entries' };

export interface IndexListing {
  readonly entries: readonly { readonly key: string; readonly value: unknown }[];
}

/** The outbox delivery of one entry to its group; a refused put (a full group) is dropped, as it would be again. */
export function indexPut(name: IndexGroupName, group: string, put: IndexPut): Delivery {
  return { to: indexActorId(name, group), message: { type: 'put_entry', data: put } satisfies IndexMessage, onRefused: null };
}
