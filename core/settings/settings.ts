import { addDays, isBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import { lendingLimits } from '../lending/limits.js';
import type { LendingRejectionCode } from '../lending/rejections.js';
import type { Decider } from '../decider.js';
import { assertNever, reject, type Rejection } from '../rejection.js';

/**
 * Node-wide settings that must survive restarts: the simulated business date, and the pool
 * shard count (fixed at the first start, since capital is routed by it).
 */
export interface SettingsState {
  readonly poolShards: number | null;
  readonly simDate: BusinessDate | null;
}

export const initialSettingsState: SettingsState = { poolShards: null, simDate: null };

/** Longest single advance of the simulated clock (ten years). */
export const clockAdvanceDaysMax = 3_660;

export type SettingsCommand =
  | { readonly type: 'fix_pool_shards'; readonly data: { readonly count: number } }
  | { readonly type: 'init_sim_date'; readonly data: { readonly date: BusinessDate } }
  | { readonly type: 'set_sim_date'; readonly data: { readonly date: string } }
  | { readonly type: 'advance_sim_date'; readonly data: { readonly days: number } };

export type SettingsEvent =
  | { readonly type: 'pool_shards_fixed'; readonly data: { readonly count: number } }
  | { readonly type: 'sim_date_set'; readonly data: { readonly date: BusinessDate; readonly previous: BusinessDate | null } };

/**
 * fix_pool_shards: 1. first time → fixed; same count → duplicate; 2. pool_shards_mismatch.
 * init_sim_date: sets the date only if none is set (a restart keeps the simulated date).
 * set_sim_date: 1. business_date_invalid, 2. clock_cannot_go_back; the same date → duplicate.
 * advance_sim_date: 1. clock_advance_out_of_range (1..3660 days).
 */
export function decideSettings(state: SettingsState, command: SettingsCommand): readonly SettingsEvent[] | Rejection<LendingRejectionCode> {
  switch (command.type) {
    case 'fix_pool_shards': {
      const { count } = command.data;
      if (state.poolShards === count) return [];
      if (state.poolShards !== null) return reject('pool_shards_mismatch', `the pool has ${state.poolShards} shards for good; configured ${count}`);
      if (!Number.isInteger(count) || count < 1 || count > lendingLimits.poolShardsMax) return reject('pool_shards_mismatch', `pool shards are 1..${lendingLimits.poolShardsMax}`);
      return [{ type: 'pool_shards_fixed', data: { count } }];
    }
    case 'init_sim_date':
      return state.simDate !== null ? [] : [{ type: 'sim_date_set', data: { date: command.data.date, previous: null } }];
    case 'set_sim_date': {
      const { date } = command.data;
      if (!isBusinessDate(date)) return reject('business_date_invalid', `"${date}" is not a date YYYY-MM-DD (1970..9999)`);
      if (state.simDate !== null && date < state.simDate) return reject('clock_cannot_go_back', `the business date is ${state.simDate}; it never moves back`);
      if (state.simDate === date) return [];
      return [{ type: 'sim_date_set', data: { date, previous: state.simDate } }];
    }
    case 'advance_sim_date': {
      const { days } = command.data;
      if (!Number.isInteger(days) || days < 1 || days > clockAdvanceDaysMax) return reject('clock_advance_out_of_range', `advance by 1..${clockAdvanceDaysMax} days`);
      if (state.simDate === null) return reject('business_date_invalid', 'the simulated clock has no date yet');
      return [{ type: 'sim_date_set', data: { date: addDays(state.simDate, days), previous: state.simDate } }];
    }
    default:
      return assertNever(command, 'settings command');
  }
}

export function evolveSettings(state: SettingsState, event: SettingsEvent): SettingsState {
  switch (event.type) {
    case 'pool_shards_fixed':
      return { ...state, poolShards: event.data.count };
    case 'sim_date_set':
      return { ...state, simDate: event.data.date };
    default:
      return assertNever(event, 'settings event');
  }
}

/** The settings aggregate as one decider: an accepted command answers the settings after it. */
export const settingsDecider: Decider<SettingsState, SettingsCommand, SettingsEvent, LendingRejectionCode, SettingsState> = {
  initialState: initialSettingsState,
  decide: decideSettings,
  evolve: evolveSettings,
  reply: (state) => state,
};
