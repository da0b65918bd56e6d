import t from 'tap';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { settlementMoveId } from '../../../core/ledger/transfer.js';
import { content, directory, given, t0 } from './given.js';

const part = (subIndex: number, overdraft = false): AccountEvent => ({
  type: 'account_opened',
  data: { account: { id: 'A', kind: 'platform_revenue', currency: 'CNY', overdraft, openedAt: t0, subAccounts: 3, subIndex, bufferCredits: false } },
});
const credited = (amount: bigint): AccountEvent => ({ type: 'transfer_credited', data: { credit: { transferId: `in-${amount}`, account: 'A', debit: 'B', amount, currency: 'CNY', reverses: null, creditedAt: t0 } } });
const sealedBy = (closeNo: number): AccountEvent => ({ type: 'account_sealed', data: { closeNo } });
const unsealed = (closeNo: number): AccountEvent => ({ type: 'account_unsealed', data: { closeNo } });
const seal = (closeNo: number) => ({ type: 'seal_account' as const, data: { closeNo, at: t0 } });
const unseal = (closeNo: number) => ({ type: 'unseal_account' as const, data: { closeNo, at: t0 } });
const settle = (closeNo: number, round = 1) => ({ type: 'settle_sealed' as const, data: { closeNo, round, toSubIndex: 0, at: t0 } });
const debit = (id: string) => ({ type: 'create_transfer' as const, data: { id, content: content({ debit: 'A', credit: 'B', amount: 10n }), at: t0, final: true, existing: null, creditAccount: directory('B') } });
const creditIn = { type: 'credit_transfer' as const, data: { transferId: 'c1', debit: 'B', credit: 'A', amount: 5n, currency: 'CNY' as const, reverses: null, at: t0, existing: null } };

t.test('seal_account: 1. account_not_found; 2. sealed by this close, or a close that already ended here → nothing', async (t) => {
  given().when(seal(1)).rejects(t, 'account_not_found', '1.');
  given(part(1)).when(seal(1)).then(t, [sealedBy(1)]);
  given(part(1), sealedBy(1)).when(seal(1)).then(t, [], '2. again');
  given(part(1), sealedBy(1), unsealed(1)).when(seal(1)).then(t, [], '2. a seal delivered after its close ended is stale');
  given(part(1), unsealed(2)).when(seal(2)).then(t, [], '2. the unseal arrived first: the late seal does not seal');
  given(part(1), sealedBy(1), unsealed(1)).when(seal(2)).then(t, [sealedBy(2)], 'the next close seals again');
});

t.test('unseal_account: recorded once per close, even before its seal; ends the seal', async (t) => {
  given().when(unseal(1)).rejects(t, 'account_not_found');
  const after = given(part(1), sealedBy(1)).when(unseal(1));
  after.then(t, [unsealed(1)]);
  t.equal(after.after.sealedBy, null, 'no longer sealed');
  t.equal(after.after.closesEnded, 1, 'and a late seal of close 1 is stale');
  given(part(1), sealedBy(1), unsealed(1)).when(unseal(1)).then(t, [], 'again: nothing');
  given(part(1)).when(unseal(3)).then(t, [unsealed(3)], 'before the seal arrived');
});

t.test('a sealed part refuses debits without recording them and refuses credits (they go back), gives nothing to a sibling', async (t) => {
  given(part(1), credited(100n), sealedBy(1)).when(debit('d1')).rejects(t, 'account_closing', 'a debit: a rejection, not a recorded refusal (the close may end unclosed)');
  given(part(1), credited(100n), sealedBy(1)).when(creditIn).rejects(t, 'account_closing', 'a credit is refused: its sender journals a return');
  given(part(1), credited(100n), sealedBy(1)).when({ type: 'release_to_sibling', data: { releaseId: 'r', toSubIndex: 0, need: 10n, at: t0 } }).then(t, [], 'its balance is what the close counts');
  given(part(1), credited(100n), sealedBy(1), unsealed(1)).when(debit('d1')).emits(t, ['transfer_debited'], 'unsealed: debits again');
  given(part(1), credited(100n), sealedBy(1), { type: 'account_closed', data: { closedAt: t0 } }).when(debit('d1')).rejects(t, 'debit_account_closed (recorded)', 'closed: the recorded refusal of a closed account');
});

t.test('settle_sealed: 1. account_not_found, 2. account_not_sealed, 3. account_has_pending_transfers, 4. zero → nothing; else the whole signed balance moves', async (t) => {
  given().when(settle(1)).rejects(t, 'account_not_found', '1.');
  given(part(1), credited(100n)).when(settle(1)).rejects(t, 'account_not_sealed', '2. not sealed');
  given(part(1), credited(100n), sealedBy(2)).when(settle(1)).rejects(t, 'account_not_sealed', '2. sealed by another close');
  const held: AccountEvent = { type: 'transfer_held', data: { transfer: { id: 'h', debit: 'A', credit: 'B', amount: 1n, pending: true, timeoutMs: null, memo: null, currency: 'CNY', status: 'pending', createdAt: t0, updatedAt: t0, expiresAt: null, postedAmount: null, voidReason: null, reverses: null, rejection: null, returnCode: null, debitPart: 1, creditPart: null } } };
  given(part(1), credited(100n), held, sealedBy(1)).when(settle(1)).rejects(t, 'account_has_pending_transfers', '3.');
  given(part(1), sealedBy(1)).when(settle(1)).then(t, [], '4. nothing held');
  given(part(1), credited(100n), sealedBy(1)).when(settle(1, 2)).then(t, [{ type: 'sibling_sent', data: { moveId: settlementMoveId(1, 2, 1), toSubIndex: 0, amount: 100n } }]);
  const owes: AccountEvent = { type: 'sibling_sent', data: { moveId: 'm', toSubIndex: 2, amount: 40n } };
  const settled = given(part(1, true), owes, sealedBy(1)).when(settle(1));
  settled.then(t, [{ type: 'sibling_sent', data: { moveId: settlementMoveId(1, 1, 1), toSubIndex: 0, amount: -40n } }], 'a part below zero takes what it owes');
  t.equal(settled.after.siblingNet, 0n, 'and holds zero after');
});
