import fc from 'fast-check';
import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import { formatAmount } from '../../core/money/amount.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import { transferCreatedView } from '../../gateway/views.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import type { Journal } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { FakeTime, settle } from '../helpers/fake-time.js';
import { auditJournal } from '../helpers/journal-audit.js';
import { LedgerModel } from '../helpers/ledger-model.js';
import { quiescent, tempDir } from '../helpers/ledger.js';

const accountIds = ['bank', 'a', 'b'] as const;
const transferIds = ['t0', 't1', 't2', 't3', 't4', 't5'] as const;

type Command =
  | { kind: 'open'; id: string; overdraft: boolean }
  | { kind: 'transfer'; id: string; debit: string; credit: string; amount: string; pending: boolean; timeoutMs: number | null }
  | { kind: 'post'; id: string; amount: string | null }
  | { kind: 'void'; id: string }
  | { kind: 'reverse'; id: string }
  | { kind: 'close'; id: string }
  | { kind: 'advance'; ms: number }
  | { kind: 'repeat'; back: number };

const account = fc.constantFrom(...accountIds);
/** Money mostly enters from the bank, so wallets have funds to spend, reverse and return. */
const debitAccount = fc.oneof({ weight: 2, arbitrary: fc.constant('bank') }, { weight: 3, arbitrary: account });
const transferId = fc.constantFrom(...transferIds);
const amount = fc.oneof(
  { weight: 9, arbitrary: fc.bigInt({ min: 1n, max: 20_000n }).map((minor) => formatAmount(minor, 'CNY')) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1.00', '1e3', '1.001', 'abc', '10000000000000000.01') },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('open' as const), id: account, overdraft: fc.boolean() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      id: transferId,
      debit: debitAccount,
      credit: account,
      amount,
      pending: fc.boolean(),
      timeoutMs: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: null }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), id: transferId, amount: fc.option(amount, { nil: null, freq: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), id: transferId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), id: fc.oneof(transferId, transferId.map((id) => `${id}~reversal`)) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), id: account }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('repeat' as const), back: fc.integer({ min: 1, max: 6 }) }) },
);

/** A `repeat` re-sends an earlier command as it was (a client retry); the rest stand as they are. */
function resolveRepeats(commands: readonly Command[]): Exclude<Command, { kind: 'repeat' }>[] {
  const resolved: Exclude<Command, { kind: 'repeat' }>[] = [];
  for (const c of commands) {
    if (c.kind !== 'repeat') resolved.push(c);
    else {
      const earlier = resolved[resolved.length - c.back];
      if (earlier !== undefined && earlier.kind !== 'advance') resolved.push(earlier);
    }
  }
  return resolved;
}

/** Every account is opened first (the bank may overdraw, so money can enter); everything after is random. */
const scenario = fc.array(command, { minLength: 1, maxLength: 40, size: 'max' });

async function send(node: FundcoreNode, time: FakeTime, c: Exclude<Command, { kind: 'repeat' }>): Promise<ActorReply | null> {
  const { ledger } = node;
  switch (c.kind) {
    case 'open':
      return ledger.openAccount({ id: c.id, kind: c.id === 'bank' ? 'bank_settlement' : 'investor_wallet', currency: 'CNY', overdraft: c.id === 'bank' || c.overdraft });
    case 'transfer':
      return ledger.createTransfer({ id: c.id, debit: c.debit, credit: c.credit, amount: c.amount, pending: c.pending, timeoutMs: c.pending ? c.timeoutMs : null, memo: null });
    case 'post':
      return ledger.postPending(c.id, c.amount);
    case 'void':
      return ledger.voidPending(c.id);
    case 'reverse':
      return ledger.reverseTransfer(c.id, null);
    case 'close':
      return ledger.closeAccount(c.id);
    case 'advance':
      time.advance(c.ms);
      return null;
  }
}

function expect(model: LedgerModel, c: Exclude<Command, { kind: 'repeat' }>): string | null {
  switch (c.kind) {
    case 'open':
      return model.open(c.id, c.id === 'bank' ? 'bank_settlement' : 'investor_wallet', c.id === 'bank' || c.overdraft);
    case 'transfer':
      return model.transfer(c.id, c.debit, c.credit, c.amount, c.pending, c.pending ? c.timeoutMs : null);
    case 'post':
      return model.post(c.id, c.amount);
    case 'void':
      return model.void(c.id);
    case 'reverse':
      return model.reverse(c.id);
    case 'close':
      return model.close(c.id);
    case 'advance':
      model.advance(c.ms);
      return null;
  }
}

const show = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v));

