import { bankSimConfigFromEnv } from './config.js';
import { BankSimulator } from './simulator.js';

/** `npm run bank-sim`: the bank depository simulator alone (configured by BANK_SIM_* and FUNDCORE_BANK_SECRET). */
async function main(): Promise<void> {
  const config = bankSimConfigFromEnv();
  const sim = await BankSimulator.start(config);
  const generated = process.env.FUNDCORE_BANK_SECRET === undefined;
  process.stdout.write(`bank simulator listening on ${sim.url}\n`);
  if (generated) process.stdout.write(`  FUNDCORE_BANK_SECRET=${config.secret}  (give fundcore the same)\n`);
  process.stdout.write(`  behaviour ${JSON.stringify(config.behaviour)} seed ${config.seed}\n`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`bank simulator failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
