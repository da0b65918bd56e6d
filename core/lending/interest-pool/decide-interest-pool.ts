import type { BusinessDate } from '../../calendar/business-date.js';
import { assertNever, reject, type Rejection } from '../../rejection.js';
import { shardOfCapital, type CapitalContent } from '../capital.js';
import type { InterestPoolRejectionCode } from './rejections.js';
import type { Decider } from '../../decider.js';
import { evolveInterestPool } from './evolve-interest-pool.js';
import {
  initialInterestPoolState,
  interestFlowCodes,
  isReinvestEffective,
  reinvestCapitalIdOf,
  reinvestHoldsOf,
  type InterestFlow,
  type InterestFlowKind,
  type InterestPoolCommand,
  type InterestPoolEvent,
  type InterestPoolState,
  type ReinvestAnchor,
  type ReinvestRule,
} from './interest-pool.js';

export type InterestPoolDecision = readonly InterestPoolEvent[] | Rejection<InterestPoolRejectionCode>;

const duplicate: readonly InterestPoolEvent[] = Object.freeze([]);

/** The interest pool decider: one function per command. */
export function decideInterestPool(state: InterestPoolState, command: InterestPoolCommand): InterestPoolDecision {
  switch (command.type) {
    case 'credit_interest':
      return decideCredit(state, command);
    case 'use_for_redemption':
      return decideUse(state, command);
    case 'set_reinvest_switch':
      return state.investor !== null && state.reinvestOn === command.data.on ? duplicate : [{ type: 'reinvest_switched', data: command.data }];
    case 'hold_reinvest': {
      const held = reinvestHoldsOf(state).includes(command.data.holder);
      return held ? duplicate : [{ type: 'reinvest_held', data: command.data }];
    }
    case 'release_reinvest': {
      const held = reinvestHoldsOf(state).includes(command.data.holder);
      return held ? [{ type: 'reinvest_released', data: command.data }] : duplicate;
    }
    case 'check_reinvest': {
      const { investor, expectedInterest, on, at, rule } = command.data;
      const reinvest = reinvestOf({ ...state, investor }, expectedInterest, on, at, rule);
      return reinvest === null ? duplicate : [reinvest];
    }
    default:
      return assertNever(command, 'interest pool command');
  }
}

/**
 * credit_interest, checked in this order:
 * 1. interest_amount_invalid: the amount is not positive
 * 2. a flow with this id → duplicate (it was credited once; nothing changes)
 * 3. credit it; then reinvest when the rule allows (a repayment or compensation callback)
 */
function decideCredit(state: InterestPoolState, { data }: Extract<InterestPoolCommand, { type: 'credit_interest' }>): InterestPoolDecision {
  if (data.amount <= 0n) return reject('interest_amount_invalid', 'an interest flow moves a positive amount');
  if (data.knownFlowSeq !== null) return duplicate;
  const flow = flowOf(state, data.flowId, data.kind, data.amount, data.ref, data.on, data.at);
  const anchor = laterAnchor(state.anchor, data.source);
  const credited: InterestPoolEvent = { type: 'interest_credited', data: { investor: data.investor, flow, anchor } };
  const after: InterestPoolState = { ...state, investor: data.investor, balance: flow.balanceAfter, flowCount: flow.seq, anchor };
  const triggers = data.kind === 'repayment' || data.kind === 'compensation';
  const reinvest = triggers ? reinvestOf(after, 0n, data.on, data.at, data.rule) : null;
  return reinvest === null ? [credited] : [credited, reinvest];
}

/**
 * use_for_redemption (flow 22), checked in this order:
 * 1. interest_amount_invalid
 * 2. a flow with this id → duplicate
 * 3. interest_pool_insufficient: the pool holds less than the amount
 */
function decideUse(state: InterestPoolState, { data }: Extract<InterestPoolCommand, { type: 'use_for_redemption' }>): InterestPoolDecision {
  if (data.amount <= 0n) return reject('interest_amount_invalid', 'an interest flow moves a positive amount');
  if (data.knownFlowSeq !== null) return duplicate;
  if (state.balance < data.amount) return reject('interest_pool_insufficient', `the interest pool of ${data.investor} holds ${state.balance}, less than ${data.amount}`);
  return [{ type: 'interest_used', data: { investor: data.investor, flow: flowOf(state, data.flowId, 'redemption_use', -data.amount, data.ref, data.on, data.at) } }];
}

/**
 * The reinvest rule (seed 000, 利息复投): the switch is on and no redemption holds it off, the
 * pool holds more than the capital's expected interest and what remains beyond it is at least
 * the threshold (what a redemption still needs
 * from it; 0 at repayment and compensation). Then all the pool beyond that expected interest
 * becomes interest capital (source interest_reinvest) of the anchor investment — provided it
 * has not matured yet (capital past its maturity is never matched).
 */
export function reinvestOf(state: InterestPoolState, expectedInterest: bigint, on: BusinessDate, at: number, rule: ReinvestRule): InterestPoolEvent | null {
  const investor = state.investor;
  const anchor = state.anchor;
  if (investor === null || anchor === null || !isReinvestEffective(state)) return null;
  const amount = state.balance - (expectedInterest > 0n ? expectedInterest : 0n);
  // Seed 000: more than the expected interest, and what remains beyond it at least the threshold.
  if (state.balance <= expectedInterest || amount < rule.thresholdMinor) return null;
  if (anchor.investRepayDate <= on) return null;
  const capitalId = reinvestCapitalIdOf(investor, state.reinvestments + 1);
  const capital: CapitalContent = {
    id: capitalId,
    investmentId: anchor.investmentId,
    investor,
    principal: amount,
    property: 'interest',
    source: 'interest_reinvest',
    createdOn: on,
    investRepayDate: anchor.investRepayDate,
  };
  const flow = flowOf(state, capitalId, 'reinvest', -amount, capitalId, on, at);
  return { type: 'interest_reinvested', data: { investor, flow, capital, shard: shardOfCapital(capitalId, rule.poolShards) } };
}

function flowOf(state: InterestPoolState, flowId: string, kind: InterestFlowKind, amount: bigint, ref: string, on: BusinessDate, at: number): InterestFlow {
  return { seq: state.flowCount + 1, flowId, kind, code: interestFlowCodes[kind], amount, balanceAfter: state.balance + amount, ref, on, at };
}

function laterAnchor(current: ReinvestAnchor | null, candidate: ReinvestAnchor | null): ReinvestAnchor | null {
  if (candidate === null) return current;
  if (current === null || candidate.investRepayDate > current.investRepayDate) return candidate;
  return current;
}

/** What an accepted interest-pool command answers: the pool's figures after it. */
export interface InterestPoolReply {
  readonly investor: string;
  readonly balance: bigint;
  readonly reinvestOn: boolean;
  readonly flows: number;
}

/** One investor's interest pool as one decider. */
export const interestPoolDecider: Decider<InterestPoolState, InterestPoolCommand, InterestPoolEvent, InterestPoolRejectionCode, InterestPoolReply> = {
  initialState: initialInterestPoolState,
  decide: decideInterestPool,
  evolve: evolveInterestPool,
  reply: (state, command) => ({ investor: command.data.investor, balance: state.balance, reinvestOn: state.reinvestOn, flows: state.flowCount }),
};
