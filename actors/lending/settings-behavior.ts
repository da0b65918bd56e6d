import type { LendingRejectionCode } from '../../core/lending/rejections.js';
import { settingsDecider, type SettingsCommand, type SettingsEvent, type SettingsState } from '../../core/settings/settings.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import type { IndexWrite } from '../../persistence/journal.js';
import { simDateKey } from '../clock/business-clock.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import type { SettingsMessage } from './messages.js';

export const poolShardsKey = 'pool_shards';

/**
 * Node settings (`cfg:node`): the simulated business date and the pool shard count. Written
 * to the `settings` index in the same commit, where the business clock reads the date.
 */
export const settingsBehavior: ActorBehavior<SettingsState, SettingsEvent> = deciderBehavior<SettingsState, SettingsMessage, SettingsCommand, SettingsEvent, LendingRejectionCode, SettingsState>({
  type: 'cfg',
  decider: settingsDecider,
  isQuery: (message) => message.type === 'get_settings',
  query: (state) => ({ ok: true, value: state }),
  commandOf(message): SettingsCommand {
    if (message.type === 'get_settings') throw new Error('get_settings is a query');
    return message;
  },
  indexWritesOf(_actorId, event): IndexWrite[] {
    return event.type === 'sim_date_set'
      ? [{ index: 'settings', key: simDateKey, value: event.data.date }]
      : [{ index: 'settings', key: poolShardsKey, value: event.data.count }];
  },
});
