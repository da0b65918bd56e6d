import { parsePaymentStrategies, type PaymentStrategies } from '../core/ledger/payment-strategy.js';
import { randomBytes } from 'node:crypto';
import type { BusinessClockOption } from '../actors/node.js';
import { parseAmount } from '../core/money/amount.js';
import { parseLoanProducts, parseMatchPriority, type LendingConfig } from '../actors/lending/lending-config.js';
import { isBusinessDate } from '../core/calendar/business-date.js';
import type { RequestLimits } from './request-limits.js';
import type { StatementJobLimits } from '../actors/reconciliation/statement-job-limits.js';
import type { BackupScheduleConfig } from '../cli/backup-schedule.js';
import { defaultArchiving, type ArchivingConfig } from '../actors/archive/archive-service.js';
import { retentionRefusal } from '../core/audit/archive-policy.js';
import { parseFeeRule, type FeeRule } from '../core/clearing/fee.js';
import { parseCurrencies } from '../core/money/currency.js';
import { niceMax } from '../persistence/projections/thread-priority.js';

export interface FundcoreConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly apiKey: string;
  readonly opsKey: string;
  /** More client keys (FUNDCORE_API_KEYS, comma-separated), each with its own rate limit. */
  readonly moreApiKeys: readonly string[];
  readonly requestLimits: Partial<RequestLimits>;
  /** True when the keys were generated for this run (development). */
  readonly generatedKeys: boolean;
  readonly logLevel: string;
  readonly businessClock: BusinessClockOption;
  readonly lending: Partial<LendingConfig>;
  /** The bank depository; null: start the simulator in process. */
  readonly bankUrl: string | null;
  /** Shared with the bank: signs requests and callbacks. */
  readonly bankSecret: string;
  readonly generatedBankSecret: boolean;
  /** How the bank reaches this node (for its callbacks); null: the listen address. */
  readonly publicUrl: string | null;
  /**
   * The platform's guarantee reserve deposited at the bank once, at start (FUNDCORE_GUARANTEE_RESERVE,
   * a decimal string): compensations are paid from it. Default 1000000.00 with the embedded bank
   * simulator, none with an external bank (the platform funds it there as it does).
   */
  readonly guaranteeReserveMinor: bigint;
  /** Statement jobs (reconciliation in worker threads): FUNDCORE_STATEMENT_JOBS_MAX and the like. */
  readonly statementJobs: Partial<StatementJobLimits>;
  /** Scheduled backups (BACKUP_DIR; none when unset). */
  readonly backups: BackupScheduleConfig | null;
  /** Archiving ended records and retention (ARCHIVE_AFTER_MONTHS, ARCHIVE_EVERY_MINUTES, RETENTION_YEARS). */
  readonly archiving: ArchivingConfig;
  /** FUNDCORE_CURRENCIES: the currencies accounts may be opened in (unset: every known one). */
  readonly currencies: readonly string[] | undefined;
  /** FUNDCORE_READ_SIDE_NICE (0..19, default 10): how far below the node's thread the read models' worker runs for the CPU. */
  readonly readSideNice: number | undefined;
}

