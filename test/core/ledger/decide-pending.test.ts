import t from 'tap';
import type { AccountCommand } from '../../../core/ledger/commands.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import type { TransferRecord } from '../../../core/ledger/transfer.js';
import { credited, given, opened, record, t0 } from './given.js';

const hold = (patch: Partial<TransferRecord> = {}) => record('h1', { pending: true, status: 'pending', amount: 60n, expiresAt: t0 + 1000, timeoutMs: 1000, ...patch });
const held = (patch: Partial<TransferRecord> = {}): AccountEvent => ({ type: 'transfer_held', data: { transfer: hold(patch) } });
const post = (existing: TransferRecord | null, amount: bigint | null = null, at = t0 + 10): AccountCommand => ({
  type: 'post_pending',
  data: { transferId: 'h1', amount, at, existing },
});
const voidIt = (existing: TransferRecord | null, at = t0 + 10): AccountCommand => ({ type: 'void_pending', data: { transferId: 'h1', at, existing } });
const funded = [opened('A'), credited('d1', 100n)];

t.test('post: full, partial (the rest is released), duplicate', async (t) => {
  given(...funded, held()).when(post(hold())).then(t, [
    { type: 'pending_posted', data: { transfer: hold({ status: 'posted', postedAmount: 60n, updatedAt: t0 + 10 }) } },
  ]);
  given(...funded, held()).when(post(hold(), 25n)).then(t, [
    { type: 'pending_posted', data: { transfer: hold({ status: 'posted', postedAmount: 25n, updatedAt: t0 + 10 }) } },
  ]);
  const posted = hold({ status: 'posted', postedAmount: 25n });
  given(...funded).when(post(posted, 25n)).then(t, [], 'posting the same amount again is a duplicate');
  given(...funded).when(post(posted, null)).then(t, [], 'posting again without an amount is a duplicate');
  given(...funded).when(post(posted, 30n)).rejects(t, 'pending_transfer_already_posted');
});

t.test('post: rejection precedence', async (t) => {
  given(...funded).when(post(null)).rejects(t, 'transfer_not_found');
  given(...funded).when(post(record('h1', { status: 'rejected', pending: true }))).rejects(t, 'transfer_not_found', 'a refused command is no transfer');
  given(...funded).when(post(record('h1'))).rejects(t, 'transfer_not_pending');
  given(...funded).when(post(hold({ status: 'posted', postedAmount: 60n }), 1n)).rejects(t, 'pending_transfer_already_posted');
  given(...funded).when(post(hold({ status: 'returned', postedAmount: 60n }), 1n)).rejects(t, 'pending_transfer_already_posted');
  given(...funded).when(post(hold({ status: 'voided', voidReason: 'expired' }))).rejects(t, 'pending_transfer_expired');
  given(...funded).when(post(hold({ status: 'voided', voidReason: 'voided' }))).rejects(t, 'pending_transfer_already_voided');
  given(...funded, held()).when(post(hold(), null, t0 + 1000)).rejects(t, 'pending_transfer_expired', 'past its timeout, before the sweep');
  given(...funded, held()).when(post(hold(), 0n)).rejects(t, 'amount_must_be_positive');
  given(...funded, held()).when(post(hold(), 61n)).rejects(t, 'exceeds_pending_transfer_amount');
});

t.test('void: releases the hold; a second void is a duplicate', async (t) => {
  given(...funded, held()).when(voidIt(hold())).then(t, [
    { type: 'pending_voided', data: { transfer: hold({ status: 'voided', voidReason: 'voided', updatedAt: t0 + 10 }) } },
  ]);
  given(...funded).when(voidIt(hold({ status: 'voided', voidReason: 'voided' }))).then(t, []);
});

t.test('void: rejection precedence', async (t) => {
  given(...funded).when(voidIt(null)).rejects(t, 'transfer_not_found');
  given(...funded).when(voidIt(record('h1'))).rejects(t, 'transfer_not_pending');
  given(...funded).when(voidIt(hold({ status: 'posted', postedAmount: 60n }))).rejects(t, 'pending_transfer_already_posted');
  given(...funded).when(voidIt(hold({ status: 'voided', voidReason: 'expired' }))).rejects(t, 'pending_transfer_expired');
  given(...funded, held()).when(voidIt(hold(), t0 + 1000)).rejects(t, 'pending_transfer_expired');
});

t.test('expire: voids exactly the holds that are due, oldest first', async (t) => {
  const later = held({ id: 'h2', expiresAt: t0 + 5000 });
  const sooner = held({ id: 'h3', expiresAt: t0 + 500, amount: 10n });
  const none = held({ id: 'h4', expiresAt: null, timeoutMs: null, amount: 5n });
  const { decision } = given(...funded, later, sooner, none, held()).when({ type: 'expire_pending', data: { at: t0 + 1000 } });
  t.match(decision, [
    { type: 'pending_voided', data: { transfer: { id: 'h3', voidReason: 'expired' } } },
    { type: 'pending_voided', data: { transfer: { id: 'h1', voidReason: 'expired' } } },
  ]);
  t.equal((decision as unknown[]).length, 2);
  given(...funded).when({ type: 'expire_pending', data: { at: t0 } }).then(t, [], 'nothing due, nothing to do');
});
