import { openPlatformDepositoryAccounts } from '../../gateway/platform-bank.js';
import type { Test } from 'tap';
import { HttpBankClient } from '../../actors/bank/http-bank-client.js';
import type { LendingConfig } from '../../actors/lending/lending-config.js';
import { FundcoreNode } from '../../actors/node.js';
import { systemClock } from '../../actors/runtime/clock.js';
import { defaultBehaviour, type BankBehaviour } from '../../bench/bank-sim/config.js';
import { BankSimulator } from '../../bench/bank-sim/simulator.js';
import { bankCallbackPath } from '../../gateway/auth.js';
import { nodeGateway } from '../../gateway/node-gateway.js';
import { HttpClient } from './http-client.js';
import { tempDir } from './ledger.js';

export const e2eKeys: { readonly apiKey: string; readonly opsKey: string } = { apiKey: 'e2e-api-key', opsKey: 'e2e-ops-key' };
export const e2eBankSecret = 'e2e-bank-secret';
const bankSecret = e2eBankSecret;

export interface E2eOptions {
  readonly seed: number;
  readonly behaviour: Partial<BankBehaviour>;
  readonly startDate: string;
  readonly poolShards: number;
  /** Lending settings beyond the shard count (e.g. a short redemptionRecheckMs). */
  readonly lending?: Partial<LendingConfig>;
  /** The currencies the platform books (FUNDCORE_CURRENCIES); default: every known one. */
  readonly currencies?: readonly string[];
}

/**
 * The bank simulator in process on a real socket, a node on a fresh LMDB directory with the
 * simulated business clock, and its gateway listening: what every end-to-end test starts
 * from. Torn down with the test.
 */
export async function startSimulatedPlatform(t: Test, options: E2eOptions) {
  const sim = await startBankSimulator(t, options);
  const bank = bankClientOf(sim);
  const node = await FundcoreNode.boot({
    dataDir: tempDir(t, 'fundcore-e2e-'),
    bank,
    businessClock: { mode: 'sim', startDate: options.startDate },
    lending: e2eLending(options),
    ...(options.currencies === undefined ? {} : { currencies: options.currencies }),
  });
  const app = await nodeGateway(node, { keys: e2eKeys, bankSecret });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  bank.setNotifyUrl(`${address}${bankCallbackPath}`);
  // As npm start does: the platform's revenue and guarantee accounts at the bank (fees and interest payouts go there).
  await openPlatformDepositoryAccounts(node.bank);
  t.teardown(async () => {
    await app.close();
    await node.stop();
  });
  return { sim, node, app, address, http: new HttpClient(address, e2eKeys.apiKey) };
}

/** The bank simulator in process on a real socket, as the end-to-end tests run it. */
export async function startBankSimulator(t: Test, options: { readonly seed: number; readonly behaviour: Partial<BankBehaviour> }): Promise<BankSimulator> {
  const sim = await BankSimulator.start({
    host: '127.0.0.1',
    port: 0,
    secret: bankSecret,
    seed: options.seed,
    behaviour: { ...defaultBehaviour, ...options.behaviour },
    callbackRetryMs: 20,
    callbackAttemptsMax: 4,
    callbackTimeoutMs: 2_000,
    timestampToleranceMs: 60_000,
  });
  t.teardown(() => sim.close());
  return sim;
}

/** A node's client of the simulator (its callbacks' address is set once the gateway listens). */
export function bankClientOf(sim: BankSimulator): HttpBankClient {
  return new HttpBankClient({ baseUrl: sim.url, secret: bankSecret, clock: systemClock, requestTimeoutMs: 2_000, requestsInFlightMax: 16 });
}

/** Lending settings of the end-to-end platforms: the bank swept quickly. */
export function e2eLending(options: Pick<E2eOptions, 'poolShards' | 'lending'>): Partial<LendingConfig> {
  return { poolShards: options.poolShards, bankQueryAfterMs: 250, bankQueryIntervalMaxMs: 1_000, ...options.lending };
}
