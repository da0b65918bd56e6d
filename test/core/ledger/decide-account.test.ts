import t from 'tap';
import type { AccountCommand } from '../../../core/ledger/commands.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { credited, given, opened, record, t0 } from './given.js';

const open = (patch: Partial<Extract<AccountCommand, { type: 'open_account' }>['data']> = {}): AccountCommand => ({
  type: 'open_account',
  data: { id: 'A', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 1, subIndex: 0, bufferCredits: false, at: t0, ...patch },
});
const close: AccountCommand = { type: 'close_account', data: { at: t0 + 1 } };
const lien = (investmentId: string): AccountEvent => ({ type: 'investment_lien_placed', data: { investmentId, at: t0 } });
const release = (investmentId: string, creditsPending: string[] = []): AccountCommand => ({ type: 'release_investment_lien', data: { investmentId, at: t0 + 2, creditsPending } });

t.test('open: once; the same again is a duplicate; other settings are refused', async (t) => {
  given().when(open()).then(t, [opened('A')]);
  given(opened('A')).when(open()).then(t, []);
  given(opened('A')).when(open({ kind: 'guarantee' })).rejects(t, 'id_reused_with_different_content');
  given(opened('A')).when(open({ currency: 'USD' })).rejects(t, 'id_reused_with_different_content');
  given(opened('A')).when(open({ overdraft: true })).rejects(t, 'id_reused_with_different_content');
});

t.test('close: rejection precedence, then closed once', async (t) => {
  const held = { type: 'transfer_held', data: { transfer: record('h1', { pending: true, status: 'pending', amount: 10n }) } } as const;
  given().when(close).rejects(t, 'account_not_found');
  given(opened('A'), credited('d', 10n), held).when(close).rejects(t, 'account_has_pending_transfers');
  given(opened('A'), credited('d', 10n), held, lien('i1')).when(close).rejects(t, 'account_has_pending_transfers', 'holds come before liens');
  given(opened('A'), credited('d', 10n), lien('i1')).when(close).rejects(t, 'account_has_open_investments', 'liens before the balance');
  given(opened('A'), lien('i1')).when(close).rejects(t, 'account_has_open_investments', 'a zero balance with its money invested');
  given(opened('A'), credited('d', 10n)).when(close).rejects(t, 'account_balance_not_zero');
  given(opened('A')).when(close).then(t, [{ type: 'account_closed', data: { closedAt: t0 + 1 } }]);
  given(opened('A'), { type: 'account_closed', data: { closedAt: t0 } }).when(close).then(t, [], 'closing again is a duplicate');
});

t.test('release_investment_lien: the lien goes once; an unknown or released one is a duplicate; then the wallet closes', async (t) => {
  given().when(release('i1')).rejects(t, 'account_not_found');
  given(opened('A'), lien('i1'), lien('i2')).when(release('i1')).then(t, [{ type: 'investment_lien_released', data: { investmentId: 'i1' } }]);
  given(opened('A'), lien('i1')).when(release('i2')).then(t, [], 'not a lien of this wallet');
  given(opened('A'), lien('i1')).when(release('i1', ['sys.pb.0.1'])).rejects(t, 'investment_credits_in_flight', 'a credit of its money not in yet: not yet');
  given(opened('A'), lien('i1'), { type: 'investment_lien_released', data: { investmentId: 'i1' } }).when(release('i1', ['sys.pb.0.1'])).then(t, [], 'gone already: a duplicate, whatever it waits for');
  given(opened('A'), lien('i1'), { type: 'investment_lien_released', data: { investmentId: 'i1' } }).when(release('i1')).then(t, [], 'released already: a redelivery');
  const { after } = given(opened('A'), lien('i1'), lien('i2')).when(release('i1'));
  t.same([...after.investmentLiens.keys()], ['i2'], 'the other lien stays');
  given(opened('A'), lien('i1'), { type: 'investment_lien_released', data: { investmentId: 'i1' } }).when(close).emits(t, ['account_closed'], 'no lien left: it closes');
});
