import t from 'tap';
import type { AccountCommand } from '../../../core/ledger/commands.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import type { NatureSplit } from '../../../core/ledger/nature.js';
import type { CreditRecord } from '../../../core/ledger/transfer.js';
import { createTransfer, given, opened, record, t0 } from './given.js';

const wallet = (id = 'A'): AccountEvent => opened(id);
const hotWallet: AccountEvent = { type: 'account_opened', data: { account: { id: 'A', kind: 'investor_wallet', currency: 'CNY', overdraft: false, openedAt: t0, subAccounts: 2, subIndex: 0, bufferCredits: false } } };

/** Money of `natures` arriving at A (`id` the transfer). */
function arrived(id: string, natures: NatureSplit): AccountEvent {
  const amount = natures.reduce((sum, part) => sum + part.amount, 0n);
  return { type: 'transfer_credited', data: { credit: { transferId: id, account: 'A', debit: 'bank', amount, currency: 'CNY', reverses: null, creditedAt: t0, natures } } };
}
const spendOnly60 = arrived('d1', [{ nature: 'spend_only', amount: 60n }]);
const withdrawable50 = arrived('d2', [{ nature: 'withdrawable', amount: 50n }]);
const refundOnly30 = arrived('d3', [{ nature: 'refund_only', amount: 30n }]);

const creditCommand = (patch: Partial<Extract<AccountCommand, { type: 'credit_transfer' }>['data']>): AccountCommand => ({
  type: 'credit_transfer',
  data: { transferId: 'c1', debit: 'X', credit: 'A', amount: 40n, currency: 'CNY', reverses: null, at: t0 + 2, existing: null, ...patch },
});

t.test('given a wallet, when money of a nature arrives, then the wallet keeps it as that nature', async (t) => {
  const { after } = given(wallet()).when(creditCommand({ nature: 'spend_only' }));
  t.same(after.natures?.balance, { withdrawable: 0n, refund_only: 0n, spend_only: 40n });
  const plain = given(wallet()).when(creditCommand({}));
  t.same(plain.after.natures?.balance, { withdrawable: 40n, refund_only: 0n, spend_only: 0n }, 'no nature named: withdrawable');
});

t.test('given natures, when a debit names its strategy, then it draws them in that order and no other', async (t) => {
  const funded = given(wallet(), spendOnly60, withdrawable50, refundOnly30);
  const spend = funded.when(createTransfer('t1', { amount: 80n, draw: ['spend_only', 'withdrawable'] }));
  t.match(spend.decision, [{ type: 'transfer_debited', data: { transfer: { drawn: [{ nature: 'spend_only', amount: 60n }, { nature: 'withdrawable', amount: 20n }] } } }]);
  t.same(spend.after.natures?.balance, { withdrawable: 30n, refund_only: 30n, spend_only: 0n });
  funded.when(createTransfer('t2', { amount: 51n })).rejects(t, 'insufficient_funds (recorded)', 'withdrawable alone by default: 50 of 140 may be drawn');
  funded.when(createTransfer('t3', { amount: 111n, draw: ['spend_only', 'withdrawable'] })).rejects(t, 'insufficient_funds (recorded)', 'refund-only money is never drawn unless listed');
  funded.when(createTransfer('t4', { amount: 30n, draw: ['refund_only'] })).emits(t, ['transfer_debited'], 'a refund draws refund-only money');
  funded.when(createTransfer('t5', { amount: 10n, draw: ['gift' as never] })).rejects(t, 'unknown_nature');
  funded.when(createTransfer('t6', { amount: 10n, draw: [] })).rejects(t, 'unknown_nature', 'an empty strategy is no strategy');
});

