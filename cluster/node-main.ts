import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { natsConnectionOptions } from './nats-connection.js';
import { pino } from 'pino';
import { HttpBankClient } from '../actors/bank/http-bank-client.js';
import { systemClock } from '../actors/runtime/clock.js';
import { configFromEnv } from '../gateway/config.js';
import { FundcoreMetrics } from '../gateway/metrics/fundcore-metrics.js';
import { ClusterNode, clusterNames } from './cluster-node.js';
import { defaultLeaseLimits } from './leases.js';
import { formatPartitions, parsePartitions, partitionCountDefault } from './partitions.js';

/** Requests to the bank: each at most this long; at most this many at once. */
const bankRequestTimeoutMs = 5_000;
const bankRequestsInFlightMax = 64;

/**
 * The bank depository (FUNDCORE_BANK_URL, FUNDCORE_BANK_SECRET), its callbacks told to go to
 * FUNDCORE_BANK_NOTIFY_URL (a gateway's /v1/bank/callbacks). Without a bank, orders wait in
 * the outbox until a node with one serves their partition.
 */
function bankOf(config: ReturnType<typeof configFromEnv>): HttpBankClient | null {
  if (config.bankUrl === null) return null;
  const notifyUrl = process.env.FUNDCORE_BANK_NOTIFY_URL ?? '';
  if (notifyUrl === '') throw new RangeError('FUNDCORE_BANK_URL needs FUNDCORE_BANK_NOTIFY_URL: where the bank sends its callbacks (a gateway, …/v1/bank/callbacks)');
  const bank = new HttpBankClient({ baseUrl: config.bankUrl, secret: config.bankSecret, clock: systemClock, requestTimeoutMs: bankRequestTimeoutMs, requestsInFlightMax: bankRequestsInFlightMax });
  bank.setNotifyUrl(notifyUrl);
  return bank;
}

function intFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${text}`);
  return value;
}

/**
 * `npm run start:node -- --partitions 0-127`: one cluster node. It serves the partitions it
 * holds leases for, journals to $DATA_DIR/journal, and answers GET /health on HOST:PORT.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { partitions: { type: 'string' } } });
  const partitionCount = intFromEnv('PARTITION_COUNT', partitionCountDefault);
  const partitionsText = values.partitions ?? process.env.PARTITIONS;
  if (partitionsText === undefined) throw new RangeError('say which partitions this node serves: --partitions 0-127 (or PARTITIONS)');
  const partitions = parsePartitions(partitionsText, partitionCount);
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const dataDir = process.env.DATA_DIR ?? './data';
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const leaseTtlMs = intFromEnv('LEASE_TTL_MS', defaultLeaseLimits.leaseTtlMs);
  const leaseLimits = {
    leaseTtlMs,
    leaseRenewEveryMs: intFromEnv('LEASE_RENEW_MS', Math.max(1, Math.floor(leaseTtlMs / 5))),
    leaseSafetyMarginMs: intFromEnv('LEASE_MARGIN_MS', Math.max(1, Math.floor(leaseTtlMs / 20))),
    leaseCheckEveryMs: Math.min(defaultLeaseLimits.leaseCheckEveryMs, Math.max(1, Math.floor(leaseTtlMs / 20))),
  };
  const config = configFromEnv();
  const bank = bankOf(config);
  const nc = await connect(natsConnectionOptions(natsUrl, `fundcore-node-${process.pid}`));
  const metrics = new FundcoreMetrics();
  const node = await ClusterNode.start({
    nc,
    names: clusterNames(process.env.FUNDCORE_CLUSTER ?? 'fundcore'),
    partitionCount,
    partitions,
    dataDir,
    leaseLimits,
    logger,
    lending: config.lending,
    businessClock: config.businessClock,
    observer: metrics.observer,
    ...(bank !== null ? { bank } : {}),
    ...(process.env.NODE_ID !== undefined && process.env.NODE_ID !== '' ? { nodeId: process.env.NODE_ID } : {}),
  });
  void (async () => {
    for await (const status of nc.status()) logger.info({ nats: status.type }, 'nats connection');
  })();
  node.lendingReady.then(
    () => logger.info('lending ready'),
    () => void node.stop().finally(() => process.exit(1)),
  );
  // Every series labelled with the node's id: one Prometheus job scrapes every node's /metrics apart.
  metrics.registry.setDefaultLabels({ node: node.nodeId });
  metrics.watch({
    actors: () => node.system.stats(),
    mailboxes: () => node.system.mailboxes(),
    relayBacklog: () => node.system.relay.stats().backlog,
    relayRefusedForNow: () => node.system.relay.stats().refusedForNow,
    // Its journal not yet in the log stream; the read models (and bank orders by status) are the gateways'.
    projectionLag: () => node.publisher.lag(),
  });
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(node.health()));
      return;
    }
    if (request.method === 'GET' && request.url === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        response.end(text);
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'route_not_found', message: 'a node answers GET /health and GET /metrics only; clients use the gateway' } }));
  });
  const host = process.env.HOST ?? '127.0.0.1';
  const port = intFromEnv('PORT', 8090);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const url = typeof address === 'object' && address !== null ? `http://${host}:${address.port}` : String(address);
  logger.info({ address: url, nodeId: node.nodeId, partitions: formatPartitions(partitions), natsUrl, dataDir }, 'fundcore cluster node is listening');
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close();
    await node.stop();
    await nc.drain().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fundcore node failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