/** What a client sees of a transfer command's answer: the creation view, or the refusal. */
function answerOf(reply: ActorReply | undefined): string {
  if (reply === undefined) return 'none';
  return reply.ok ? show(transferCreatedView(reply.value as TransferRecord)) : `${reply.code}: ${reply.detail}`;
}

function fail(message: string, context: unknown): never {
  throw new Error(`${message}\n${show(context)}`);
}

/** Σ balances + in flight = 0, no account below zero without overdraft (checked inside the audit). */
function checkMoney(journal: Journal, when: string, quiet: boolean): ReturnType<typeof auditJournal> {
  const audit = auditJournal(journal, accountIds);
  if (audit.balanceSum + audit.inFlight !== 0n) fail(`${when}: Σ balances + in flight = ${audit.balanceSum + audit.inFlight}`, audit);
  if (quiet && audit.inFlight !== 0n) fail(`${when}: quiescent yet ${audit.inFlight} in flight`, audit);
  return audit;
}

/** Until nothing moves: timers due now have run, the relay is empty, every actor is idle. */
async function drain(node: FundcoreNode, time: FakeTime): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await settle();
    await quiescent(node);
    const busy = node.system.liveActors().some((actor) => actor.mailboxDepth > 0);
    if (!time.hasDue() && !busy && node.system.relay.backlog === 0) return;
    time.advance(0);
  }
  throw new Error('the node did not come to rest');
}

async function runScenario(journal: Journal, generated: Command[], snapshotEveryEvents: number): Promise<void> {
  const commands = resolveRepeats(generated);
  const time = new FakeTime();
  const node = FundcoreNode.start({ journal, clock: time, timers: time, limits: { snapshotEveryEvents } });
  const model = new LedgerModel(time.now());
  const firstReplies = new Map<string, ActorReply>();
  try {
    for (const id of accountIds) {
      const overdraft = id === 'bank';
      await node.ledger.openAccount({ id, kind: overdraft ? 'bank_settlement' : 'investor_wallet', currency: 'CNY', overdraft });
      model.open(id, overdraft ? 'bank_settlement' : 'investor_wallet', overdraft);
    }
    for (const [step, c] of commands.entries()) {
      const before = auditJournal(journal, accountIds);
      const duplicate = c.kind === 'transfer' && model.isDuplicateTransfer(c.id, c.debit, c.credit, c.amount, c.pending, c.pending ? c.timeoutMs : null);
      const reply = await send(node, time, c);
      checkMoney(journal, `step ${step} ${c.kind}, in flight`, false);
      await drain(node, time);
      const expected = expect(model, c);
      const audit = checkMoney(journal, `step ${step} ${c.kind}, quiescent`, true);
      if (reply === null) continue;
      const outcome = reply.ok ? 'ok' : reply.code;
      if (outcome !== expected) fail(`step ${step}: ${show(c)} answered ${outcome}, the model expected ${expected}`, { commands });
      for (const id of accountIds) {
        const balance = audit.accounts.get(id);
        const got = balance === undefined ? 0n : balance.creditsPosted - balance.debitsPosted;
        if (got !== model.balance(id)) fail(`step ${step}: ${id} holds ${got}, the model says ${model.balance(id)}`, { commands });
      }
      // The first result is the first one recorded: validation refusals record nothing.
      if (c.kind === 'transfer' && !firstReplies.has(c.id) && model.transfers.has(c.id)) firstReplies.set(c.id, reply);
      if (duplicate) {
        if (show(before.accounts) !== show(audit.accounts)) fail(`step ${step}: a duplicate changed the books`, { commands });
        if (answerOf(firstReplies.get(c.id)) !== answerOf(reply)) fail(`step ${step}: a duplicate got another answer than the first`, { commands });
      }
    }
    // Replaying the journal gives the live state, for every account.
    const audit = auditJournal(journal, accountIds);
    for (const id of accountIds) {
      const live = node.system.inspect(`acct:${id}`);
      const replayed = audit.accounts.get(id);
      if (live === undefined) continue;
      if (show(live.state) !== show(replayed)) fail(`${id}: the live state differs from its replay`, { live: live.state, replayed, commands });
    }
  } finally {
    await node.stop();
  }
}

t.test('property: random ledger traffic matches the model, keeps money whole, and replays to the live state (memory journal)', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async (commands) => runScenario(new MemoryJournal(), commands, 4)),
    { numRuns: 200 },
  );
});

t.test('property: the same on the LMDB journal, snapshots every 3 events', async (t) => {
  const dir = tempDir(t);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (commands) => runScenario(new LmdbJournal({ path: `${dir}/run-${run++}` }), commands, 3)),
    { numRuns: 12 },
  );
});
