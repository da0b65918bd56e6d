import t from 'tap';
import { accountBehavior } from '../../../actors/account/account-behavior.js';
import { accountActorId, type AccountMessage } from '../../../actors/account/messages.js';
import { replyOf, type ActorReply } from '../../../actors/runtime/behavior.js';
import { IndexOverlay } from '../../../actors/runtime/index-overlay.js';
import type { AccountState } from '../../../core/ledger/account.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import type { Journal } from '../../../persistence/journal.js';
import { memoryNode, openAccount, quiescent, transfer } from '../../helpers/ledger.js';

const debit80 = (id: string): AccountMessage => ({
  type: 'create_transfer',
  data: { id, content: { debit: 'A', credit: 'B', amount: 8000n, pending: false, timeoutMs: null, memo: null }, final: true },
});

/** Two debits of 80 from an account holding 100, sent at the same time. */
async function twoConcurrentDebits(ask: (message: AccountMessage) => Promise<ActorReply>): Promise<number> {
  const replies = await Promise.all([ask(debit80('t1')), ask(debit80('t2'))]);
  return replies.filter((reply) => reply.ok).length;
}

/**
 * What a mailbox that does not serialize async handlers does: each message is handled as
 * it arrives, and the await on the journal lets the next one decide on the same state.
 * (It even re-reads the journal head, as naive code would, so the seq guard cannot save it.)
 */
function interleavingMailbox(journal: Journal, actorId: string, start: AccountState) {
  let state = start;
  return async (message: AccountMessage): Promise<ActorReply> => {
    const handled = accountBehavior.handle(state, message, new IndexOverlay(journal, actorId), Date.now(), []);
    await new Promise((resolve) => setImmediate(resolve));
    await journal.append({ actorId, expectedSeq: journal.headSeq(actorId), events: handled.events, indexWrites: [] }).durable;
    state = handled.events.reduce<AccountState>((s, e) => accountBehavior.evolve(s, e as AccountEvent), state);
    return replyOf(handled.reply, state) ?? { ok: false, code: 'held', detail: '' };
  };
}

t.test('two concurrent debits of 80 from 100: exactly one succeeds', async (t) => {
  const node = memoryNode(t);
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'A');
  await openAccount(node, 'B');
  await node.ledger.createTransfer(transfer('fund', 'bank', 'A', '100.00'));
  await quiescent(node);
  const successes = await twoConcurrentDebits((message) => node.system.ask(accountActorId('A'), message));
  t.equal(successes, 1, 'our mailbox: exactly one');
  const account = await node.ledger.getAccount('A');
  t.equal(account.ok && account.value.creditsPosted - account.value.debitsPosted, 2000n);
});

t.test('the same check fails on a mailbox that interleaves async handlers', async (t) => {
  const journal = new MemoryJournal();
  journal.append({
    actorId: 'acct:B',
    expectedSeq: 0,
    events: [],
    indexWrites: [{ index: 'directory', key: 'B', value: { id: 'B', kind: 'investor_wallet', currency: 'CNY', overdraft: false, closed: false, subAccounts: 1, bufferCredits: false } }],
  });
  const funded: AccountState = {
    info: { id: 'A', kind: 'investor_wallet', currency: 'CNY', overdraft: false, openedAt: 0, subAccounts: 1, subIndex: 0, bufferCredits: false },
    closedAt: null,
    debitsPosted: 0n,
    creditsPosted: 10000n,
    debitsPending: 0n,
    siblingNet: 0n,
    holds: new Map(),
    sealedBy: null,
    closesEnded: 0,
    investmentLiens: new Map(),
    natures: { balance: { withdrawable: 10000n, refund_only: 0n, spend_only: 0n }, held: { withdrawable: 0n, refund_only: 0n, spend_only: 0n } },
  };
  const successes = await twoConcurrentDebits(interleavingMailbox(journal, 'acct:A', funded));
  t.equal(successes, 2, 'both debits pass: 160 spent from 100 — the double spend the test exists to catch');
});
