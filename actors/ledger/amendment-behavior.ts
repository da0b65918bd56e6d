import { amendmentDecider, type AmendmentCommand, type AmendmentEvent, type AmendmentRejectionCode, type AmendmentRequest, type AmendmentState } from '../../core/amendment/amendment.js';
import { assertNever } from '../../core/rejection.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { withFields } from '../../core/with-fields.js';

export type AmendmentMessage =
  | { readonly type: 'amend'; readonly data: { readonly request: AmendmentRequest; readonly originalStatus: string } }
  | { readonly type: 'settle'; readonly data: Extract<AmendmentCommand, { type: 'settle' }>['data'] }
  | { readonly type: 'get_amendment' };

/** The amendment of one transfer: `amd:<transfer id>` (a transfer is reversed, so amended, once). */
export const amendmentActorId = (transferId: string) => `amd:${transferId}`;

/** Records an amendment and how it ended; the ledger steps between are the service's (amendment-service.ts). */
export const amendmentBehavior: ActorBehavior<AmendmentState, AmendmentEvent> = deciderBehavior<AmendmentState, AmendmentMessage, AmendmentCommand, AmendmentEvent, AmendmentRejectionCode, AmendmentState>({
  type: 'amd',
  decider: amendmentDecider,
  isQuery: (message) => message.type === 'get_amendment',
  query: (state) => (state.amendment === null ? { ok: false, code: 'amendment_not_found', detail: 'the transfer has no amendment' } : { ok: true, value: state }),
  commandOf: (message, { at }) => {
    switch (message.type) {
      case 'amend':
        return { type: 'amend', data: withFields(message.data, { at }) };
      case 'settle':
        return { type: 'settle', data: message.data };
      case 'get_amendment':
        throw new Error('get_amendment is a query');
      default:
        return assertNever(message, 'amendment message');
    }
  },
});
