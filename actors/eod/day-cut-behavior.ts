import { dayCutDecider, type DayCutCommand, type DayCutEvent, type DayCutRejectionCode, type DayCutReply, type DayCutState } from '../../core/eod/day-cut.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';

/** What a day's cut actor is sent: a cut (the close stamps no time: the actor does), or a look at its state. */
export type DayCutMessage = { readonly type: 'cut_day'; readonly data: { readonly date: BusinessDate } } | { readonly type: 'get_day_cut' };

/** One per partition (`daycut:<p>`, pinned to p): journals the day's cut marker in the partition's own order. */
export const dayCutBehavior: ActorBehavior<DayCutState, DayCutEvent> = deciderBehavior<DayCutState, DayCutMessage, DayCutCommand, DayCutEvent, DayCutRejectionCode, DayCutReply>({
  type: 'daycut',
  decider: dayCutDecider,
  isQuery: (message) => message.type === 'get_day_cut',
  query: (state) => ({ ok: true, value: state }),
  commandOf(message, { at, lookup }): DayCutCommand {
    if (message.type === 'get_day_cut') throw new Error('get_day_cut is a query');
    return { type: 'cut_day', data: { date: message.data.date, at, chainHead: lookup.chainHead?.() ?? null } };
  },
});