t.test('given a hold, when it is posted in part or voided, then its natures move or come back', async (t) => {
  const funded = given(wallet(), spendOnly60, withdrawable50);
  const held = funded.when(createTransfer('h1', { amount: 90n, pending: true, draw: ['withdrawable', 'spend_only'] }));
  const hold = held.after;
  t.same(hold.natures?.held, { withdrawable: 50n, refund_only: 0n, spend_only: 40n });
  const holdRecord = hold.holds.get('h1');
  const post = given(wallet(), spendOnly60, withdrawable50, ...(held.decision as AccountEvent[])).when({ type: 'post_pending', data: { transferId: 'h1', amount: 70n, at: t0 + 3, existing: holdRecord ?? null } });
  t.match(post.decision, [{ type: 'pending_posted', data: { transfer: { drawn: [{ nature: 'withdrawable', amount: 50n }, { nature: 'spend_only', amount: 20n }] } } }], 'the first 70 in the order drawn');
  t.same(post.after.natures, { balance: { withdrawable: 0n, refund_only: 0n, spend_only: 40n }, held: { withdrawable: 0n, refund_only: 0n, spend_only: 0n } }, 'the rest is released');
  const voided = given(wallet(), spendOnly60, withdrawable50, ...(held.decision as AccountEvent[])).when({ type: 'void_pending', data: { transferId: 'h1', at: t0 + 3, existing: holdRecord ?? null } });
  t.same(voided.after.natures, { balance: { withdrawable: 50n, refund_only: 0n, spend_only: 60n }, held: { withdrawable: 0n, refund_only: 0n, spend_only: 0n } });
});

t.test('given a debit returned by its credit side, then the natures it drew come back', async (t) => {
  const drawn: NatureSplit = [{ nature: 'spend_only', amount: 60n }, { nature: 'withdrawable', amount: 10n }];
  const debited: AccountEvent = { type: 'transfer_debited', data: { transfer: record('t1', { amount: 70n, drawn }) } };
  const { after } = given(wallet(), spendOnly60, withdrawable50, debited).when({ type: 'return_credit', data: { transferId: 't1', code: 'credit_account_closed', at: t0 + 4, existing: record('t1', { amount: 70n, drawn }) } });
  t.same(after.natures?.balance, { withdrawable: 50n, refund_only: 0n, spend_only: 60n });
});

t.test('given money that arrived, when its transfer is reversed, then exactly its natures leave, and the reversal gives back what the original drew', async (t) => {
  const original = record('d1', { debit: 'X', credit: 'A', amount: 60n, drawn: [{ nature: 'withdrawable', amount: 60n }], nature: 'spend_only' });
  const credit: CreditRecord = { transferId: 'd1', account: 'A', debit: 'X', amount: 60n, currency: 'CNY', reverses: null, creditedAt: t0, natures: [{ nature: 'spend_only', amount: 60n }] };
  const reverse = (extra: AccountEvent[]): ReturnType<ReturnType<typeof given>['when']> =>
    given(wallet(), spendOnly60, withdrawable50, ...extra).when({
      type: 'reverse_transfer',
      data: { transferId: 'd1', reversalId: 'd1~reversal', memo: null, at: t0 + 5, original, credit, existingReversal: null, originalDebitAccount: { id: 'X', kind: 'investor_wallet', currency: 'CNY', overdraft: false, closed: false, subAccounts: 1, bufferCredits: false }, final: true },
    });
  t.match(reverse([]).decision, [{ type: 'transfer_debited', data: { transfer: { drawn: [{ nature: 'spend_only', amount: 60n }], restores: [{ nature: 'withdrawable', amount: 60n }] } } }]);
  const spent: AccountEvent = { type: 'transfer_debited', data: { transfer: record('s1', { amount: 1n, drawn: [{ nature: 'spend_only', amount: 1n }] }) } };
  reverse([spent]).rejects(t, 'insufficient_funds', 'spent spend-only money is not taken from withdrawable money');
  const back = given(wallet('X')).when(creditCommand({ credit: 'X', amount: 60n, reverses: 'd1', nature: 'spend_only', natures: [{ nature: 'withdrawable', amount: 60n }] }));
  t.same(back.after.natures?.balance, { withdrawable: 60n, refund_only: 0n, spend_only: 0n }, "the reversal's credit restores the original's natures, not its own");
});

t.test('given an account that keeps no natures, then only withdrawable money goes there', async (t) => {
  t.equal(given(hotWallet).state.natures, null, 'a hot wallet keeps none');
  given(hotWallet).when(creditCommand({ nature: 'refund_only' })).rejects(t, 'nature_not_kept');
  given(hotWallet).when(creditCommand({})).emits(t, ['transfer_credited']);
});
