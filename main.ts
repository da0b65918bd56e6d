import { join } from 'node:path';
import { pino } from 'pino';
import { HttpBankClient } from './actors/bank/http-bank-client.js';
import { FundcoreNode } from './actors/node.js';
import { JournalUpgradeRequiredError } from './persistence/journal-upgrade/upgrade-journal.js';
import { systemClock, systemTimers } from './actors/runtime/clock.js';
import { BackupSchedule } from './cli/backup-schedule.js';
import { bankSimConfigFromEnv } from './bench/bank-sim/config.js';
import { BankSimulator } from './bench/bank-sim/simulator.js';
import { bankCallbackPath } from './gateway/auth.js';
import { configFromEnv } from './gateway/config.js';
import { FundcoreMetrics } from './gateway/metrics/fundcore-metrics.js';
import { nodeGateway } from './gateway/node-gateway.js';
import { fundGuaranteeReserve, openPlatformDepositoryAccounts } from './gateway/platform-bank.js';
import { embeddedBankRoutes } from './gateway/routes/embedded-bank.js';

/** Requests to the bank: each at most this long; at most this many at once. */
const bankRequestTimeoutMs = 5_000;
const bankRequestsInFlightMax = 64;

/** `npm start`: one embedded node and its gateway; the bank simulator in process unless FUNDCORE_BANK_URL names a bank. */
async function main(): Promise<void> {
  const config = configFromEnv();
  const logger = pino({ level: config.logLevel });
  let simulator: BankSimulator | null = null;
  if (config.bankUrl === null) {
    // Its books live under DATA_DIR, next to the journal that remembers which depository accounts are open.
    const booksPath = join(config.dataDir, 'bank-sim', 'books.db');
    simulator = await BankSimulator.start({ ...bankSimConfigFromEnv(process.env, config.bankSecret), host: '127.0.0.1', port: 0, secret: config.bankSecret, booksPath });
    logger.info({ bankUrl: simulator.url, behaviour: simulator.behaviour }, 'bank simulator started in process');
  }
  const bankUrl = config.bankUrl ?? (simulator as BankSimulator).url;
  const bank = new HttpBankClient({ baseUrl: bankUrl, secret: config.bankSecret, clock: systemClock, requestTimeoutMs: bankRequestTimeoutMs, requestsInFlightMax: bankRequestsInFlightMax });
  const metrics = new FundcoreMetrics();
  const node = await FundcoreNode.boot({ dataDir: config.dataDir, logger, bank, businessClock: config.businessClock, lending: config.lending, observer: metrics.observer, statementJobs: config.statementJobs, archiving: config.archiving, ...(config.currencies !== undefined ? { currencies: config.currencies } : {}), ...(config.readSideNice !== undefined ? { readSideThreadNice: config.readSideNice } : {}) });
  await openPlatformDepositoryAccounts(node.bank);
  const app = await nodeGateway(node, {
    keys: { apiKey: config.apiKey, opsKey: config.opsKey, moreApiKeys: config.moreApiKeys },
    bankSecret: config.bankSecret,
    logger: { level: config.logLevel },
    metrics,
    requestLimits: config.requestLimits,
  });
  if (simulator !== null) embeddedBankRoutes(app, simulator);
  const backups = config.backups === null ? null : new BackupSchedule(config.dataDir, config.backups, systemTimers, logger);
  backups?.start();
  const address = await app.listen({ host: config.host, port: config.port });
  bank.setNotifyUrl(`${config.publicUrl ?? address}${bankCallbackPath}`);
  logger.info({ address, dataDir: config.dataDir, bankUrl, businessClock: node.clock.view() }, 'fundcore is listening');
  // In the background (it waits for the bank): a failure is logged, never an unhandled rejection that would end the node.
  void fundGuaranteeReserve(node.bank, config.guaranteeReserveMinor, logger).catch((error: unknown) => logger.warn({ err: error }, 'guarantee reserve not deposited'));
  if (config.generatedKeys || config.generatedBankSecret) {
    // Development keys, printed once so a new user can call the API at once.
    const exports = `export FUNDCORE_API_KEY=${config.apiKey} FUNDCORE_OPS_KEY=${config.opsKey}`;
    process.stdout.write(`\nfundcore listening on ${address}\n  FUNDCORE_API_KEY=${config.apiKey}\n  FUNDCORE_OPS_KEY=${config.opsKey}\n  bank depository: ${bankUrl}\n\nin the shell you call it from:\n  ${exports}\n\n`);
  }
  let stopping = false;
  // Drain, then exit 0: no new requests, the actors stopped with their journal flushed, the bank simulator's books closed.
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await app.close();
      await backups?.stop();
      await node.stop();
      await simulator?.close();
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // A journal to upgrade is the operator's to act on: the message says how, a stack would only bury it.
  const told = error instanceof JournalUpgradeRequiredError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`fundcore failed to start: ${told}\n`);
  process.exit(1);
});
