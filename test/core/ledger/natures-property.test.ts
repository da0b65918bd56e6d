import fc from 'fast-check';
import t from 'tap';
import { creditDeliveryOf } from '../../../actors/account/deliveries.js';
import { decideRefundBook, evolveRefundBook, initialRefundBookState, type RefundBookState } from '../../../core/bank/refund-book.js';
import { feeOf, parseFeeRule, type FeeRule } from '../../../core/clearing/fee.js';
import { balanceOf, directoryEntryOf, initialAccountState, type AccountKind, type AccountState } from '../../../core/ledger/account.js';
import type { AccountCommand } from '../../../core/ledger/commands.js';
import { decide } from '../../../core/ledger/decide.js';
import { evolve } from '../../../core/ledger/evolve.js';
import { assertAccountInvariants } from '../../../core/ledger/invariants.js';
import { natures, type Nature } from '../../../core/ledger/nature.js';
import { defaultPaymentStrategies as strategies, type PaymentOperation } from '../../../core/ledger/payment-strategy.js';
import type { TransferContent, TransferRecord } from '../../../core/ledger/transfer.js';
import type { CreditMessageData } from '../../../actors/account/messages.js';
import { isRejection } from '../../../core/rejection.js';

/**
 * A small platform driven by the account decider alone: the bank (may overdraw), two wallets that
 * keep natures, the pool, transit and revenue. Each step is one operation as fundcore's services
 * make it (the strategy they pass, the credit the debit obliges, delivered as deliveries.ts builds it).
 */
class World {
  readonly accounts = new Map<string, AccountState>();
  readonly records = new Map<string, TransferRecord>();
  readonly deposits: { id: string; wallet: string; nature: Nature; amount: bigint; book: RefundBookState }[] = [];
  /** Every debit of a wallet with the strategy it was made under. */
  readonly draws: { record: TransferRecord; allowed: readonly Nature[] }[] = [];
  private next = 0;

  constructor() {
    const open = (id: string, kind: AccountKind, overdraft = false) => this.apply(id, { type: 'open_account', data: { id, kind, currency: 'CNY', overdraft, subAccounts: 1, subIndex: 0, bufferCredits: false, at: 0 } });
    open('bank', 'bank_settlement', true);
    open('w1', 'investor_wallet');
    open('w2', 'borrower_wallet');
    for (const id of ['pool', 'transit', 'revenue']) open(id, 'capital_pool');
  }

  private apply(id: string, command: AccountCommand): TransferRecord | null {
    const state = this.accounts.get(id) ?? initialAccountState;
    const decision = decide(state, command);
    if (isRejection(decision)) return null;
    const after = decision.reduce(evolve, state);
    assertAccountInvariants(after);
    this.accounts.set(id, after);
    for (const event of decision) {
      if (!('transfer' in event.data)) continue;
      const record = event.data.transfer;
      this.records.set(record.id, record);
      if (event.type === 'transfer_debited' || event.type === 'pending_posted') this.deliver((creditDeliveryOf(record).message as { data: CreditMessageData }).data);
    }
    const first = decision[0];
    return first !== undefined && 'transfer' in first.data && first.type !== 'transfer_rejected' ? first.data.transfer : null;
  }

  private deliver(data: CreditMessageData): void {
    this.apply(data.credit, { type: 'credit_transfer', data: { ...data, at: 1, existing: null } });
  }

  /** A transfer as a service asks for it: `operation` names the strategy when the debit is a wallet. */
  transfer(content: Omit<TransferContent, 'pending' | 'timeoutMs' | 'memo'> & { pending?: boolean }, operation: PaymentOperation | null, draw?: readonly Nature[]): TransferRecord | null {
    const id = `t${this.next++}`;
    const strategy = draw ?? (operation === null ? undefined : strategies[operation]);
    const full: TransferContent = { pending: false, timeoutMs: null, memo: null, ...content, ...(strategy === undefined ? {} : { draw: strategy }) };
    const creditAccount = directoryEntryOf(this.accounts.get(content.credit) ?? initialAccountState);
    const record = this.apply(content.debit, { type: 'create_transfer', data: { id, content: full, at: 1, existing: null, creditAccount, final: true } });
    // What the operation's strategy allows (a `draw` given apart is what the service passed).
    if (record?.drawn !== undefined && strategy !== undefined) this.draws.push({ record, allowed: operation === null ? strategy : strategies[operation] });
    return record;
  }

