import { evolveEod, initialEodState, type EodEvent, type EodState } from '../../core/eod/eod.js';
import { closedBefore, closedDaysSchema, storeClosedDay } from './closed-days.js';
import { dayFigures, eodSchema, writeDayBalances } from './eod-balances.js';
import type { Projector } from './projector.js';

/**
 * End of day in the read model: a completed close writes every moved account's opening,
 * debits, credits and closing for the day, and keeps the report. (The cut itself is the
 * partitions' markers: day-cut-projector.ts. A close completes only once the read side holds
 * every marker, so the legs of the days it covers are all here when its `day_closed` is.)
 */
export const eodProjector: Projector = {
  actorType: 'eod',
  schema: [...closedDaysSchema, ...eodSchema],
  initialState: () => initialEodState,
  evolve: (state, event) => evolveEod(state as EodState, event as EodEvent),
  project(db, entry) {
    for (const raw of entry.events) {
      const event = raw as EodEvent;
      if (event.type !== 'day_closed') continue;
      const { report } = event.data;
      writeDayBalances(db, report.date, dayFigures(db, report.date, report.from, closedBefore(db, report.date)));
      storeClosedDay(db, report);
    }
  },
};
