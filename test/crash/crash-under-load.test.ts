import { existsSync } from 'node:fs';
import t from 'tap';
import { tempDir } from '../helpers/ledger.js';
import { serverEntry, startServer, type ServerProcess } from '../helpers/server-process.js';

const apiKey = 'crash-api-key';
const opsKey = 'crash-ops-key';
const wallets = Array.from({ length: 12 }, (_, i) => `w${i}`);
const kills = 5;
const fundingMinor = 1_000_00n;

interface Attempt {
  readonly id: string;
  readonly debit: string;
  readonly credit: string;
  readonly amountMinor: bigint;
  /** The final answer: 201 accepted, 4xx refused; null while unknown (no answer, or a 503). */
  status: number | null;
}

const amountText = (minor: bigint) => `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;

async function send(server: ServerProcess, attempt: Attempt): Promise<void> {
  try {
    const response = await fetch(`${server.url}/v1/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: attempt.id, debit: attempt.debit, credit: attempt.credit, amount: amountText(attempt.amountMinor) }),
    });
    await response.arrayBuffer();
    if (response.status < 500) attempt.status = response.status;
  } catch {
    // The connection died with the server: the outcome is unknown until a retry tells.
  }
}

async function call(server: ServerProcess, path: string, key = apiKey): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: await response.json() };
}

async function post(server: ServerProcess, path: string, body: object): Promise<number> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function untilQuiet(server: ServerProcess): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const health = await call(server, '/health');
    if (health.body.relay.backlog === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the relay did not drain');
}

t.test('SIGKILL under concurrent load, 5 times: every acknowledged transfer present exactly once, the ledger sums to zero', { skip: !existsSync(serverEntry) && 'dist/main.js is missing: npm test builds it first' }, async (t) => {
  const dataDir = tempDir(t, 'fundcore-crash-');
  const env = { DATA_DIR: dataDir, FUNDCORE_API_KEY: apiKey, FUNDCORE_OPS_KEY: opsKey, LOG_LEVEL: 'warn' };
  let server = await startServer({ ...env, LOG_LEVEL: 'info' });
  t.teardown(() => server.kill());
  t.equal(await post(server, '/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true }), 201);
  for (const w of wallets) {
    t.equal(await post(server, '/v1/accounts', { id: w, kind: 'investor_wallet' }), 201);
    t.equal(await post(server, '/v1/transfers', { id: `fund-${w}`, debit: 'bank', credit: w, amount: amountText(fundingMinor) }), 201);
  }
  await untilQuiet(server);

  const attempts: Attempt[] = [];
  let seq = 0;
  for (let round = 0; round < kills; round++) {
    let running = true;
    const worker = async () => {
      while (running) {
        const debit = wallets[Math.floor(Math.random() * wallets.length)] as string;
        let credit = wallets[Math.floor(Math.random() * wallets.length)] as string;
        if (credit === debit) credit = 'bank';
        const attempt: Attempt = { id: `r${round}-${seq++}`, debit, credit, amountMinor: BigInt(1 + Math.floor(Math.random() * 30_000)), status: null };
        attempts.push(attempt);
        await send(server, attempt);
        if (attempt.status === null && !running) return;
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
    await server.kill();
    running = false;
    await Promise.all(workers);
    server = await startServer({ ...env, LOG_LEVEL: 'info' });
    // Retry every command whose outcome is unknown, with the same id and content, until it is known.
    for (const attempt of attempts.filter((a) => a.status === null)) {
      for (let tries = 0; attempt.status === null && tries < 50; tries++) await send(server, attempt);
    }
  }
  await untilQuiet(server);

  const unknown = attempts.filter((a) => a.status === null);
  t.equal(unknown.length, 0, 'every command has a definite outcome after its retries');
  const accepted = attempts.filter((a) => a.status === 201);
  t.ok(accepted.length > 50, `load was real: ${accepted.length} transfers accepted of ${attempts.length}`);
  t.same([...new Set(attempts.map((a) => a.status))].filter((s) => s !== 201 && s !== 422), [], 'refusals are only insufficient_funds');

  const expected = new Map<string, bigint>([['bank', -fundingMinor * BigInt(wallets.length)]]);
  for (const w of wallets) expected.set(w, fundingMinor);
  for (const a of accepted) {
    expected.set(a.debit, (expected.get(a.debit) ?? 0n) - a.amountMinor);
    expected.set(a.credit, (expected.get(a.credit) ?? 0n) + a.amountMinor);
  }
  let sum = 0n;
  for (const [id, minor] of expected) {
    const account = await call(server, `/v1/accounts/${id}`);
    const total = BigInt(String(account.body.total).replace('.', ''));
    sum += total;
    t.equal(total, minor, `${id}: every accepted transfer applied exactly once`);
  }
  t.equal(sum, 0n, 'the ledger sums to zero');
  let missing = 0;
  for (const a of accepted) {
    const found = await call(server, `/v1/transfers/${a.id}`);
    if (found.status !== 200 || found.body.creditInFlight !== false || found.body.amount !== amountText(a.amountMinor)) missing++;
  }
  t.equal(missing, 0, 'every acknowledged transfer is there, posted, with its credit landed');
  await server.stop();
});
