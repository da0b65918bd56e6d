import { decideSettings, evolveSettings, initialSettingsState, type SettingsCommand, type SettingsEvent, type SettingsState } from '../../core/settings/settings.js';
import { isRejection } from '../../core/rejection.js';
import type { IndexWrite } from '../../persistence/journal.js';
import { simDateKey } from '../clock/business-clock.js';
import type { ActorBehavior, Handled } from '../runtime/behavior.js';
import type { SettingsMessage } from './messages.js';

export const poolShardsKey = 'pool_shards';

/**
 * Node settings (`cfg:node`): the simulated business date and the pool shard count. Written
 * to the `settings` index in the same commit, where the business clock reads the date.
 */
export const settingsBehavior: ActorBehavior<SettingsState, SettingsEvent> = {
  type: 'cfg',
  initialState: () => initialSettingsState,
  isQuery: (message) => (message as SettingsMessage).type === 'get_settings',
  query: (state) => ({ ok: true, value: state }),
  handle(state, message): Handled<SettingsEvent> {
    const m = message as SettingsMessage;
    if (m.type === 'get_settings') throw new Error('get_settings is a query');
    const decision = decideSettings(state, m as SettingsCommand);
    if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
    return { events: decision, reply: { ok: true, value: decision.reduce(evolveSettings, state) } };
  },
  evolve: evolveSettings,
  indexWritesOf(_actorId, event): IndexWrite[] {
    return event.type === 'sim_date_set'
      ? [{ index: 'settings', key: simDateKey, value: event.data.date }]
      : [{ index: 'settings', key: poolShardsKey, value: event.data.count }];
  },
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: () => {},
};
