import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { opsKey } from '../helpers/gateway.js';
import { quiescent } from '../helpers/ledger.js';
import { listeningGateway } from '../helpers/ops-gateway.js';

/** The installed entry (package.json `bin`), spawned as `npx fundcore` runs it. */
const bin = fileURLToPath(new URL('../../bin/fundcore.js', import.meta.url));

function fundcore(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

t.test('the CLI against a running gateway: actors, busiest, inspect, clock set; --json; refusals', async (t) => {
  // Given a gateway in simulation mode with a bank and a funded wallet
  const g = await listeningGateway(t, { node: { businessClock: { mode: 'sim', startDate: '2026-01-05' } } });
  await g.call('POST', '/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await g.call('POST', '/v1/accounts', { id: 'w1', kind: 'investor_wallet' });
  await g.call('POST', '/v1/transfers', { id: 'fund-w1', debit: 'bank', credit: 'w1', amount: '12.50' });
  await quiescent(g.node);
  const env = { FUNDCORE_URL: g.url, FUNDCORE_OPS_KEY: opsKey };

  // When listing account actors as JSON
  const listed = await fundcore(['actors', '--type', 'acct', '--json'], env);
  t.equal(listed.code, 0, listed.stderr);
  const ids = (JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((row) => row.id);
  t.ok(ids.includes('acct:w1') && ids.includes('acct:bank'), 'the accounts are listed');

  // and as a table of the busiest mailboxes, with the URL and key as flags
  const busiest = await fundcore(['actors', '--busiest', '10', '--url', g.url, '--key', opsKey]);
  t.equal(busiest.code, 0, busiest.stderr);
  t.match(busiest.stdout, /actor.*type.*state.*mailbox.*seq/);
  t.match(busiest.stdout, /acct:w1 .*live/);

  // and inspecting a wallet: its state as the decider sees it and its last events
  const inspected = await fundcore(['inspect', 'acct:w1'], env);
  t.equal(inspected.code, 0, inspected.stderr);
  t.match(inspected.stdout, /state:/);
  t.match(inspected.stdout, /last events:/);
  t.match(inspected.stdout, /credit/i, 'the credit of fund-w1 is among its events');
  const asJson = JSON.parse((await fundcore(['inspect', 'acct:w1', '--json'], env)).stdout) as { id: string; seq: number };
  t.equal(asJson.id, 'acct:w1');
  t.ok(asJson.seq >= 2, 'opened and credited');

  // and setting the business clock
  const set = await fundcore(['clock', 'set', '2026-02-01', '--json'], env);
  t.equal(set.code, 0, set.stderr);
  t.match(set.stdout, /2026-02-01/);
  t.match(JSON.stringify((await g.call('GET', '/ops/clock', undefined, opsKey)).body), /2026-02-01/, 'the gateway has the new date');

  // Then refusals are clear and have their exit codes
  const back = await fundcore(['clock', 'set', '2026-01-01'], env);
  t.equal(back.code, 1);
  t.match(back.stderr, /clock_cannot_go_back/);
  const missing = await fundcore(['inspect', 'acct:nobody'], env);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /actor_not_found/);
  const wrongKey = await fundcore(['actors', '--url', g.url, '--key', 'not-the-key']);
  t.equal(wrongKey.code, 1);
  t.match(wrongKey.stderr, /unauthorized/);
  t.equal((await fundcore(['dance'], env)).code, 2, 'unknown command');
  t.equal((await fundcore(['actors', '--busiest', 'many'], env)).code, 2, 'bad flag value');
  t.equal((await fundcore(['actors'], { FUNDCORE_URL: g.url, FUNDCORE_OPS_KEY: '' })).code, 2, 'no key');
});
