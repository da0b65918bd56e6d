import t from 'tap';
import { opsKey } from '../helpers/gateway.js';
import { quiescent } from '../helpers/ledger.js';
import { listeningGateway } from '../helpers/ops-gateway.js';
import { fundcore } from '../helpers/cli.js';

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

t.test('usage conventions: --help exits 0 with the usage on stdout; usage errors exit 2 with the usage on stderr; an unknown command is named before the key is asked for', async (t) => {
  const noKey = { FUNDCORE_OPS_KEY: '', FUNDCORE_URL: 'http://127.0.0.1:9' };
  for (const args of [['--help'], ['-h'], ['help'], ['clock', '--help']]) {
    const help = await fundcore(args, noKey);
    t.equal(help.code, 0, `${args.join(' ')}: exit 0`);
    t.match(help.stdout, /fundcore inspect <actor-id>/, `${args.join(' ')}: the usage on stdout`);
    t.equal(help.stderr, '');
  }
  const bare = await fundcore([], noKey);
  t.equal(bare.code, 2, 'no command: a usage error');
  t.equal(bare.stdout, '');
  t.match(bare.stderr, /name a command[\s\S]*fundcore inspect <actor-id>/, 'what is wrong, then the usage, on stderr');
  const bogus = await fundcore(['bogus'], noKey);
  t.equal(bogus.code, 2);
  t.match(bogus.stderr, /unknown command "bogus" \(commands: inspect, actors, clock, verify, backup, restore\)/, 'the unknown command is named, not the missing key');
  t.notMatch(bogus.stderr, /give the ops key/);
  const cases: [string[], RegExp][] = [
    [['inspect'], /inspect takes one actor id/],
    [['actors', 'extra'], /actors takes no arguments/],
    [['clock', 'advance', 'soon'], /advance takes a positive integer/],
    [['actors', '--nope'], /Unknown option '--nope'/],
  ];
  for (const [args, message] of cases) {
    const answer = await fundcore(args, noKey);
    t.equal(answer.code, 2, `${args.join(' ')}: exit 2`);
    t.match(answer.stderr, message, `${args.join(' ')}: says why, before asking for the key`);
    t.match(answer.stderr, /options: --url/, 'and the usage');
  }
  const keyMissing = await fundcore(['actors'], noKey);
  t.equal(keyMissing.code, 2);
  t.match(keyMissing.stderr, /give the ops key: --key or FUNDCORE_OPS_KEY/);
});
