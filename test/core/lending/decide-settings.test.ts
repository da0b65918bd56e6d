import t from 'tap';
import { decideSettings, evolveSettings, initialSettingsState, type SettingsEvent } from '../../../core/settings/settings.js';
import { deciderOf } from './given.js';

const given = deciderOf(decideSettings, evolveSettings, initialSettingsState);
const fixed: SettingsEvent = { type: 'pool_shards_fixed', data: { count: 4 } };
const dated: SettingsEvent = { type: 'sim_date_set', data: { date: '2030-01-01', previous: null } };

t.test('fix_pool_shards: fixed once; the same count again is fine; another count refuses to start', async (t) => {
  given().when({ type: 'fix_pool_shards', data: { count: 4 } }).then(t, [fixed]);
  given(fixed).when({ type: 'fix_pool_shards', data: { count: 4 } }).then(t, []);
  given(fixed).when({ type: 'fix_pool_shards', data: { count: 8 } }).rejects(t, 'pool_shards_mismatch');
  given().when({ type: 'fix_pool_shards', data: { count: 0 } }).rejects(t, 'pool_shards_mismatch');
});

t.test('the simulated date: initialised once, set forward, advanced; precedence', async (t) => {
  given().when({ type: 'init_sim_date', data: { date: '2030-01-01' } }).then(t, [dated]);
  given(dated).when({ type: 'init_sim_date', data: { date: '2031-01-01' } }).then(t, [], 'a restart keeps the date reached');
  given(dated).when({ type: 'set_sim_date', data: { date: '2030-02-30' } }).rejects(t, 'business_date_invalid', '1.');
  given(dated).when({ type: 'set_sim_date', data: { date: '2029-12-31' } }).rejects(t, 'clock_cannot_go_back', '2.');
  given(dated).when({ type: 'set_sim_date', data: { date: '2030-01-01' } }).then(t, [], 'the same date: nothing');
  given(dated).when({ type: 'set_sim_date', data: { date: '2030-03-01' } }).then(t, [{ type: 'sim_date_set', data: { date: '2030-03-01', previous: '2030-01-01' } }]);
  given(dated).when({ type: 'advance_sim_date', data: { days: 31 } }).then(t, [{ type: 'sim_date_set', data: { date: '2030-02-01', previous: '2030-01-01' } }]);
  given(dated).when({ type: 'advance_sim_date', data: { days: 0 } }).rejects(t, 'clock_advance_out_of_range');
  given(dated).when({ type: 'advance_sim_date', data: { days: 3661 } }).rejects(t, 'clock_advance_out_of_range');
  given().when({ type: 'advance_sim_date', data: { days: 1 } }).rejects(t, 'business_date_invalid', 'no date to advance from');
});
