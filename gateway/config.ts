import { randomBytes } from 'node:crypto';

export interface FundcoreConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly apiKey: string;
  readonly opsKey: string;
  /** True when the keys were generated for this run (development). */
  readonly generatedKeys: boolean;
  readonly logLevel: string;
}

/** Configuration by environment (DESIGN §8). Missing keys are generated and printed once. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): FundcoreConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be 0..65535, got ${env.PORT}`);
  const apiKey = env.FUNDCORE_API_KEY ?? '';
  const opsKey = env.FUNDCORE_OPS_KEY ?? '';
  const generatedKeys = apiKey === '' || opsKey === '';
  const config = {
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? './data',
    apiKey: apiKey === '' ? `dev-api-${randomBytes(12).toString('hex')}` : apiKey,
    opsKey: opsKey === '' ? `dev-ops-${randomBytes(12).toString('hex')}` : opsKey,
    generatedKeys,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
  if (config.apiKey === config.opsKey) throw new RangeError('FUNDCORE_API_KEY and FUNDCORE_OPS_KEY must differ');
  return config;
}
