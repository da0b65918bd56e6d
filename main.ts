import { pino } from 'pino';
import { FundcoreNode } from './actors/node.js';
import { buildGateway } from './gateway/app.js';
import { configFromEnv } from './gateway/config.js';

/** `npm start`: one embedded node and its gateway, no external service. */
async function main(): Promise<void> {
  const config = configFromEnv();
  const logger = pino({ level: config.logLevel });
  const node = FundcoreNode.start({ dataDir: config.dataDir, logger });
  const app = await buildGateway({
    ledger: node.ledger,
    ops: { inspectActor: (id) => node.system.inspect(id), health: () => node.health() },
    keys: { apiKey: config.apiKey, opsKey: config.opsKey },
    logger: { level: config.logLevel },
  });
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ address, dataDir: config.dataDir }, 'fundcore is listening');
  if (config.generatedKeys) {
    // Development keys, printed once so a new user can call the API at once.
    process.stdout.write(`\nfundcore listening on ${address}\n  FUNDCORE_API_KEY=${config.apiKey}\n  FUNDCORE_OPS_KEY=${config.opsKey}\n\n`);
  }
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await app.close();
    await node.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fundcore failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
