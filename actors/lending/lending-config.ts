import { defaultPaymentStrategies, type PaymentStrategies } from '../../core/ledger/payment-strategy.js';
import { defaultMatchPriority, isCapitalSource, type CapitalSource } from '../../core/lending/capital.js';
import { lendingLimits } from '../../core/lending/limits.js';
import type { BankQueryTiming } from '../../core/bank/commands.js';
import type { MatchingConfig } from '../../core/lending/loan/loan.js';
import { parseFeeRule, type FeeRule } from '../../core/clearing/fee.js';
import { defaultProduct, loanProductProblemOf, type LoanProduct } from '../../core/lending/schedule/product.js';
import { Decimal } from 'decimal.js';

/** How the lending processes run on this node. Checked at start-up. */
export interface LendingConfig {
  /** S: capital is hashed to S pool shards. Fixed at the first start (journaled); a different S later refuses to start. */
  readonly poolShards: number;
  /** The order in which matching draws capital sources. */
  readonly matchPriority: readonly CapitalSource[];
  readonly claimsPerLoanMax: number;
  readonly waitingLoansNotifiedMax: number;
  /** The pending-order sweep: a bank order without a result is queried after this long, then at doubling intervals up to the max. */
  readonly bankQueryAfterMs: number;
  readonly bankQueryIntervalMaxMs: number;
  /** Items of one bank batch (a disbursement holds one per claim). */
  readonly bankBatchItemsMax: number;
  /** How long POST /v1/investments and /v1/withdrawals wait for their saga to settle before answering 202. */
  readonly settleWaitMs: number;
  /** A redemption not yet complete starts another round (pull back, transfer) after this long, doubling each round… */
  readonly redemptionRecheckMs: number;
  /** …up to this long between rounds. */
  readonly redemptionRecheckMaxMs: number;
  /** The interest pool reinvests once it holds at least this much (seed 000: 100.00), in minor units. */
  readonly interestReinvestThresholdMinor: bigint;
  /** The loan products a loan may name (`standard`, DESIGN §4's default, is always one). */
  readonly products: readonly LoanProduct[];
  /** The product of a loan that names none. */
  readonly defaultProduct: string;
  /** The fee on a withdrawal (提现手续费), kept by the withdrawal's order; absent: none. */
  readonly withdrawalFee?: FeeRule;
  /** Which natures of a wallet's money each operation may draw, in order (支付策略). */
  readonly paymentStrategies: PaymentStrategies;
}

export const defaultLendingConfig: LendingConfig = {
  poolShards: 4,
  matchPriority: defaultMatchPriority,
  claimsPerLoanMax: lendingLimits.claimsPerLoanMax,
  waitingLoansNotifiedMax: lendingLimits.waitingLoansNotifiedMax,
  bankQueryAfterMs: 30_000,
  bankQueryIntervalMaxMs: 10 * 60_000,
  bankBatchItemsMax: 5_000,
  settleWaitMs: 2_000,
  redemptionRecheckMs: 60_000,
  redemptionRecheckMaxMs: 3_600_000,
  interestReinvestThresholdMinor: 100_00n,
  products: [defaultProduct],
  defaultProduct: defaultProduct.name,
  paymentStrategies: defaultPaymentStrategies,
};

export function checkLendingConfig(config: LendingConfig): void {
  const { poolShards, matchPriority } = config;
  if (!Number.isInteger(poolShards) || poolShards < 1 || poolShards > lendingLimits.poolShardsMax) throw new RangeError(`poolShards must be 1..${lendingLimits.poolShardsMax}`);
  if (matchPriority.length === 0 || !matchPriority.every(isCapitalSource) || new Set(matchPriority).size !== matchPriority.length) {
    throw new RangeError('matchPriority lists distinct capital sources (new, repayment_reinvest, compensation_reinvest, interest_reinvest)');
  }
  for (const key of ['claimsPerLoanMax', 'waitingLoansNotifiedMax', 'bankQueryAfterMs', 'bankQueryIntervalMaxMs', 'bankBatchItemsMax', 'settleWaitMs', 'redemptionRecheckMs', 'redemptionRecheckMaxMs'] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new RangeError(`${key} must be a positive integer`);
  }
  if (config.claimsPerLoanMax > config.bankBatchItemsMax) throw new RangeError('claimsPerLoanMax must not exceed bankBatchItemsMax: a disbursement sends one item per claim');
  // A repayment batch sends up to two items per claim (to the investor, and an interest claim's interest to revenue).
  if (2 * config.claimsPerLoanMax > config.bankBatchItemsMax) throw new RangeError('2 × claimsPerLoanMax must not exceed bankBatchItemsMax: a repayment sends up to two items per claim');
  if (typeof config.interestReinvestThresholdMinor !== 'bigint' || config.interestReinvestThresholdMinor <= 0n) throw new RangeError('interestReinvestThresholdMinor must be a positive bigint');
  for (const product of config.products) {
    const problem = loanProductProblemOf(product);
    if (problem !== null) throw new RangeError(`loan product: ${problem}`);
  }
  if (new Set(config.products.map((p) => p.name)).size !== config.products.length) throw new RangeError('loan product names must be distinct');
  if (productNamed(config, config.defaultProduct) === null) throw new RangeError(`the default loan product ${config.defaultProduct} is not configured`);
  if (config.redemptionRecheckMs > config.redemptionRecheckMaxMs) throw new RangeError('redemptionRecheckMs must not exceed redemptionRecheckMaxMs');
  if (config.bankQueryAfterMs > config.bankQueryIntervalMaxMs) throw new RangeError('bankQueryAfterMs must not exceed bankQueryIntervalMaxMs');
}