  settle(record: TransferRecord, outcome: 'post' | 'part' | 'void'): void {
    const existing = this.records.get(record.id) ?? null;
    if (outcome === 'void') this.apply(record.debit, { type: 'void_pending', data: { transferId: record.id, at: 2, existing } });
    else this.apply(record.debit, { type: 'post_pending', data: { transferId: record.id, amount: outcome === 'part' ? record.amount / 2n || 1n : null, at: 2, existing } });
  }

  reverse(record: TransferRecord): void {
    const credit = this.accounts.get(record.credit);
    if (credit === undefined) return;
    const original = this.records.get(record.id) ?? null;
    const creditRecord = original === null || original.status !== 'posted' ? null : { transferId: record.id, account: record.credit, debit: record.debit, amount: original.pending ? (original.postedAmount ?? 0n) : original.amount, currency: 'CNY' as const, reverses: null, creditedAt: 1, natures: this.creditNatures(original) };
    this.apply(record.credit, {
      type: 'reverse_transfer',
      data: { transferId: record.id, reversalId: `${record.id}~reversal`, memo: null, at: 3, original, credit: creditRecord, existingReversal: this.records.get(`${record.id}~reversal`) ?? null, originalDebitAccount: directoryEntryOf(this.accounts.get(record.debit) ?? initialAccountState), final: true },
    });
  }

  /** What the credit side recorded, as the credit decider derives it. */
  private creditNatures(record: TransferRecord) {
    const credit = this.accounts.get(record.credit);
    if (credit?.natures === null) return undefined;
    const amount = record.pending ? (record.postedAmount ?? 0n) : record.amount;
    return record.drawn ?? [{ nature: record.nature ?? 'withdrawable', amount }];
  }

  total(): bigint {
    return [...this.accounts.values()].reduce((sum, state) => sum + balanceOf(state), 0n);
  }
}

