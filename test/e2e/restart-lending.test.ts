import { existsSync } from 'node:fs';
import t from 'tap';
import { DemoHttp } from '../../demo/http.js';
import { runStory } from '../../demo/runner.js';
import { story, type StoryContext } from '../../demo/story.js';
import { tempDir } from '../helpers/ledger.js';
import { serverEntry, startServer, type ServerProcess } from '../helpers/server-process.js';

const keys = { FUNDCORE_API_KEY: 'restart-api-key', FUNDCORE_OPS_KEY: 'restart-ops-key' };
const skip = !existsSync(serverEntry) && 'dist/main.js is missing: npm test builds it first';

t.test('npm start stopped (SIGTERM) and started again twice on the same DATA_DIR in the middle of a lending story: the embedded bank remembers its accounts, lending goes on', { skip }, async (t) => {
  const env = { ...keys, DATA_DIR: tempDir(t, 'fundcore-restart-'), FUNDCORE_CLOCK: 'sim', FUNDCORE_CLOCK_START: '2030-01-02' };
  let server: ServerProcess = await startServer(env, 60_000);
  t.teardown(() => server.stop());
  const http = (url: string) => new DemoHttp(url, keys.FUNDCORE_API_KEY, keys.FUNDCORE_OPS_KEY);
  const ctx: StoryContext = { http: http(server.url), run: 'rs', notes: [], simulated: false };
  // After the payout (before the first repayment) and after the first repayment (before the overdue period).
  const restartAfter = new Set([story.findIndex((s) => s.title.startsWith('approval')), story.findIndex((s) => s.title.includes('repays period 1'))]);
  t.notOk(restartAfter.has(-1), 'both restart points are steps of the story');
  const lines: string[] = [];
  let restarts = 0;
  await runStory(ctx, (line) => lines.push(line), async (index) => {
    if (!restartAfter.has(index)) return;
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    await server.stop();
    t.equal(await exited, 0, `restart ${++restarts}: the node drained and exited 0`);
    server = await startServer(env, 60_000);
    ctx.http = http(server.url);
    lines.push(`    -- restarted on the same DATA_DIR (${restarts}) --`);
  });
  t.comment(lines.join('\n'));
  t.equal(restarts, 2);
  const second = await ctx.http.read('/v1/loans/rs-loan/repayments/rs-r1');
  t.equal(second.status, 'succeeded', 'the repayment after the first restart went through the bank');
  const periods = (await ctx.http.read('/v1/loans/rs-loan/schedule')).periods as { number: number; status: string }[];
  t.same(periods.slice(0, 2).map((p) => p.status), ['paid', periods[1]?.status === 'compensated' ? 'compensated' : 'paid'], 'periods 1 and 2 settled after the restarts');
  t.equal((await ctx.http.read('/v1/investments/rs-inv-ann/redemption')).status, 'completed', 'the redemption completed');
  const reconciliation = await ctx.http.read('/v1/reconciliations/rs-recon', keys.FUNDCORE_OPS_KEY);
  t.match(reconciliation.summary, { missing_internally: 0, missing_at_bank: 0, amount_mismatch: 0, status_mismatch: 0 }, "the bank's books (kept across restarts) and fundcore's agree");
  t.ok(reconciliation.summary.matched > 0);
});