export function matchingOf(config: LendingConfig): MatchingConfig {
  return { shards: config.poolShards, priority: config.matchPriority, claimsMax: config.claimsPerLoanMax };
}

export function queryTimingOf(config: LendingConfig): BankQueryTiming {
  return { queryAfterMs: config.bankQueryAfterMs, queryIntervalMaxMs: config.bankQueryIntervalMaxMs };
}

/** Parses FUNDCORE_MATCH_PRIORITY ("new,repayment_reinvest,…"). */
export function parseMatchPriority(text: string): CapitalSource[] {
  const sources = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const unknown = sources.filter((source) => !isCapitalSource(source));
  if (unknown.length > 0) throw new RangeError(`unknown capital sources in the match priority: ${unknown.join(', ')}`);
  return sources as CapitalSource[];
}

export function productNamed(config: LendingConfig, name: string): LoanProduct | null {
  return config.products.find((product) => product.name === name) ?? null;
}

/**
 * Parses FUNDCORE_LOAN_PRODUCTS: a JSON array of products, each
 * `{name, dayCount?, interestPeriod?, rounding?, installmentMultiple?, penaltyDailyRate?, penaltyCountsDueDay?,
 * installmentFrom?, payoffInterest?, overpayment?}`
 * (`installmentMultiple` a decimal string such as "1.00"); what a product leaves out is the
 * default product's. `standard` is always there; a product of that name replaces it.
 */
export function parseLoanProducts(text: string): LoanProduct[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RangeError('FUNDCORE_LOAN_PRODUCTS is a JSON array of products');
  }
  if (!Array.isArray(parsed) || parsed.length > loanProductsMax) throw new RangeError(`FUNDCORE_LOAN_PRODUCTS is a JSON array of at most ${loanProductsMax} products`);
  const configured = parsed.map(productOfJson);
  const standardReplaced = configured.some((product) => product.name === defaultProduct.name);
  return standardReplaced ? configured : [defaultProduct, ...configured];
}

/** Products a node may configure: each loan carries its own copy, so this only bounds the start-up check. */
const loanProductsMax = 100;
const productKeys = new Set(['name', 'dayCount', 'interestPeriod', 'rounding', 'installmentMultiple', 'penaltyDailyRate', 'penaltyCountsDueDay', 'installmentFrom', 'payoffInterest', 'overpayment', 'serviceFee', 'managementFee', 'guaranteeFee']);

function productOfJson(value: unknown): LoanProduct {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError('a loan product is a JSON object');
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !productKeys.has(key));
  if (unknown.length > 0) throw new RangeError(`unknown loan product fields: ${unknown.join(', ')}`);
  const multiple = fields.installmentMultiple;
  if (multiple !== undefined && (typeof multiple !== 'string' || !/^\d{1,5}(\.\d{1,2})?$/.test(multiple))) throw new RangeError('installmentMultiple is a decimal string such as "1.00"');
  const fee = (name: 'serviceFee' | 'managementFee' | 'guaranteeFee') => {
    const parsed = fields[name] === undefined ? undefined : parseFeeRule(fields[name], 'CNY', `loan product ${String(fields.name)}: ${name}`);
    if (typeof parsed === 'string') throw new RangeError(parsed);
    return parsed === undefined ? {} : { [name]: parsed };
  };
  const product = {
    ...defaultProduct,
    ...fields,
    ...fee('serviceFee'),
    ...fee('managementFee'),
    ...fee('guaranteeFee'),
    installmentMultipleMinor: multiple === undefined ? defaultProduct.installmentMultipleMinor : BigInt(new Decimal(multiple).times(100).toFixed(0)),
  } as LoanProduct & { installmentMultiple?: unknown };
  delete product.installmentMultiple;
  const problem = loanProductProblemOf(product);
  if (problem !== null) throw new RangeError(`loan product: ${problem}`);
  return product;
}

/**
 * A saga's wait (settleWaitMs) is held inside an ask: it must end before the ask's own timeout,
 * or an investment that would have answered 202 answers 503 ask_timeout instead.
 */
export function checkSettleWaitFits(config: LendingConfig, askTimeoutMs: number): void {
  if (config.settleWaitMs >= askTimeoutMs) throw new RangeError(`settleWaitMs (${config.settleWaitMs}) must be below the ask timeout (${askTimeoutMs} ms): the wait is held inside the ask`);
}
