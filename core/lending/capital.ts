import type { BusinessDate } from '../calendar/business-date.js';

/** Where a capital's money came from; matching draws the sources in a configured order. */
export const capitalSources = ['new', 'repayment_reinvest', 'compensation_reinvest', 'interest_reinvest'] as const;
export type CapitalSource = (typeof capitalSources)[number];

/** The default matching order (DESIGN §4): new capital first, then the reinvested kinds. */
export const defaultMatchPriority: readonly CapitalSource[] = ['new', 'repayment_reinvest', 'compensation_reinvest', 'interest_reinvest'];

export function isCapitalSource(value: unknown): value is CapitalSource {
  return typeof value === 'string' && (capitalSources as readonly string[]).includes(value);
}

/** Principal capital comes from an investment; interest capital from reinvested interest. */
export type CapitalProperty = 'principal' | 'interest';

/** The seed's capital status: 0 abnormal, 1 normal, 2 fully matched, 3 pulled back. */
export type CapitalStatus = 'normal' | 'fully_matched' | 'pulled_back' | 'abnormal';

/** What a capital is made of when it enters a pool shard. */
export interface CapitalContent {
  readonly id: string;
  readonly investmentId: string;
  readonly investor: string;
  readonly principal: bigint;
  readonly property: CapitalProperty;
  readonly source: CapitalSource;
  readonly createdOn: BusinessDate;
  /** The investment's maturity: capital is not matched on or after it (redemption pulls it back). */
  readonly investRepayDate: BusinessDate;
}

/**
 * A capital in its shard: `reserved` is pre-matched (held for loans still matching or
 * disbursing), `matched` is confirmed by the bank's disbursement success, `pulledBack` went
 * back to the investor (redemption). Always 0 ≤ matched + reserved + pulledBack ≤ principal;
 * the shard actor is the only writer.
 */
export interface Capital extends CapitalContent {
  readonly matched: bigint;
  readonly reserved: bigint;
  /** Taken back out of the pool by a redemption (never matched again). */
  readonly pulledBack: bigint;
  readonly status: CapitalStatus;
  /** Order of arrival in its shard: among capitals of one day, the earlier first. */
  readonly arrival: number;
}

/** A capital as a reader is shown it: its shard's order of arrival is the shard's own. */
export type CapitalReading = Omit<Capital, 'arrival'>;

/**
 * A capital fully matched, from its content: what a shard no longer holds (it keeps only the
 * capitals it can still reserve or pull back from; see PoolShardState) reads as this.
 */
export function fullyMatchedCapital(content: CapitalContent): CapitalReading {
  return { ...content, matched: content.principal, reserved: 0n, pulledBack: 0n, status: 'fully_matched' };
}

export function availableOfCapital(capital: CapitalReading): bigint {
  return capital.principal - capital.matched - capital.reserved - capital.pulledBack;
}

export function sameCapitalContent(a: CapitalContent, b: CapitalContent): boolean {
  return (
    a.id === b.id &&
    a.investmentId === b.investmentId &&
    a.investor === b.investor &&
    a.principal === b.principal &&
    a.property === b.property &&
    a.source === b.source &&
    a.createdOn === b.createdOn &&
    a.investRepayDate === b.investRepayDate
  );
}

/**
 * The shard a capital lives in: FNV-1a of its id, modulo the shard count. Pure, so any
 * node computes the same shard; the count never changes once fixed.
 */
export function shardOfCapital(capitalId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < capitalId.length; i++) {
    hash ^= capitalId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
