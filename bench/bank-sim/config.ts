import { randomBytes } from 'node:crypto';

/** How the simulated bank misbehaves. Rates are probabilities in [0, 1]. */
export interface BankBehaviour {
  /** Processing time of an accepted order (uniform in [min, max]). */
  readonly delayMinMs: number;
  readonly delayMaxMs: number;
  /** Orders the bank declines (`bank_declined`). */
  readonly failureRate: number;
  /** Callbacks sent more than once. */
  readonly duplicateRate: number;
  /** Callbacks held back a random while (arriving out of order), or sent before the "accepted" answer. */
  readonly reorderRate: number;
  /** Callbacks never sent: only the query finds the result. */
  readonly lossRate: number;
  /** Orders answered "accepted" and then forgotten (掉单): the query says not_found. */
  readonly dropRate: number;
  /** Enforce the books: accounts must be opened, balances may not go below zero. */
  readonly strict: boolean;
}

export interface BankSimConfig {
  readonly host: string;
  readonly port: number;
  /** Shared with fundcore (FUNDCORE_BANK_SECRET): requests and callbacks are signed with it. */
  readonly secret: string;
  readonly seed: number;
  readonly behaviour: BankBehaviour;
  /** A callback not acknowledged is retried after this, doubling, at most `callbackAttemptsMax` times. */
  readonly callbackRetryMs: number;
  readonly callbackAttemptsMax: number;
  readonly callbackTimeoutMs: number;
  /** How far a signed request's timestamp may be from now. */
  readonly timestampToleranceMs: number;
  /** Where the books and orders are kept (SQLite); unset or null: in memory, gone at exit. */
  readonly booksPath?: string | null;
}

export const defaultBehaviour: BankBehaviour = {
  delayMinMs: 20,
  delayMaxMs: 200,
  failureRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  lossRate: 0,
  dropRate: 0,
  strict: true,
};

function rate(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a number in [0, 1], got ${text}`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${text}`);
  return value;
}

/** The simulator's knobs from the environment (BANK_SIM_*); see the README. */
export function bankSimConfigFromEnv(env: NodeJS.ProcessEnv = process.env, secretFallback?: string): BankSimConfig {
  const delay = (env.BANK_SIM_DELAY_MS ?? '').split('-').filter((part) => part !== '');
  const delayMinMs = delay.length > 0 ? Number(delay[0]) : defaultBehaviour.delayMinMs;
  const delayMaxMs = delay.length > 1 ? Number(delay[1]) : delay.length === 1 ? delayMinMs : defaultBehaviour.delayMaxMs;
  if (!Number.isInteger(delayMinMs) || !Number.isInteger(delayMaxMs) || delayMinMs < 0 || delayMaxMs < delayMinMs) {
    throw new RangeError(`BANK_SIM_DELAY_MS is "<ms>" or "<min>-<max>", got ${env.BANK_SIM_DELAY_MS}`);
  }
  return {
    host: env.BANK_SIM_HOST ?? '127.0.0.1',
    port: integer(env, 'BANK_SIM_PORT', 8081),
    secret: env.FUNDCORE_BANK_SECRET ?? secretFallback ?? `dev-bank-${randomBytes(16).toString('hex')}`,
    seed: integer(env, 'BANK_SIM_SEED', Date.now() % 2 ** 31),
    behaviour: {
      delayMinMs,
      delayMaxMs,
      failureRate: rate(env, 'BANK_SIM_FAILURE_RATE', 0),
      duplicateRate: rate(env, 'BANK_SIM_DUPLICATE_RATE', 0),
      reorderRate: rate(env, 'BANK_SIM_REORDER_RATE', 0),
      lossRate: rate(env, 'BANK_SIM_LOSS_RATE', 0),
      dropRate: rate(env, 'BANK_SIM_DROP_RATE', 0),
      strict: (env.BANK_SIM_STRICT ?? '1') !== '0',
    },
    callbackRetryMs: integer(env, 'BANK_SIM_CALLBACK_RETRY_MS', 200, 1),
    callbackAttemptsMax: integer(env, 'BANK_SIM_CALLBACK_ATTEMPTS_MAX', 10, 1),
    callbackTimeoutMs: 5_000,
    timestampToleranceMs: 5 * 60_000,
    booksPath: env.BANK_SIM_BOOKS === undefined || env.BANK_SIM_BOOKS === '' ? null : env.BANK_SIM_BOOKS,
  };
}