function integerOf(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${text}`);
  return value;
}

function businessClockOf(env: NodeJS.ProcessEnv): BusinessClockOption {
  const mode = env.FUNDCORE_CLOCK ?? 'wall';
  if (mode === 'sim') {
    const start = env.FUNDCORE_CLOCK_START;
    if (start !== undefined && start !== '' && !isBusinessDate(start)) throw new RangeError(`FUNDCORE_CLOCK_START must be YYYY-MM-DD, got ${start}`);
    return start === undefined || start === '' ? { mode: 'sim' } : { mode: 'sim', startDate: start };
  }
  if (mode !== 'wall') throw new RangeError(`FUNDCORE_CLOCK is "sim" or "wall", got ${mode}`);
  return { mode: 'wall', offsetMinutes: integerOf(env, 'FUNDCORE_CLOCK_OFFSET_MINUTES', -14 * 60, 14 * 60) ?? 0 };
}

function lendingOf(env: NodeJS.ProcessEnv): Partial<LendingConfig> {
  const poolShards = integerOf(env, 'FUNDCORE_POOL_SHARDS', 1, 256);
  const bankQueryAfterMs = integerOf(env, 'FUNDCORE_BANK_QUERY_AFTER_MS', 1, 24 * 3600_000);
  const priority = env.FUNDCORE_MATCH_PRIORITY;
  const threshold = env.FUNDCORE_REINVEST_THRESHOLD;
  const products = env.FUNDCORE_LOAN_PRODUCTS;
  const defaultProduct = env.FUNDCORE_DEFAULT_PRODUCT;
  const withdrawalFee = withdrawalFeeOf(env.FUNDCORE_WITHDRAWAL_FEE);
  const strategies = env.FUNDCORE_PAYMENT_STRATEGIES;
  return {
    ...(strategies !== undefined && strategies !== '' ? { paymentStrategies: paymentStrategiesOf(strategies) } : {}),
    ...(threshold !== undefined && threshold !== '' ? { interestReinvestThresholdMinor: thresholdOf(threshold) } : {}),
    ...(products !== undefined && products !== '' ? { products: parseLoanProducts(products) } : {}),
    ...(defaultProduct !== undefined && defaultProduct !== '' ? { defaultProduct } : {}),
    ...(withdrawalFee !== null ? { withdrawalFee } : {}),
    ...(poolShards !== undefined ? { poolShards } : {}),
    ...(bankQueryAfterMs !== undefined ? { bankQueryAfterMs, bankQueryIntervalMaxMs: Math.max(bankQueryAfterMs, 10 * 60_000) } : {}),
    ...(priority !== undefined && priority !== '' ? { matchPriority: parseMatchPriority(priority) } : {}),
  };
}

/** FUNDCORE_PAYMENT_STRATEGIES: `spend=withdrawable,spend_only;refund=refund_only`; a bad one refuses to start. */
function paymentStrategiesOf(text: string): PaymentStrategies {
  const parsed = parsePaymentStrategies(text);
  if (typeof parsed === 'string') throw new RangeError(`FUNDCORE_PAYMENT_STRATEGIES: ${parsed}`);
  return parsed;
}

function currenciesOf(text: string | undefined): readonly string[] | undefined {
  if (text === undefined || text === '') return undefined;
  const parsed = parseCurrencies(text);
  if (typeof parsed === 'string') throw new RangeError(`FUNDCORE_CURRENCIES: ${parsed}`);
  return parsed;
}

/** FUNDCORE_WITHDRAWAL_FEE: a fee rule as JSON (`{"fixed":"2.00"}`, `{"rate":"0.001","min":"1.00"}`); a bad one refuses to start. */
function withdrawalFeeOf(text: string | undefined): FeeRule | null {
  if (text === undefined || text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RangeError('FUNDCORE_WITHDRAWAL_FEE is a fee rule as JSON, such as {"fixed":"2.00"}');
  }
  const rule = parseFeeRule(value, 'CNY', 'FUNDCORE_WITHDRAWAL_FEE');
  if (typeof rule === 'string') throw new RangeError(rule);
  return rule;
}

/** FUNDCORE_REINVEST_THRESHOLD: a decimal amount ("100.00"). */
function thresholdOf(text: string): bigint {
  const parsed = parseAmount(text, 'CNY');
  if (!parsed.ok) throw new RangeError(`FUNDCORE_REINVEST_THRESHOLD: ${parsed.detail}`);
  return parsed.minor;
}

function requestLimitsOf(env: NodeJS.ProcessEnv): Partial<RequestLimits> {
  const perSecond = integerOf(env, 'FUNDCORE_RATE_LIMIT_PER_SECOND', 1, 1_000_000);
  const inFlight = integerOf(env, 'FUNDCORE_REQUESTS_IN_FLIGHT_MAX', 1, 1_000_000);
  return {
    ...(perSecond !== undefined ? { requestsPerKeyMax: perSecond, rateWindowMs: 1_000 } : {}),
    ...(inFlight !== undefined ? { requestsInFlightMax: inFlight } : {}),
  };
}

function statementJobsOf(env: NodeJS.ProcessEnv): Partial<StatementJobLimits> {
  const running = integerOf(env, 'FUNDCORE_STATEMENT_JOBS_MAX', 1, 64);
  const waiting = integerOf(env, 'FUNDCORE_STATEMENT_JOBS_WAITING_MAX', 0, 1_000);
  const timeoutMs = integerOf(env, 'FUNDCORE_STATEMENT_JOB_TIMEOUT_MS', 1_000, 3_600_000);
  const heap = integerOf(env, 'FUNDCORE_STATEMENT_WORKER_HEAP_MIB', 64, 65_536);
  return {
    ...(running !== undefined ? { jobsRunningMax: running } : {}),
    ...(waiting !== undefined ? { jobsWaitingMax: waiting } : {}),
    ...(timeoutMs !== undefined ? { jobTimeoutMs: timeoutMs } : {}),
    ...(heap !== undefined ? { workerHeapMiBMax: heap } : {}),
  };
}

/** BACKUP_DIR (unset: no scheduled backups), BACKUP_EVERY_MINUTES (60), BACKUP_KEEP_HOURLY_DAYS (2), BACKUP_KEEP_DAILY_DAYS (30). */
function backupsOf(env: NodeJS.ProcessEnv): BackupScheduleConfig | null {
  const dir = env.BACKUP_DIR ?? '';
  const everyMinutes = integerOf(env, 'BACKUP_EVERY_MINUTES', 1, 7 * 24 * 60);
  const hourlyDays = integerOf(env, 'BACKUP_KEEP_HOURLY_DAYS', 0, 365);
  const dailyDays = integerOf(env, 'BACKUP_KEEP_DAILY_DAYS', 0, 3_650);
  if (dir === '') {
    if (everyMinutes !== undefined || hourlyDays !== undefined || dailyDays !== undefined) throw new RangeError('BACKUP_EVERY_MINUTES and BACKUP_KEEP_* need BACKUP_DIR (where the backups go)');
    return null;
  }
  return { dir, everyMinutes: everyMinutes ?? 60, hourlyDays: hourlyDays ?? 2, dailyDays: dailyDays ?? 30 };
}

/**
 * ARCHIVE_AFTER_MONTHS (18), ARCHIVE_EVERY_MINUTES (60; 0: only when asked), RETENTION_YEARS
 * (unset: kept for good; at least 3 — a shorter one refuses to start).
 */
export function archivingOf(env: NodeJS.ProcessEnv): ArchivingConfig {
  const afterMonths = integerOf(env, 'ARCHIVE_AFTER_MONTHS', 1, 1_200);
  const everyMinutes = integerOf(env, 'ARCHIVE_EVERY_MINUTES', 0, 7 * 24 * 60);
  const text = env.RETENTION_YEARS ?? '';
  const retentionYears = text === '' ? null : Number(text);
  const refusal = retentionRefusal(retentionYears);
  if (refusal !== null) throw new RangeError(`RETENTION_YEARS: ${refusal}`);
  return { afterMonths: afterMonths ?? defaultArchiving.afterMonths, everyMinutes: everyMinutes ?? defaultArchiving.everyMinutes, retentionYears };
}

/** Configuration by environment (DESIGN §8). Missing keys are generated and printed once. */
function guaranteeReserveOf(text: string | undefined, embeddedBank: boolean): bigint {
  if (text === undefined || text === '') return embeddedBank ? 1_000_000_00n : 0n;
  const parsed = parseAmount(text, 'CNY', { allowZero: true });
  if (!parsed.ok) throw new RangeError(`FUNDCORE_GUARANTEE_RESERVE is an amount such as "1000000.00": ${parsed.detail}`);
  return parsed.minor;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): FundcoreConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be 0..65535, got ${env.PORT}`);
  const apiKey = env.FUNDCORE_API_KEY ?? '';
  const opsKey = env.FUNDCORE_OPS_KEY ?? '';
  const generatedKeys = apiKey === '' || opsKey === '';
  const bankUrl = env.FUNDCORE_BANK_URL === undefined || env.FUNDCORE_BANK_URL === '' ? null : env.FUNDCORE_BANK_URL;
  const bankSecret = env.FUNDCORE_BANK_SECRET ?? '';
  // An external bank must share the secret; only the embedded simulator may get a generated one.
  if (bankUrl !== null && bankSecret === '') throw new RangeError('FUNDCORE_BANK_URL needs FUNDCORE_BANK_SECRET (the secret shared with the bank)');
  const config = {
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? './data',
    apiKey: apiKey === '' ? `dev-api-${randomBytes(12).toString('hex')}` : apiKey,
    opsKey: opsKey === '' ? `dev-ops-${randomBytes(12).toString('hex')}` : opsKey,
    moreApiKeys: (env.FUNDCORE_API_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key !== ''),
    requestLimits: requestLimitsOf(env),
    generatedKeys,
    logLevel: env.LOG_LEVEL ?? 'info',
    businessClock: businessClockOf(env),
    lending: lendingOf(env),
    bankUrl,
    bankSecret: bankSecret === '' ? `dev-bank-${randomBytes(16).toString('hex')}` : bankSecret,
    generatedBankSecret: bankSecret === '',
    publicUrl: env.FUNDCORE_PUBLIC_URL === undefined || env.FUNDCORE_PUBLIC_URL === '' ? null : env.FUNDCORE_PUBLIC_URL,
    guaranteeReserveMinor: guaranteeReserveOf(env.FUNDCORE_GUARANTEE_RESERVE, bankUrl === null),
    statementJobs: statementJobsOf(env),
    backups: backupsOf(env),
    archiving: archivingOf(env),
    currencies: currenciesOf(env.FUNDCORE_CURRENCIES),
    readSideNice: integerOf(env, 'FUNDCORE_READ_SIDE_NICE', 0, niceMax),
  };
  if (config.apiKey === config.opsKey || config.moreApiKeys.includes(config.opsKey)) throw new RangeError('FUNDCORE_API_KEY (and FUNDCORE_API_KEYS) and FUNDCORE_OPS_KEY must differ');
  return config;
}
