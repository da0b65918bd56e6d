import { DemoHttp } from './http.js';
import { runStory } from './runner.js';

/**
 * `npm run demo`: the lending story against a running node. FUNDCORE_URL (default http://127.0.0.1:8080), and
 * the keys `npm start` printed: FUNDCORE_API_KEY, FUNDCORE_OPS_KEY. The whole story needs FUNDCORE_CLOCK=sim.
 */
async function main(): Promise<number> {
  const url = process.env.FUNDCORE_URL ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '8080'}`;
  const apiKey = process.env.FUNDCORE_API_KEY ?? '';
  const opsKey = process.env.FUNDCORE_OPS_KEY ?? '';
  if (apiKey === '' || opsKey === '') {
    process.stderr.write('npm run demo needs the keys npm start printed: export FUNDCORE_API_KEY=… FUNDCORE_OPS_KEY=…\n');
    return 2;
  }
  const health = await fetch(`${url}/health`).catch(() => null);
  if (health === null || !health.ok) {
    process.stderr.write(`no fundcore node answers at ${url} (start one with FUNDCORE_CLOCK=sim npm start, or set FUNDCORE_URL)\n`);
    return 1;
  }
  const run = `demo${Date.now().toString(36)}`;
  process.stdout.write(`fundcore lending demo against ${url} (ids prefixed ${run}-)\n\n`);
  await runStory({ http: new DemoHttp(url, apiKey, opsKey), run, notes: [], simulated: false }, (line) => process.stdout.write(`${line}\n`));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
