import { entriesOf, indexGroupDecider, type IndexGroupCommand, type IndexGroupEvent, type IndexGroupRejectionCode, type IndexGroupState } from '../../core/index/index-group.js';
import { assertNever } from '../../core/rejection.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { indexActorPrefix, type IndexListing, type IndexMessage } from './messages.js';

/**
 * Index groups as actors (`idx:<name>/<group>`): what a service looks up by a key another
 * actor owns — the loans of an investment's claims, a wallet's depository orders — is asked
 * of the group's actor, on whichever node serves it, never read from a journal.
 */
export const indexBehavior: ActorBehavior<IndexGroupState, IndexGroupEvent> = deciderBehavior<IndexGroupState, IndexMessage, IndexGroupCommand, IndexGroupEvent, IndexGroupRejectionCode, { readonly entries: number }>({
  type: indexActorPrefix,
  decider: indexGroupDecider,
  isQuery: (message) => message.type === 'list_entries',
  query: (state) => ({ ok: true, value: { entries: entriesOf(state) } satisfies IndexListing }),
  commandOf(message): IndexGroupCommand {
    switch (message.type) {
      case 'put_entry':
        return message;
      case 'list_entries':
        throw new Error('list_entries is a query');
      default:
        return assertNever(message, 'index message');
    }
  },
});
