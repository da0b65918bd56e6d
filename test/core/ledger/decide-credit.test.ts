import t from 'tap';
import type { AccountCommand } from '../../../core/ledger/commands.js';
import type { CreditRecord, TransferRecord } from '../../../core/ledger/transfer.js';
import { credited, directory, given, opened, record, t0 } from './given.js';

const creditIn = (existing: CreditRecord | null = null, currency: 'CNY' | 'USD' = 'CNY'): AccountCommand => ({
  type: 'credit_transfer',
  data: { transferId: 't1', debit: 'X', credit: 'A', amount: 70n, currency, reverses: null, at: t0 + 5, existing },
});
const creditRecord: CreditRecord = { transferId: 't1', account: 'A', debit: 'X', amount: 70n, currency: 'CNY', reverses: null, creditedAt: t0 + 5 };
const closed = { type: 'account_closed', data: { closedAt: t0 } } as const;

t.test('credit: lands once; a redelivery is a duplicate even after the account closed', async (t) => {
  // Withdrawable money alone: the credit records no natures (what none means).
  given(opened('A')).when(creditIn()).then(t, [{ type: 'transfer_credited', data: { credit: creditRecord } }]);
  given(opened('A'), closed).when(creditIn(creditRecord)).then(t, []);
});

t.test('credit: rejection precedence', async (t) => {
  given().when(creditIn()).rejects(t, 'credit_account_not_found');
  given(opened('A'), closed).when(creditIn(null, 'USD')).rejects(t, 'credit_account_closed');
  given(opened('A')).when(creditIn(null, 'USD')).rejects(t, 'currencies_must_match');
});

const returnOf = (existing: TransferRecord | null): AccountCommand => ({ type: 'return_credit', data: { transferId: 't1', code: 'credit_account_closed', at: t0 + 9, existing } });

t.test('return: the money comes back once', async (t) => {
  given(opened('A')).when(returnOf(record('t1'))).then(t, [
    { type: 'credit_returned', data: { transfer: record('t1', { status: 'returned', returnCode: 'credit_account_closed', updatedAt: t0 + 9 }) } },
  ]);
  given(opened('A')).when(returnOf(record('t1', { status: 'returned' }))).then(t, []);
  given(opened('A')).when(returnOf(null)).rejects(t, 'transfer_not_found');
  given(opened('A')).when(returnOf(record('t1', { status: 'pending', pending: true }))).rejects(t, 'transfer_not_posted');
});

/** At B, the original's credit side. The original moved 100 from A to B. */
const original = record('t1', { debit: 'A', credit: 'B', amount: 100n });
const bCredit: CreditRecord = { transferId: 't1', account: 'B', debit: 'A', amount: 100n, currency: 'CNY', reverses: null, creditedAt: t0 };
const reverse = (patch: Partial<Extract<AccountCommand, { type: 'reverse_transfer' }>['data']> = {}): AccountCommand => ({
  type: 'reverse_transfer',
  data: {
    transferId: 't1',
    reversalId: 't1~reversal',
    memo: null,
    at: t0 + 20,
    original,
    credit: bCredit,
    existingReversal: null,
    originalDebitAccount: directory('A'),
    final: true,
    ...patch,
  },
});

t.test('reverse: opposite legs, linked to the original', async (t) => {
  const { decision } = given(opened('B'), credited('t1', 100n, 'B', 'A')).when(reverse());
  t.match(decision, [{ type: 'transfer_debited', data: { transfer: { id: 't1~reversal', debit: 'B', credit: 'A', amount: 100n, reverses: 't1', status: 'posted' } } }]);
  given(opened('B')).when(reverse({ existingReversal: record('t1~reversal', { reverses: 't1' }) })).then(t, [], 'at most once: a second reversal is a duplicate');
});

t.test('reverse: rejection precedence', async (t) => {
  const funded = [opened('B'), credited('t1', 100n, 'B', 'A')];
  given(...funded).when(reverse({ original: null })).rejects(t, 'transfer_not_found');
  given(...funded).when(reverse({ original: record('t1', { reverses: 't0' }) })).rejects(t, 'cannot_reverse_a_reversal');
  given(...funded).when(reverse({ original: record('t1', { status: 'pending', pending: true }) })).rejects(t, 'transfer_not_posted');
  given(...funded).when(reverse({ original: record('t1', { status: 'returned' }) })).rejects(t, 'transfer_not_posted');
  given(...funded).when(reverse({ credit: null })).rejects(t, 'transfer_credit_in_flight');
  given().when(reverse()).rejects(t, 'debit_account_not_found');
  given(...funded, { type: 'account_closed', data: { closedAt: t0 } }).when(reverse({ originalDebitAccount: null })).rejects(t, 'debit_account_closed');
  given(...funded).when(reverse({ originalDebitAccount: null })).rejects(t, 'credit_account_not_found');
  given(...funded).when(reverse({ originalDebitAccount: directory('A', { closed: true }) })).rejects(t, 'credit_account_closed');
  const spent = { type: 'transfer_debited', data: { transfer: record('t2', { debit: 'B', amount: 1n }) } } as const;
  given(...funded, spent).when(reverse()).rejects(t, 'insufficient_funds', 'the money was spent since');
});

t.test('credit: natures that do not sum to the amount are a bug (thrown), never booked', async (t) => {
  const wallet = given(opened('A'));
  t.not(wallet.state.natures, null, 'the wallet keeps natures');
  const withNatures = (amounts: bigint[]): AccountCommand => {
    const command = creditIn() as Extract<AccountCommand, { type: 'credit_transfer' }>;
    return { ...command, data: { ...command.data, natures: amounts.map((amount, i) => ({ nature: i === 0 ? 'withdrawable' : 'spend_only', amount })) } };
  };
  t.equal(wallet.when(withNatures([50n, 20n])).after.natures?.balance.spend_only, 20n, 'natures summing to the amount are booked as they came');
  t.throws(() => wallet.when(withNatures([50n, 10n])), { name: 'InvariantViolation', message: 'credit t1: its natures sum to its amount' });
});
