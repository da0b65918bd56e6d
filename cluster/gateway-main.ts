import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { natsConnectionOptions } from './nats-connection.js';
import { pino } from 'pino';
import { configFromEnv } from '../gateway/config.js';
import { FundcoreMetrics } from '../gateway/metrics/fundcore-metrics.js';
import { defaultRoutingLimits } from './nats-bus.js';
import { clusterGateway } from './cluster-gateway.js';
import type { BankService } from '../actors/bank/bank-service.js';
import type { Logger } from '../actors/runtime/clock.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import type { AccountLookup } from '../actors/ledger/ledger-api.js';
import { systemAccounts } from '../actors/lending/ids.js';
import { fundGuaranteeReserve, openPlatformDepositoryAccounts } from '../gateway/platform-bank.js';
import { clusterNames } from './cluster-node.js';
import { LeaseWatch } from './lease-watch.js';
import { partitionCountDefault } from './partitions.js';

/**
 * `npm run start:gateway`: the HTTP gateway of a cluster. It owns no partition: every
 * command goes over NATS to the node serving the partition of the account that decides it.
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  const logger = pino({ level: config.logLevel });
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const partitionCount = Number(process.env.PARTITION_COUNT ?? partitionCountDefault);
  const routeDeadlineMs = Number(process.env.ROUTE_DEADLINE_MS ?? defaultRoutingLimits.routeDeadlineMs);
  const nc = await connect(natsConnectionOptions(natsUrl, `fundcore-gateway-${process.pid}`));
  let natsState = 'connected';
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') natsState = 'reconnecting';
      if (status.type === 'reconnect') natsState = 'connected';
      logger.info({ nats: status.type }, 'nats connection');
    }
  })();
  const { subjectPrefix, bucketPrefix } = clusterNames(process.env.FUNDCORE_CLUSTER ?? 'fundcore');
  const metrics = new FundcoreMetrics();
  // Requests to a node that dies are ended once its leases go unrenewed for the TTL (503 partition_unavailable).
  const leaseWatch = new LeaseWatch({ openLeases: () => new Kvm(nc).open(`${bucketPrefix}_leases`), openRetryMs: 1_000, checkEveryMs: 100, logger });
  leaseWatch.start();
  if (config.generatedBankSecret) logger.warn('no FUNDCORE_BANK_SECRET: bank callbacks cannot be verified and are refused (give the gateway the secret the bank and the nodes share)');
  const { app, bank, ledger, stop: stopGateway } = await clusterGateway({
    nc,
    names: { subjectPrefix, bucketPrefix },
    partitionCount,
    keys: { apiKey: config.apiKey, opsKey: config.opsKey, moreApiKeys: config.moreApiKeys },
    bankSecret: config.bankSecret,
    lending: config.lending,
    businessClock: config.businessClock,
    routeDeadlineMs,
    leaseWatch,
    metrics,
    health: () => ({ status: natsState === 'connected' ? 'ok' : 'degraded', role: 'gateway', nats: natsState, natsUrl, partitionCount }),
    requestLimits: config.requestLimits,
    logger: { level: config.logLevel },
    log: logger,
    logLevel: config.logLevel,
    natsServers: natsUrl,
    // Its read models: a file keeps them across restarts; without one they are rebuilt from the log stream at start.
    ...(process.env.FUNDCORE_READ_DB !== undefined && process.env.FUNDCORE_READ_DB !== '' ? { readModelPath: process.env.FUNDCORE_READ_DB } : {}),
    archiving: config.archiving,
    ...(config.currencies !== undefined ? { currencies: config.currencies } : {}),
    ...(config.readSideNice !== undefined ? { readSideThreadNice: config.readSideNice } : {}),
  });
  const address = await app.listen({ host: config.host, port: config.port });
  // With a bank (its secret given): in the background, as the nodes serving the orders may still be starting.
  if (!config.generatedBankSecret) void preparePlatformBank(bank, ledger, config.guaranteeReserveMinor, logger);
  logger.info({ address, natsUrl, partitionCount }, 'fundcore cluster gateway is listening');
  if (config.generatedKeys) {
    process.stdout.write(`\nfundcore gateway listening on ${address}\n  FUNDCORE_API_KEY=${config.apiKey}\n  FUNDCORE_OPS_KEY=${config.opsKey}\n\n`);
  }
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await stopGateway();
    leaseWatch.stop();
    await nc.drain().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The platform's depository accounts and guarantee reserve (as npm start does), once the
 * nodes have opened the system accounts the reserve's posting moves (a deposit the bank
 * books while the ledger cannot post it would set the two apart), retried while their
 * partitions are unserved.
 */
async function preparePlatformBank(bank: BankService, ledger: AccountLookup, reserveMinor: bigint, logger: Logger): Promise<void> {
  for (;;) {
    try {
      if (!(await systemAccountsOpen(ledger))) throw new ActorRuntimeError('partition_unavailable', 'the system accounts are not open yet');
      await openPlatformDepositoryAccounts(bank);
      await fundGuaranteeReserve(bank, reserveMinor, logger);
      return;
    } catch (error) {
      if (!isRuntimeError(error)) {
        logger.warn({ err: error }, "the platform's depository accounts are not ready: compensations and interest payouts fail at a strict bank");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, platformBankRetryMs));
    }
  }
}

const platformBankRetryMs = 1_000;

async function systemAccountsOpen(ledger: AccountLookup): Promise<boolean> {
  for (const id of [systemAccounts.bank, systemAccounts.revenue, systemAccounts.guarantee]) if (!(await ledger.getAccount(id)).ok) return false;
  return true;
}

main().catch((error: unknown) => {
  process.stderr.write(`fundcore gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
