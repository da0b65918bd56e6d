import t from 'tap';
import { initialAccountState, type AccountState } from '../../../core/ledger/account.js';
import { evolve } from '../../../core/ledger/evolve.js';
import { assertAccountInvariants, assertAccountInvariantsCheap } from '../../../core/ledger/invariants.js';
import { noNatureAmounts } from '../../../core/ledger/nature.js';
import { opened } from './given.js';

// The checks run after every command; each must still fire on the state it forbids (they
// build their message only when they fail, so each condition is written out, not asserted).

/** A wallet that received 100.00, all of it withdrawable. */
function walletWith100(): AccountState {
  const open = evolve(initialAccountState, opened('A'));
  return { ...open, creditsPosted: 100_00n, natures: { balance: { ...noNatureAmounts, withdrawable: 100_00n }, held: noNatureAmounts } };
}

t.test('given a consistent wallet, when checked, then nothing is thrown', async (t) => {
  const wallet = walletWith100();
  t.not(wallet.natures, null, 'the wallet keeps natures (the nature checks run)');
  t.doesNotThrow(() => assertAccountInvariantsCheap(wallet));
  t.doesNotThrow(() => assertAccountInvariants(wallet));
});

t.test('given a wallet without overdraft below zero, when checked, then it is a violation', async (t) => {
  const below = { ...walletWith100(), debitsPosted: 150_00n, natures: null };
  t.throws(() => assertAccountInvariantsCheap(below), { name: 'InvariantViolation', message: 'account A went below zero without overdraft' });
  const overdraft = { ...below, info: { ...(below.info as NonNullable<AccountState['info']>), overdraft: true } };
  t.doesNotThrow(() => assertAccountInvariantsCheap(overdraft), 'an account with overdraft may go below zero');
});

t.test('given a nature holding less than its holds, when checked, then it is a violation', async (t) => {
  const wallet = walletWith100();
  // 60.00 held of a wallet of 100.00: enough in all, not enough withdrawable money.
  const balance = { ...noNatureAmounts, withdrawable: 50_00n, spend_only: 50_00n };
  const overHeld = { ...wallet, debitsPending: 60_00n, natures: { balance, held: { ...noNatureAmounts, withdrawable: 60_00n } } };
  t.throws(() => assertAccountInvariantsCheap(overHeld), { name: 'InvariantViolation', message: 'A: withdrawable money covers its holds' });
  const negative = { ...wallet, natures: { balance: wallet.natures?.balance ?? noNatureAmounts, held: { ...noNatureAmounts, spend_only: -1n } } };
  t.throws(() => assertAccountInvariantsCheap(negative), { message: 'A: spend_only money covers its holds' }, 'a negative hold');
});

t.test('given natures that do not sum to the wallet, when checked, then it is a violation', async (t) => {
  const wallet = walletWith100();
  const short = { ...wallet, natures: { balance: { ...noNatureAmounts, withdrawable: 90_00n }, held: noNatureAmounts } };
  t.throws(() => assertAccountInvariantsCheap(short), { name: 'InvariantViolation', message: 'A: the natures sum to the wallet' });
  const heldElsewhere = { ...wallet, debitsPending: 10_00n, natures: { balance: wallet.natures?.balance ?? noNatureAmounts, held: noNatureAmounts } };
  t.throws(() => assertAccountInvariantsCheap(heldElsewhere), { message: 'A: the natures sum to the wallet' }, 'holds the natures do not know of');
});