const serviceFee = parseFeeRule({ rate: '0.10' }, 'CNY', 'test') as FeeRule;
const wallet = fc.constantFrom('w1', 'w2');
const amount = fc.bigInt({ min: 1n, max: 50_00n });
const step = fc.oneof(
  fc.record({ op: fc.constant('deposit' as const), wallet, nature: fc.constantFrom(...natures), amount }),
  fc.record({ op: fc.constant('invest' as const), wallet, amount }),
  fc.record({ op: fc.constant('withdraw' as const), wallet, amount, outcome: fc.constantFrom('post' as const, 'part' as const, 'void' as const) }),
  fc.record({ op: fc.constant('refund' as const), pick: fc.nat(), amount, outcome: fc.constantFrom('post' as const, 'void' as const) }),
  fc.record({ op: fc.constant('spend' as const), wallet, to: fc.constantFrom('w1', 'w2', 'revenue'), amount }),
  fc.record({ op: fc.constant('repay' as const), principal: amount, interest: amount }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function run(world: World, s: Step, fees: { gross: bigint; fee: bigint; net: bigint }[]): void {
  switch (s.op) {
    case 'deposit': {
      const record = world.transfer({ debit: 'bank', credit: s.wallet, amount: s.amount, nature: s.nature }, null);
      if (record !== null) world.deposits.push({ id: record.id, wallet: s.wallet, nature: s.nature, amount: s.amount, book: initialRefundBookState });
      return;
    }
    case 'invest':
      world.transfer({ debit: s.wallet, credit: 'pool', amount: s.amount }, 'invest');
      return;
    case 'withdraw': {
      const hold = world.transfer({ debit: s.wallet, credit: 'bank', amount: s.amount, pending: true }, 'withdraw');
      if (hold !== null) world.settle(hold, s.outcome);
      return;
    }
    case 'refund': {
      const deposit = world.deposits[s.pick % Math.max(1, world.deposits.length)];
      if (deposit === undefined || !strategies.refund.includes(deposit.nature)) return;
      const orderNo = `rf${s.pick}-${deposit.book.refunds.size}`;
      const reserved = decideRefundBook(deposit.book, { type: 'reserve_refund', data: { refundId: orderNo, orderNo, amount: s.amount, deposit: { orderNo: deposit.id, amount: deposit.amount } } });
      if (isRejection(reserved)) return;
      deposit.book = reserved.reduce(evolveRefundBook, deposit.book);
      const hold = world.transfer({ debit: deposit.wallet, credit: 'bank', amount: s.amount, pending: true }, 'refund', [deposit.nature]);
      const outcome = hold === null ? 'failed' : s.outcome === 'post' ? 'succeeded' : 'failed';
      if (hold !== null) world.settle(hold, s.outcome);
      deposit.book = evolveRefundBook(deposit.book, { type: 'refund_completed', data: { refundId: orderNo, outcome } });
      return;
    }
    case 'spend':
      if (s.to !== s.wallet) world.transfer({ debit: s.wallet, credit: s.to, amount: s.amount }, 'spend');
      return;
    case 'repay': {
      // The borrower pays principal + interest; the investor gets the interest less the service fee.
      const hold = world.transfer({ debit: 'w2', credit: 'transit', amount: s.principal + s.interest, pending: true }, 'repay');
      if (hold === null) return;
      world.settle(hold, 'post');
      const fee = feeOf(serviceFee, s.interest);
      fees.push({ gross: s.interest, fee, net: s.interest - fee });
      world.transfer({ debit: 'transit', credit: 'pool', amount: s.principal }, null);
      world.transfer({ debit: 'transit', credit: 'w1', amount: s.interest - fee }, null);
      if (fee > 0n) world.transfer({ debit: 'transit', credit: 'revenue', amount: fee }, null);
      return;
    }
    case 'reverse': {
      const candidates = [...world.records.values()].filter((r) => r.status === 'posted' && r.reverses === null && !r.id.endsWith('reversal'));
      const record = candidates[s.pick % Math.max(1, candidates.length)];
      if (record !== undefined) world.reverse(record);
      return;
    }
  }
}

/** Throws naming the first broken rule. */
function check(world: World, fees: readonly { gross: bigint; fee: bigint; net: bigint }[]): void {
  for (const { record, allowed } of world.draws) {
    for (const part of record.drawn ?? []) if (!allowed.includes(part.nature)) throw new Error(`${record.id} drew ${part.nature}, its strategy lists ${allowed.join(', ')}`);
    if ((record.drawn ?? []).reduce((sum, part) => sum + part.amount, 0n) !== record.amount) throw new Error(`${record.id}: its natures sum to its amount`);
  }
  for (const id of ['w1', 'w2']) {
    const state = world.accounts.get(id) as AccountState;
    const book = state.natures;
    if (book === null) throw new Error(`${id} keeps natures`);
    const sum = natures.reduce((total, nature) => total + book.balance[nature], 0n);
    if (sum !== balanceOf(state) || natures.some((nature) => book.balance[nature] < book.held[nature])) throw new Error(`${id}: natures sum to the wallet, none below its holds`);
  }
  for (const deposit of world.deposits) {
    const refunded = [...deposit.book.refunds.values()].filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0n);
    if (refunded > deposit.amount) throw new Error(`deposit ${deposit.id}: refunded ${refunded} of ${deposit.amount}`);
  }
  for (const { gross, fee, net } of fees) if (fee + net !== gross || fee < 0n || net < 0n) throw new Error(`fee ${fee} + net ${net} ≠ gross ${gross}`);
  if (world.total() !== 0n) throw new Error(`money is conserved: the accounts sum to ${world.total()}`);
}

t.test('over random sequences: no operation draws a nature its strategy forbids, natures sum to the wallet, refunds stay within their deposit, fees + net = gross, money is conserved', async (t) => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
      const world = new World();
      const fees: { gross: bigint; fee: bigint; net: bigint }[] = [];
      for (const s of steps) run(world, s, fees);
      check(world, fees);
    }),
    { numRuns: 300 },
  );
  t.pass('300 random sequences');
});

t.test('the checks fail on a broken world (they can fail)', async (t) => {
  const wrongStrategy = new World();
  wrongStrategy.transfer({ debit: 'bank', credit: 'w1', amount: 10n, nature: 'spend_only' }, null);
  // A service that passed the wrong strategy to a withdrawal: the decider draws what it is told
  wrongStrategy.transfer({ debit: 'w1', credit: 'bank', amount: 10n, pending: true }, 'withdraw', ['spend_only']);
  t.throws(() => check(wrongStrategy, []), /drew spend_only, its strategy lists withdrawable/);
  t.throws(() => check(new World(), [{ gross: 100n, fee: 10n, net: 91n }]), /fee 10 \+ net 91/);
  const lost = new World();
  lost.transfer({ debit: 'bank', credit: 'w1', amount: 10n }, null);
  lost.accounts.set('pool', { ...(lost.accounts.get('pool') as AccountState), creditsPosted: 1n });
  t.throws(() => check(lost, []), /money is conserved/);
});
