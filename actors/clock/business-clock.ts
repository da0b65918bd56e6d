import { dateOfInstant, type BusinessDate } from '../../core/calendar/business-date.js';
import type { JournalReader } from '../../persistence/journal.js';
import type { Clock } from '../runtime/clock.js';

/**
 * Where business dates come from. Actors read it when they decide and pass the date in
 * the command; core never reads a clock. `wall`: the UTC date (shifted by a configured
 * offset) of the runtime clock. `sim`: a date ops set and advance (POST /ops/clock),
 * journaled by the settings actor, so it survives restarts.
 */
export interface BusinessClock {
  readonly mode: 'wall' | 'sim';
  today(): BusinessDate;
}

export class WallBusinessClock implements BusinessClock {
  readonly mode = 'wall' as const;
  constructor(
    private readonly clock: Clock,
    private readonly offsetMinutes = 0,
  ) {}

  today(): BusinessDate {
    return dateOfInstant(this.clock.now(), this.offsetMinutes);
  }
}

/** The settings index key the settings actor writes the simulated date under. */
export const simDateKey = 'sim_date';

/** Where a simulated clock reads the date the settings actor journaled (undefined: none yet). */
export type SimDateSource = () => BusinessDate | undefined;

/** The settings actor's date as this node's journal has it (it serves the settings actor). */
export function journaledSimDate(journal: JournalReader): SimDateSource {
  return () => journal.getIndex('settings', simDateKey) as BusinessDate | undefined;
}

export class SimBusinessClock implements BusinessClock {
  readonly mode = 'sim' as const;
  /**
   * `startDate`: the date before ops ever set one (the node journals it at its first start,
   * so later starts keep whatever date was reached). `dateOf`: the journal of the node that
   * serves the settings actor, or in a cluster the date it published.
   */
  constructor(
    private readonly dateOf: SimDateSource,
    readonly startDate: BusinessDate,
  ) {}

  today(): BusinessDate {
    return this.dateOf() ?? this.startDate;
  }
}
