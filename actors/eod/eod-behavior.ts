import { eodDecider, type EodCommand, type EodEvent, type EodRejectionCode, type EodState } from '../../core/eod/eod.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { withFields } from '../../core/with-fields.js';

export const eodActorId = 'eod:ledger';

/** The one actor that closes business days: it orders closes and journals each closed day's report (the read model keeps it for queries). */
export const eodBehavior: ActorBehavior<EodState, EodEvent> = deciderBehavior<EodState, EodCommand | { readonly type: 'get_eod' }, EodCommand, EodEvent, EodRejectionCode, EodState>({
  type: 'eod',
  decider: eodDecider,
  isQuery: (message) => message.type === 'get_eod',
  query: (state) => ({ ok: true, value: state }),
  commandOf(message, { at }): EodCommand {
    if (message.type === 'get_eod') throw new Error('get_eod is a query');
    return message.type === 'begin_close' ? { type: 'begin_close', data: withFields(message.data, { at }) } : message;
  },
});
