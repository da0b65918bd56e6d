import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { eventually } from '../helpers/callback-receiver.js';
import { HttpClient } from '../helpers/http-client.js';
import { tempDir } from '../helpers/ledger.js';
import { bankSimEntry, serverEntry, startBankSim, startServer, type ServerProcess } from '../helpers/server-process.js';
import { repoPath } from '../helpers/repo.js';

const rebuildEntry = repoPath('dist/persistence/projections/rebuild-cli.js');
const apiKey = 'rebuild-api-key';
const opsKey = 'rebuild-ops-key';
const secret = 'rebuild-bank-secret';
const wallets = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'];
const investors = ['w0', 'w1', 'w2'];
const kills = 3;

const missing = !existsSync(serverEntry) || !existsSync(bankSimEntry) || !existsSync(rebuildEntry);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const amount = () => `${1 + Math.floor(Math.random() * 300)}.${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;

/** One random command of the workload; its outcome does not matter here (refusals are traffic too). */
async function randomCommand(http: HttpClient, n: string, ids: string[]): Promise<void> {
  const roll = Math.random();
  if (roll < 0.45) {
    const debit = pick(['bank', ...wallets, 'hot']);
    let credit = pick([...wallets, 'hot']);
    if (credit === debit) credit = 'bank';
    const id = `t-${n}`;
    ids.push(id);
    await http.post('/v1/transfers', { id, debit, credit, amount: amount(), ...(Math.random() < 0.3 ? { pending: true } : {}) });
  } else if (roll < 0.55) {
    const id = pick(ids.length > 0 ? ids : ['none']);
    await http.post(`/v1/transfers/${id}/${pick(['post', 'void'])}`);
  } else if (roll < 0.65) {
    await http.post(`/v1/transfers/${pick(ids.length > 0 ? ids : ['none'])}/reverse`);
  } else if (roll < 0.8) {
    await http.post('/v1/deposits', { id: `d-${n}`, account: pick(investors), amount: amount() });
  } else if (roll < 0.95) {
    await http.post('/v1/investments', { id: `i-${n}`, investor: pick(investors), amount: '100.00', termDays: pick([30, 90]) });
  } else {
    await http.post('/v1/loans', { id: `l-${n}`, borrower: 'bw', amount: '250.00', annualRate: '0.09', termMonths: 3, method: 'equal_installment' });
  }
}

t.test('rebuilt read models equal the live ones after a random workload with SIGKILLs in the middle (one of them during a close)', { skip: missing && 'dist/ is missing: npm test builds it first' }, async (t) => {
  const bank = await startBankSim({ FUNDCORE_BANK_SECRET: secret, BANK_SIM_SEED: '5', BANK_SIM_DELAY_MS: '2-30', BANK_SIM_FAILURE_RATE: '0.1', BANK_SIM_DUPLICATE_RATE: '0.2', BANK_SIM_CALLBACK_RETRY_MS: '50', BANK_SIM_CALLBACK_ATTEMPTS_MAX: '3' });
  t.teardown(() => bank.kill());
  const dataDir = tempDir(t, 'fundcore-rebuild-');
  const env = {
    DATA_DIR: dataDir,
    FUNDCORE_API_KEY: apiKey,
    FUNDCORE_OPS_KEY: opsKey,
    FUNDCORE_BANK_URL: bank.url,
    FUNDCORE_BANK_SECRET: secret,
    FUNDCORE_CLOCK: 'sim',
    FUNDCORE_CLOCK_START: '2031-09-01',
    FUNDCORE_POOL_SHARDS: '2',
    FUNDCORE_BANK_QUERY_AFTER_MS: '300',
  };
  let server: ServerProcess = await startServer(env);
  t.teardown(() => server.kill());
  let http = new HttpClient(server.url, apiKey);

  t.equal((await http.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true })).status, 201);
  for (const id of wallets) t.equal((await http.post('/v1/accounts', { id, kind: 'investor_wallet' })).status, 201);
  t.equal((await http.post('/v1/accounts', { id: 'hot', kind: 'investor_wallet', subAccounts: 4 })).status, 201);
  t.equal((await http.post('/v1/accounts', { id: 'bw', kind: 'borrower_wallet' })).status, 201);
  for (const id of [...investors, 'bw']) t.equal((await http.post('/v1/depository-accounts', { id, account: id })).status, 201);
  await eventually(async () => (await Promise.all([...investors, 'bw'].map(async (id) => (await http.get(`/v1/depository-accounts/${id}`)).body.status))).every((s) => s === 'open'), 20_000);

  let date = '2031-09-01';
  let seq = 0;
  const ids: string[] = [];
  for (let round = 0; round < kills; round++) {
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          await randomCommand(http, `${round}-${seq++}`, ids);
        } catch {
          // The server died under the request: the next round's server carries on.
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 600));
    if (round === 1) {
      // Close the day and kill the node while the close is under way (begun, maybe not completed).
      await http.post('/ops/clock', { advanceDays: 1 }, opsKey).catch(() => undefined);
      void http.post(`/v1/eod/${date}/close`, undefined, opsKey).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    }
    await server.kill();
    running = false;
    await Promise.all(workers);
    server = await startServer(env);
    http = new HttpClient(server.url, apiKey);
    if (round !== 1) await http.post('/ops/clock', { advanceDays: 1 }, opsKey);
    // A close interrupted by the kill is finished by closing the same day again.
    const closed = await http.post(`/v1/eod/${date}/close`, undefined, opsKey);
    t.equal(closed.status, 200, `${date} closed`);
    t.equal(closed.body.balanced, true, `${date} balanced`);
    date = (await http.get('/ops/clock', opsKey)).body.date as string;
  }
  await eventually(async () => {
    const health = (await http.get('/health')).body;
    return health.relay.backlog === 0 && health.projections.lag === 0;
  }, 30_000);
  await server.stop();

  const checked = spawnSync(process.execPath, [rebuildEntry, '--data-dir', dataDir, '--check'], { encoding: 'utf8' });
  t.equal(checked.status, 0, `the check passes:\n${checked.stdout}${checked.stderr}`);
  t.match(checked.stdout, /^equal: /m);
  const sizes = Object.fromEntries([...checked.stdout.matchAll(/(\w+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
  for (const table of ['legs', 'transfers', 'account_parts', 'bank_orders', 'investments', 'eod_balances', 'closed_days']) t.ok((sizes[table] ?? 0) > 0, `${table}: ${sizes[table]} rows compared`);
});
