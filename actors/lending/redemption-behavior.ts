import { transferProgressOf } from '../../core/lending/loan/claim-transfer-progress.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import type { PullBackAnswer } from '../../core/lending/pool/pool.js';
import { redemptionDecider } from '../../core/lending/redemption/decide-redemption.js';
import { assertRedemption } from '../../core/lending/redemption/evolve-redemption.js';
import type { LendingRejectionCode } from '../../core/lending/rejections.js';
import { type Redemption, type RedemptionCommand, type RedemptionEvent, type RedemptionState } from '../../core/lending/redemption/redemption.js';
import { assertNever } from '../../core/rejection.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import type { InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import { loanActorId, poolShardActorId, redemptionInterestTransferId, systemAccounts } from './ids.js';
import { interestPoolActorId, type InterestPoolMessage } from './interest-pool-messages.js';
import type { LendingDeps } from './lending-deps.js';
import { releaseLienDelivery, tell, transferDelivery } from './ledger-deliveries.js';
import type { LoanMessage, PoolMessage, RedemptionMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * One redemption = one actor (`rdm:<investmentId>`), the saga of DESIGN §4's 赎回: rounds of
 * pull-backs (the shards holding its capitals, then every shard) and claim transfers (every
 * loan holding the investment's claims),
 * each asked through the outbox and answered back here, journaled before the next step. The
 * money never passes through this actor: the shards and the loans pay the wallet under ids
 * derived from their own events; this actor counts what came back.
 */
export function redemptionBehavior(deps: LendingDeps): ActorBehavior<RedemptionState, RedemptionEvent> {
  return deciderBehavior<RedemptionState, RedemptionMessage, RedemptionCommand, RedemptionEvent, LendingRejectionCode, RedemptionState>({
    type: 'rdm',
    decider: redemptionDecider,
    isQuery: (message) => message.type === 'get_redemption',
    query: (state) => (state.redemption === null ? { ok: false, code: 'redemption_not_found', detail: 'the investment has no redemption' } : { ok: true, value: state }),
    commandOf: (message, { at }) => commandOf(message, deps, at),
    deliveriesOf: (actorId, event) => deliveriesOf(actorId, event),
    wakeAt: (state) => (state.status === 'redeeming' ? state.nextCheckAt : null),
    wakeMessage: (): RedemptionMessage => ({ type: 'recheck' }),
    assertInvariants: (state) => assertRedemption(state),
  });
}

function commandOf(message: RedemptionMessage, deps: LendingDeps, at: number): RedemptionCommand {
  const recheckMs = deps.config.redemptionRecheckMs;
  switch (message.type) {
    case 'redeem':
      return { type: 'redeem', data: withFields(message.data, { at, on: deps.clock.today(), shards: deps.config.poolShards, recheckMs }) };
    case 'pull_back_answered':
      return { type: 'pull_back_answered', data: { answer: message.data, at } };
    case 'transfers_progress':
      return { type: 'transfers_progress', data: { progress: message.data, at } };
    case 'recheck':
      return { type: 'recheck', data: { at, recheckMs, recheckMaxMs: deps.config.redemptionRecheckMaxMs } };
    case 'interest_balance':
      return { type: 'interest_balance', data: withFields(message.data, { at }) };
    case 'interest_pull_back_credited':
      return { type: 'interest_pull_back_credited', data: withFields(message.data, { at }) };
    case 'pull_back_booked':
      return { type: 'pull_back_booked', data: withFields(message.data, { at }) };
    case 'pull_back_refused':
      return { type: 'pull_back_refused', data: withFields(message.data, { at }) };
    case 'interest_use_answered':
      return { type: 'interest_use_answered', data: withFields(message.data, { at }) };
    case 'get_redemption':
      throw new Error('get_redemption is a query');
    default:
      return assertNever(message, 'redemption message');
  }
}

function deliveriesOf(actorId: string, event: RedemptionEvent): Delivery[] {
  switch (event.type) {
    case 'redemption_started': {
      const { redemption } = event.data;
      // Reinvest held off first (seed 000): the pool must not turn interest into new capital while it is gathered.
      const off = tell(interestPoolActorId(redemption.investor), { type: 'hold_reinvest', data: { investor: redemption.investor, holder: redemption.id } } satisfies InterestPoolMessage);
      return [off, ...roundOf(actorId, redemption, 1, event.data.askedShards, event.data.loans)];
    }
    case 'redemption_returned':
    case 'interest_use_refused':
      return [readInterestPool(actorId, event.data.redemption)];
    case 'interest_use_requested': {
      const { investor, investmentId, id } = event.data.redemption;
      // Deduped by the redemption's flow id: a redelivery after a crash is answered as the first was.
      const use: InterestPoolMessage = { type: 'use_for_redemption', data: { investor, flowId: `rdm.${investmentId}`, amount: event.data.amount, ref: id } };
      const answered = (accepted: boolean) => tell(actorId, { type: 'interest_use_answered', data: { accepted } } satisfies RedemptionMessage);
      return [{ to: interestPoolActorId(investor), message: use, onRefused: () => answered(false), onAccepted: () => answered(true) }];
    }
    case 'redemption_completed': {
      const { redemption, interestPaid, paidBy } = event.data;
      return [payOutInterest(redemption, interestPaid), releaseLien(redemption, interestPaid, paidBy ?? [])];
    }
    case 'redemption_round_started':
      return roundOf(actorId, event.data.redemption, event.data.round, Array.from({ length: event.data.shards }, (_, shard) => shard), event.data.loans);
    case 'capital_returned':
      return transfers(actorId, event.data.redemption, event.data.newLoans);
    case 'transfers_reported':
    case 'interest_credit_confirmed':
    case 'pull_back_booking_confirmed':
    case 'pull_back_booking_refused':
      return [];
    default:
      return assertNever(event, 'redemption event');
  }
}

function readInterestPool(actorId: string, redemption: Redemption): Delivery {
  const read: InterestPoolMessage = { type: 'get_interest_pool', data: { investor: redemption.investor } };
  const balance = (value: unknown) => tell(actorId, { type: 'interest_balance', data: { balance: (value as InterestPoolState).balance } } satisfies RedemptionMessage);
  return { to: interestPoolActorId(redemption.investor), message: read, onRefused: null, onAccepted: balance };
}

/**
 * The end (seed 000, 赎回使用 22): what the interest pool gave goes to the wallet (sys.ipool
 * → wallet, deduped by transfer id); then its hold on reinvest is released (reinvest is back
 * on once no other redemption of the investor holds it, and the switch is on) and the pool is
 * checked for a reinvestment.
 */
function payOutInterest(redemption: Redemption, amount: bigint): Delivery {
  const { investor, investmentId } = redemption;
  const pool = interestPoolActorId(investor);
  // Seed 000: the pool reinvests only beyond this investment's expected interest, and only a rest of at least the threshold.
  const check = tell(pool, { type: 'check_reinvest', data: { investor, expectedInterest: redemption.expectedInterest ?? 0n } } satisfies InterestPoolMessage);
  const release: InterestPoolMessage = { type: 'release_reinvest', data: { investor, holder: redemption.id } };
  const on: Delivery = { to: pool, message: release, onRefused: null, onAccepted: () => check };
  if (amount === 0n) return on;
  const content = { debit: systemAccounts.interestPool, credit: investor, amount, pending: false, timeoutMs: null, memo: `redemption of ${investmentId}: interest paid out` };
  return transferDelivery(redemptionInterestTransferId(investmentId), content, { accepted: on, refused: () => on });
}

/**
 * The wallet's lien on the investment goes once the wallet has taken the credit of every
 * transfer that paid the investment back (`paidBy`: the pull-backs and the claim transfers'
 * payouts; the interest payout's, when there is one). Their debits were booked, but the credits
 * travel in the payers' outboxes (on other nodes in a cluster, or retried after a failed ask),
 * and a wallet closed before one arrived would send it back to sys.pool while the bank paid the
 * investor: the wallet answers "not yet" until then. Sent beside the payout, not after it, so
 * that reinvest never waits for it. The interest payout cannot be refused while the lien stands
 * (sys.ipool may overdraw; the wallet is open), so waiting for its credit waits for nothing
 * that may not come.
 */
function releaseLien(redemption: Redemption, amount: bigint, paidBy: readonly string[]): Delivery {
  const { investor, investmentId } = redemption;
  const awaited = amount === 0n ? paidBy : [...paidBy, redemptionInterestTransferId(investmentId)];
  return releaseLienDelivery(investor, investmentId, awaited);
}

/** A round: the shards named pull back, every loan named transfers. */
function roundOf(actorId: string, redemption: Redemption, round: number, shards: readonly number[], loans: readonly string[]): Delivery[] {
  return [...pullBacks(actorId, redemption, round, shards), ...transfers(actorId, redemption, loans)];
}

function pullBacks(actorId: string, { investmentId, investor, id: redemptionId }: Redemption, round: number, shards: readonly number[]): Delivery[] {
  const deliveries: Delivery[] = [];
  for (const shard of shards) {
    const message: PoolMessage = { type: 'pull_back_investment', data: { investmentId, investor, redemptionId, round } };
    const answered = (value: unknown) => tell(actorId, { type: 'pull_back_answered', data: value as PullBackAnswer } satisfies RedemptionMessage);
    deliveries.push({ to: poolShardActorId(shard), message, onRefused: null, onAccepted: answered });
  }
  return deliveries;
}

function transfers(actorId: string, { investmentId, id: redemptionId }: Redemption, loans: readonly string[]): Delivery[] {
  return loans.map((loanId) => {
    const message: LoanMessage = { type: 'transfer_claims', data: { investmentId, redemptionId, origin: actorId } };
    const progress = (value: unknown) => tell(actorId, { type: 'transfers_progress', data: transferProgressOf(value as LoanState, investmentId, redemptionId) } satisfies RedemptionMessage);
    // Refused (the loan is not yet repaying): the next round asks again.
    return { to: loanActorId(loanId), message, onRefused: null, onAccepted: progress };
  });
}

