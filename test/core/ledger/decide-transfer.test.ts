import t from 'tap';
import { createTransfer, credited, directory, given, opened, record, t0 } from './given.js';

t.test('an immediate transfer debits the account', async (t) => {
  given(opened('A'), credited('d1', 500n))
    .when(createTransfer('t1'))
    .then(t, [{ type: 'transfer_debited', data: { transfer: record('t1', { createdAt: t0 + 1, updatedAt: t0 + 1, drawn: [{ nature: 'withdrawable', amount: 100n }] }) } }]);
});

t.test('a pending transfer holds the amount, with its expiry', async (t) => {
  const { decision } = given(opened('A'), credited('d1', 500n)).when(createTransfer('t1', { pending: true, timeoutMs: 1000 }));
  t.match(decision, [{ type: 'transfer_held', data: { transfer: { status: 'pending', expiresAt: t0 + 1001 } } }]);
});

t.test('the same id with the same content is a duplicate: nothing to journal', async (t) => {
  given(opened('A'), credited('d1', 500n))
    .when(createTransfer('t1', {}, { existing: record('t1') }))
    .then(t, []);
});

t.test('an overdraft account may go below zero', async (t) => {
  const { decision } = given(opened('A', true)).when(createTransfer('t1', { amount: 10n ** 18n }));
  t.match(decision, [{ type: 'transfer_debited' }]);
});

t.test('refusals from rule 5 on are recorded under the id', async (t) => {
  const { decision } = given(opened('A')).when(createTransfer('t1'));
  t.match(decision, [{ type: 'transfer_rejected', data: { transfer: { id: 't1', status: 'rejected', rejection: { code: 'insufficient_funds' } } } }]);
});

/**
 * The precedence table (TigerBeetle-style): start from a command that breaks every rule,
 * then mend the rules one at a time in order; each step must report the next rule.
 */
t.test('create_transfer: rejection precedence', async (t) => {
  const closedDebit = { type: 'account_closed', data: { closedAt: t0 } } as const;
  const steps: [string, ReturnType<typeof given>, Parameters<typeof createTransfer>][] = [
    ['id_reused_with_different_content', given(), ['t1', { amount: 0n, credit: 'A', timeoutMs: 5 }, { existing: record('t1'), creditAccount: null }]],
    ['amount_must_be_positive', given(), ['t1', { amount: 0n, credit: 'A', timeoutMs: 5 }, { creditAccount: null }]],
    ['accounts_must_be_different', given(), ['t1', { credit: 'A', timeoutMs: 5 }, { creditAccount: null }]],
    ['timeout_requires_pending', given(), ['t1', { timeoutMs: 5 }, { creditAccount: null }]],
    ['timeout_too_long', given(), ['t1', { pending: true, timeoutMs: 31 * 24 * 3600 * 1000 }, { creditAccount: null }]],
    ['memo_too_long', given(), ['t1', { memo: 'x'.repeat(257), nature: 'gift' as never }, { creditAccount: null }]],
    ['unknown_nature', given(), ['t1', { nature: 'gift' as never }, { creditAccount: null }]],
    ['debit_account_not_found', given(), ['t1', { nature: 'spend_only' }, { creditAccount: null }]],
    ['credit_account_not_found (recorded)', given(opened('A'), closedDebit), ['t1', { nature: 'spend_only' }, { creditAccount: null }]],
    ['debit_account_closed (recorded)', given(opened('A'), closedDebit), ['t1', { nature: 'spend_only' }, { creditAccount: directory('B', { closed: true, currency: 'USD' }) }]],
    ['credit_account_closed (recorded)', given(opened('A')), ['t1', { nature: 'spend_only' }, { creditAccount: directory('B', { closed: true, currency: 'USD' }) }]],
    ['currencies_must_match (recorded)', given(opened('A')), ['t1', { nature: 'spend_only' }, { creditAccount: directory('B', { currency: 'USD', kind: 'platform_revenue' }) }]],
    ['nature_not_kept (recorded)', given(opened('A')), ['t1', { nature: 'spend_only' }, { creditAccount: directory('B', { kind: 'platform_revenue' }) }]],
    ['nature_of_wallet_money (recorded)', given(opened('A'), credited('d1', 99n)), ['t1', { nature: 'spend_only' }, {}]],
    ['insufficient_funds (recorded)', given(opened('A'), credited('d1', 99n)), ['t1', {}, {}]],
  ];
  for (const [code, state, args] of steps) state.when(createTransfer(...args)).rejects(t, code);
  given(opened('A'), credited('d1', 100n)).when(createTransfer('t1')).then(t, [
    { type: 'transfer_debited', data: { transfer: record('t1', { createdAt: t0 + 1, updatedAt: t0 + 1, drawn: [{ nature: 'withdrawable', amount: 100n }] }) } },
  ], 'with every rule mended it is accepted');
});

t.test('holds count against available, not against the balance', async (t) => {
  const held = { type: 'transfer_held', data: { transfer: record('h1', { pending: true, status: 'pending', amount: 60n }) } } as const;
  given(opened('A'), credited('d1', 100n), held).when(createTransfer('t1', { amount: 41n })).rejects(t, 'insufficient_funds (recorded)');
  const { decision } = given(opened('A'), credited('d1', 100n), held).when(createTransfer('t2', { amount: 40n }));
  t.match(decision, [{ type: 'transfer_debited' }]);
});

t.test("an investment's debit places its lien in the same decision; a refusal or a duplicate places none", async (t) => {
  const lien = { lien: 'i1' };
  given(opened('A'), credited('d1', 500n)).when(createTransfer('t1', {}, lien)).emits(t, ['transfer_debited', 'investment_lien_placed']);
  t.same(given(opened('A'), credited('d1', 500n)).when(createTransfer('t1', {}, lien)).after.investmentLiens, new Map([['i1', t0 + 1]]), 'the lien is kept, with when');
  given(opened('A')).when(createTransfer('t1', {}, lien)).emits(t, ['transfer_rejected'], 'short of funds: no lien');
  given(opened('A'), credited('d1', 500n)).when(createTransfer('t1', {}, { ...lien, existing: record('t1') })).then(t, [], 'a redelivered debit places nothing again');
  given(opened('A'), credited('d1', 500n)).when(createTransfer('t1')).emits(t, ['transfer_debited'], 'a debit without one places none');
});
