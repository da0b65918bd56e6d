import fc from 'fast-check';
import type { LedgerApi } from '../../actors/ledger/ledger-api.js';
import type { ActorInspection } from '../../actors/runtime/actor-system.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import { formatAmount } from '../../core/money/amount.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import { transferCreatedView } from '../../gateway/views.js';
import type { JournalReader } from '../../persistence/journal.js';
import type { FakeTime } from './fake-time.js';
import { auditJournal, type AccountLayout } from './journal-audit.js';
import { LedgerModel } from './ledger-model.js';

/**
 * The ledger property (test/actors/ledger-properties.test.ts, and over two cluster nodes in
 * test/cluster/ledger-properties-cluster.test.ts): random traffic against a reference
 * model, money checked from the journal after every step.
 */
export const accountIds = ['bank', 'a', 'b'] as const;
const transferIds = ['t0', 't1', 't2', 't3', 't4', 't5'] as const;

export type Command =
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
export const scenario = fc.array(command, { minLength: 1, maxLength: 40, size: 'max' });

export function openInput(layout: Layout, id: string, overdraft: boolean) {
  const kind = id === 'bank' ? ('bank_settlement' as const) : ('investor_wallet' as const);
  return { id, kind, currency: 'CNY' as const, overdraft, subAccounts: layout.parts[id] ?? 1, bufferCredits: layout.buffered.has(id) };
}

async function send(ledger: LedgerApi, time: FakeTime, layout: Layout, c: Exclude<Command, { kind: 'repeat' }>): Promise<ActorReply | null> {
  switch (c.kind) {
    case 'open':
      return ledger.openAccount(openInput(layout, c.id, c.id === 'bank' || c.overdraft));
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

/** How the accounts are laid out: hot accounts (sub-accounts) and buffering ones. */
export interface Layout {
  readonly parts: AccountLayout;
  readonly buffered: ReadonlySet<string>;
}

export const plain: Layout = { parts: { bank: 1, a: 1, b: 1 }, buffered: new Set() };

/** Σ balances + in flight = 0, no account below zero without overdraft (checked inside the audit). */
function checkMoney(journal: JournalReader, layout: Layout, when: string, quiet: boolean): ReturnType<typeof auditJournal> {
  const audit = auditJournal(journal, layout.parts);
  if (audit.balanceSum + audit.inFlight !== 0n) fail(`${when}: Σ balances + in flight = ${audit.balanceSum + audit.inFlight}`, audit);
  if (quiet && audit.inFlight !== 0n) fail(`${when}: quiescent yet ${audit.inFlight} in flight`, audit);
  return audit;
}

/** What a scenario runs against: one embedded node, or a cluster of nodes behind a router. */
export interface LedgerWorld {
  readonly ledger: LedgerApi;
  /** Every journal of the world, read as one (an actor's events are in exactly one). */
  readonly journal: JournalReader;
  readonly time: FakeTime;
  /** Until nothing moves: due timers run, relays empty, actors idle. */
  drain(): Promise<void>;
  /** An actor's live state, from the node that holds it. */
  inspect(actorId: string): ActorInspection | undefined;
  stop(): Promise<void>;
}

export async function runLedgerScenario(world: LedgerWorld, generated: Command[], layout: Layout = plain): Promise<void> {
  const commands = resolveRepeats(generated);
  const { journal, time, ledger } = world;
  const model = new LedgerModel(time.now());
  const firstReplies = new Map<string, ActorReply>();
  try {
    for (const id of accountIds) {
      const overdraft = id === 'bank';
      await ledger.openAccount(openInput(layout, id, overdraft));
      model.open(id, overdraft ? 'bank_settlement' : 'investor_wallet', overdraft);
    }
    for (const [step, c] of commands.entries()) {
      const before = auditJournal(journal, layout.parts);
      const duplicate = c.kind === 'transfer' && model.isDuplicateTransfer(c.id, c.debit, c.credit, c.amount, c.pending, c.pending ? c.timeoutMs : null);
      const reply = await send(ledger, time, layout, c);
      checkMoney(journal, layout, `step ${step} ${c.kind}, in flight`, false);
      await world.drain();
      const expected = expect(model, c);
      const audit = checkMoney(journal, layout, `step ${step} ${c.kind}, quiescent`, true);
      if (reply === null) continue;
      const outcome = reply.ok ? 'ok' : reply.code;
      if (outcome !== expected) fail(`step ${step}: ${show(c)} answered ${outcome}, the model expected ${expected}`, { commands });
      for (const id of accountIds) {
        const got = audit.balances.get(id) ?? 0n;
        if (got !== model.balance(id)) fail(`step ${step}: ${id} holds ${got}, the model says ${model.balance(id)}`, { commands });
      }
      // The first result is the first one recorded: validation refusals record nothing.
      if (c.kind === 'transfer' && !firstReplies.has(c.id) && model.transfers.has(c.id)) firstReplies.set(c.id, reply);
      if (duplicate) {
        if (show(before.actors) !== show(audit.actors)) fail(`step ${step}: a duplicate changed the books`, { commands });
        if (answerOf(firstReplies.get(c.id)) !== answerOf(reply)) fail(`step ${step}: a duplicate got another answer than the first`, { commands });
      }
    }
    // Replaying the journal gives the live state, for every actor.
    const audit = auditJournal(journal, layout.parts);
    for (const [actorId, replayed] of audit.actors) {
      const live = world.inspect(actorId);
      if (live === undefined) continue;
      if (show(live.state) !== show(replayed)) fail(`${actorId}: the live state differs from its replay`, { live: live.state, replayed, commands });
    }
  } finally {
    await world.stop();
  }
}

