import type { BusinessDate } from '../../calendar/business-date.js';
import type { CapitalContent } from '../capital.js';

/**
 * An investor's interest pool (利息池): the interest their principal claims earned, kept
 * until it is reinvested (as interest capital in the capital pool) or used by a redemption.
 * Its flows carry the seed's flow types (flow_type), so statements and reconciliation read
 * the same numbers as the original platform.
 */
export const interestFlowCodes = {
  /** 11: a borrower's repayment paid a principal claim's interest. */
  repayment: 11,
  /** 12: the guarantee paid it on the borrower's behalf (代偿). */
  compensation: 12,
  /** 13: redemption pulled back unmatched interest capital into the pool. */
  interest_capital_pullback: 13,
  /** 14: redemption transferred an interest claim; its proceeds come back here. */
  interest_claim_pullback: 14,
  /** 21: the pool became interest capital (利息复投). */
  reinvest: 21,
  /** 22: a redemption paid out of the pool. */
  redemption_use: 22,
} as const;

export type InterestFlowKind = keyof typeof interestFlowCodes;
export type InterestFlowCode = (typeof interestFlowCodes)[InterestFlowKind];

/** Flows that bring money into the pool. */
export const interestCreditKinds = ['repayment', 'compensation', 'interest_capital_pullback', 'interest_claim_pullback'] as const;
export type InterestCreditKind = (typeof interestCreditKinds)[number];

export function isInterestCreditKind(value: unknown): value is InterestCreditKind {
  return typeof value === 'string' && (interestCreditKinds as readonly string[]).includes(value);
}

/** One line of the pool's statement. `amount` is signed: positive in, negative out. */
export interface InterestFlow {
  readonly seq: number;
  readonly flowId: string;
  readonly kind: InterestFlowKind;
  readonly code: InterestFlowCode;
  readonly amount: bigint;
  readonly balanceAfter: bigint;
  /** What caused it: a claim's order no, a redemption, a reinvested capital's id. */
  readonly ref: string;
  readonly on: BusinessDate;
  readonly at: number;
}

/**
 * The investment reinvested interest capital belongs to: the investor's investment that
 * matures last among those whose interest came here. Interest capital needs an investment
 * (its maturity bounds what it may be matched to, and redemption pulls it back with it).
 */
export interface ReinvestAnchor {
  readonly investmentId: string;
  readonly investRepayDate: BusinessDate;
}

/** When and how much the pool reinvests. Comes with every command that may trigger it. */
export interface ReinvestRule {
  /** The pool must hold at least this much (seed: 100.00). */
  readonly thresholdMinor: bigint;
  readonly poolShards: number;
}

export interface InterestPoolState {
  readonly investor: string | null;
  readonly balance: bigint;
  /** recast_switch as the investor (or ops) set it: on by default. */
  readonly reinvestOn: boolean;
  /**
   * Redemptions under way that hold reinvest off while they gather the pool (seed 000): the
   * pool reinvests only when the switch is on and none holds it, so two redemptions of one
   * investor keep it off until the last ends. Absent in states written before holds existed.
   */
  readonly reinvestHolds?: readonly string[];
  /**
   * How many flows the pool has had (the last one's seq). The flows themselves are not kept
   * here: each is in its event and in the read model, so an event costs the same however
   * long the pool's history (a redelivered flow is recognised by the flow-id index its
   * actor keeps, which the command carries as `knownFlowSeq`).
   */
  readonly flowCount: number;
  readonly anchor: ReinvestAnchor | null;
  readonly reinvestments: number;
  /** Σ of credits, Σ of debits (both positive): balance = credited − debited. */
  readonly credited: bigint;
  readonly debited: bigint;
}

export const initialInterestPoolState: InterestPoolState = {
  investor: null,
  balance: 0n,
  reinvestOn: true,
  flowCount: 0,
  anchor: null,
  reinvestments: 0,
  credited: 0n,
  debited: 0n,
};

/** A redemption (`holder`, its id) holding an investor's reinvest off. */
export interface ReinvestHold {
  readonly investor: string;
  readonly holder: string;
  readonly at: number;
}

export function reinvestHoldsOf(state: InterestPoolState): readonly string[] {
  return state.reinvestHolds ?? [];
}

/** Reinvest happens only with the switch on and no redemption holding it off. */
export function isReinvestEffective(state: InterestPoolState): boolean {
  return state.reinvestOn && reinvestHoldsOf(state).length === 0;
}

/** The capital and ledger ids of the n-th reinvestment of an investor's pool: derived, so a replay makes the same. */
export function reinvestCapitalIdOf(investor: string, n: number): string {
  return `ir.${investor}.${n}`;
}

export type InterestPoolCommand =
  | {
      readonly type: 'credit_interest';
      readonly data: {
        readonly investor: string;
        readonly flowId: string;
        readonly kind: InterestCreditKind;
        readonly amount: bigint;
        readonly ref: string;
        /** The investment the money came from (null for pull-backs, which name no new maturity). */
        readonly source: ReinvestAnchor | null;
        readonly on: BusinessDate;
        readonly at: number;
        readonly rule: ReinvestRule;
        /** The seq of the flow already recorded under this flowId (a redelivery), or null. */
        readonly knownFlowSeq: number | null;
      };
    }
  | {
      readonly type: 'use_for_redemption';
      readonly data: {
        readonly investor: string;
        readonly flowId: string;
        readonly amount: bigint;
        readonly ref: string;
        readonly on: BusinessDate;
        readonly at: number;
        readonly knownFlowSeq: number | null;
      };
    }
  | { readonly type: 'set_reinvest_switch'; readonly data: { readonly investor: string; readonly on: boolean; readonly at: number } }
  /** A redemption starts (hold) or ends (release): reinvest is off while any holds it. */
  | { readonly type: 'hold_reinvest'; readonly data: ReinvestHold }
  | { readonly type: 'release_reinvest'; readonly data: ReinvestHold }
  /** A redemption callback: reinvest if the rule allows, keeping `expectedInterest` in the pool. */
  | {
      readonly type: 'check_reinvest';
      readonly data: { readonly investor: string; readonly expectedInterest: bigint; readonly on: BusinessDate; readonly at: number; readonly rule: ReinvestRule };
    };

export type InterestPoolEvent =
  | { readonly type: 'interest_credited'; readonly data: { readonly investor: string; readonly flow: InterestFlow; readonly anchor: ReinvestAnchor | null } }
  | { readonly type: 'interest_used'; readonly data: { readonly investor: string; readonly flow: InterestFlow } }
  | { readonly type: 'reinvest_switched'; readonly data: { readonly investor: string; readonly on: boolean; readonly at: number } }
  | { readonly type: 'reinvest_held'; readonly data: ReinvestHold }
  | { readonly type: 'reinvest_released'; readonly data: ReinvestHold }
  /** The pool became interest capital: the ledger moves the money to the capital pool, the shard takes the capital. */
  | { readonly type: 'interest_reinvested'; readonly data: { readonly investor: string; readonly flow: InterestFlow; readonly capital: CapitalContent; readonly shard: number } };

/** The flow an interest-pool event records, if it records one. */
export function flowOfEvent(event: InterestPoolEvent): InterestFlow | null {
  switch (event.type) {
    case 'interest_credited':
    case 'interest_used':
    case 'interest_reinvested':
      return event.data.flow;
    default:
      return null;
  }
}

/** The key of a flow in its pool's flow-id index: a redelivered credit or use finds its flow by it. */
export function interestFlowKeyOf(investor: string, flowId: string): string {
  return `${investor}/${flowId}`;
}
