import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { SettingsState } from '../../core/settings/settings.js';
import { settingsActorId } from '../lending/ids.js';
import type { SettingsMessage } from '../lending/messages.js';
import type { ActorReply } from '../runtime/behavior.js';
import { ActorRuntimeError } from '../runtime/errors.js';
import type { Bus } from '../runtime/relay.js';
import type { BusinessClock } from './business-clock.js';

export interface ClockView {
  readonly mode: 'wall' | 'sim';
  readonly date: BusinessDate;
}

export interface ClockApi {
  view(): ClockView;
  /** Simulation mode only: set the business date (never backwards) or advance it. */
  change(change: { readonly date: string } | { readonly advanceDays: number }): Promise<ActorReply<ClockView>>;
}

/** The business clock as ops see and move it (POST /ops/clock). */
export class ClockService implements ClockApi {
  constructor(
    private readonly bus: Bus,
    private readonly clock: BusinessClock,
    /**
     * Cluster mode: resolves true once every process can see the date (its replication); a
     * change is answered only then, so what the caller sends next is decided on that date.
     */
    private readonly replicated: ((date: BusinessDate) => Promise<boolean>) | null = null,
  ) {}

  view(): ClockView {
    return { mode: this.clock.mode, date: this.clock.today() };
  }

  async change(change: { date: string } | { advanceDays: number }): Promise<ActorReply<ClockView>> {
    if (this.clock.mode !== 'sim') return { ok: false, code: 'clock_not_simulated', detail: 'the business clock follows the wall clock; start with FUNDCORE_CLOCK=sim to set it' };
    const message: SettingsMessage = 'date' in change ? { type: 'set_sim_date', data: { date: change.date } } : { type: 'advance_sim_date', data: { days: change.advanceDays } };
    const reply = await this.bus.ask(settingsActorId, message);
    if (!reply.ok) return reply;
    const settings = reply.value as SettingsState;
    const date = settings.simDate ?? this.clock.today();
    if (this.replicated !== null && !(await this.replicated(date))) {
      throw new ActorRuntimeError('partition_unavailable', `the business date ${date} is journaled but not yet seen by the whole cluster; set it again with {"date": "${date}"} (the same date changes nothing)`);
    }
    return { ok: true, value: { mode: 'sim', date } };
  }
}
