import t from 'tap';
import { pacedLoad, statusCounts } from '../../bench/flood/paced-load.js';
import { apiKey, opsKey } from '../helpers/gateway.js';
import { balanceOf, quiescent } from '../helpers/ledger.js';
import { listeningGateway, otherApiKey } from '../helpers/ops-gateway.js';

/** The rate one key may keep up (its limit), and the flood: ten times that, for ten seconds. */
const sustainablePerSecond = 20;
const floodFactor = 10;
const floodMs = 10_000;

t.test('a flood of 10x the sustainable rate from one key: the excess is refused with 429/503, nothing else fails, nothing accepted is lost', async (t) => {
  // Given a gateway that lets a key make 20 requests a second, a funded bank and two wallets
  const g = await listeningGateway(t, { requestLimits: { requestsPerKeyMax: sustainablePerSecond, rateWindowMs: 1_000 } });
  await g.call('POST', '/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true }, opsKey);
  await g.call('POST', '/v1/accounts', { id: 'flooded', kind: 'investor_wallet' }, opsKey);
  await g.call('POST', '/v1/accounts', { id: 'calm', kind: 'investor_wallet' }, opsKey);

  // When one key floods at 200/s for 10 s while a second key sends 4/s, and ops look at /health
  const transfer = (prefix: string, credit: string) => (n: number) => ({ path: '/v1/transfers', body: { id: `${prefix}-${n}`, debit: 'bank', credit, amount: '1.00' } });
  const healthDuringFlood: number[] = [];
  const probing = (async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      healthDuringFlood.push((await g.call('GET', '/health')).status);
    }
  })();
  const [flood, calm] = await Promise.all([
    pacedLoad({ url: g.url, key: apiKey, ratePerSecond: sustainablePerSecond * floodFactor, durationMs: floodMs, request: transfer('flood', 'flooded') }),
    pacedLoad({ url: g.url, key: otherApiKey, ratePerSecond: 4, durationMs: floodMs, request: transfer('calm', 'calm') }),
  ]);
  await probing;
  await quiescent(g.node);

  // Then the flood's excess got 429 (with Retry-After) or 503, and nothing any other status
  const counts = statusCounts(flood);
  t.same(Object.keys(counts).map(Number).filter((s) => ![201, 429, 503].includes(s)), [], `only 201, 429, 503: ${JSON.stringify(counts)}`);
  const accepted = flood.filter((r) => r.status === 201);
  const windows = Math.ceil(floodMs / 1_000) + 1;
  t.ok(accepted.length <= sustainablePerSecond * windows, `at most the limit per window was accepted (${accepted.length})`);
  t.ok(accepted.length >= sustainablePerSecond, 'the key was still served within its limit');
  t.ok((counts[429] ?? 0) + (counts[503] ?? 0) >= flood.length - sustainablePerSecond * windows, 'the excess was refused');
  t.ok(flood.filter((r) => r.status === 429).every((r) => r.retryAfter !== null && Number(r.retryAfter) >= 0), '429s carry Retry-After');
  // The other key was not limited by the flood
  t.same(statusCounts(calm), { 201: calm.length }, 'the well-behaved key got every request through');
  t.ok(healthDuringFlood.every((status) => status === 200), '/health answered during the flood');

  // And every accepted transfer is in the ledger, posted, and the balances are their sum
  // (read from the node itself: over HTTP these reads would count against the keys' limits)
  const missing: string[] = [];
  for (const result of [...accepted, ...calm]) {
    const read = await g.node.ledger.getTransfer(result.id);
    if (!read.ok || read.value.record.status !== 'posted') missing.push(result.id);
  }
  t.same(missing, [], 'every 201 is a posted transfer');
  t.equal(await balanceOf(g.node, 'flooded'), BigInt(accepted.length) * 100n, 'the flooded wallet holds exactly the accepted transfers');
  t.equal(await balanceOf(g.node, 'calm'), BigInt(calm.length) * 100n);
  const refusedIds = flood.filter((r) => r.status !== 201).map((r) => r.id);
  const stray = (await Promise.all(refusedIds.map((id) => g.node.ledger.getTransfer(id)))).filter((read) => read.ok);
  t.equal(stray.length, 0, 'a refused request left no transfer');
});

t.test('beyond the requests the gateway serves at once, it sheds with 503 overloaded; /health and ops routes are never shed', async (t) => {
  const g = await listeningGateway(t, { requestLimits: { requestsInFlightMax: 1 } });
  await g.call('POST', '/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await g.call('POST', '/v1/accounts', { id: 'w', kind: 'investor_wallet' });
  // Injected all in one turn, so they are all in the gateway at once
  const injected = await Promise.all(
    Array.from({ length: 40 }, (_, n) =>
      g.app.inject({ method: 'POST', url: '/v1/transfers', headers: { authorization: `Bearer ${apiKey}` }, payload: { id: `s-${n}`, debit: 'bank', credit: 'w', amount: '1.00' } }),
    ),
  );
  const answers = injected.map((response) => ({ status: response.statusCode, body: response.json(), headers: new Headers(response.headers as Record<string, string>) }));
  const counts = statusCounts(answers.map((a, n) => ({ n, id: '', status: a.status, latencyMs: 0, retryAfter: null })));
  t.same(Object.keys(counts).map(Number).filter((s) => ![201, 503].includes(s)), [], JSON.stringify(counts));
  t.ok((counts[503] ?? 0) > 0, 'some were shed');
  const shed = answers.find((a) => a.status === 503);
  t.equal(shed?.body.error.code, 'overloaded');
  t.equal(shed?.headers.get('retry-after'), '1');
  const ops = await Promise.all([g.call('GET', '/health'), g.call('GET', '/ops/actors?busiest=3', undefined, opsKey), g.call('GET', '/ops/metrics', undefined, opsKey)]);
  t.same(ops.map((a) => a.status), [200, 200, 200]);
});

t.test('a key over its limit gets 429 rate_limited with Retry-After; another key is not affected', async (t) => {
  const g = await listeningGateway(t, { requestLimits: { requestsPerKeyMax: 3, rateWindowMs: 60_000 } });
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await g.call('GET', '/v1/accounts/nobody')).status);
  t.same(statuses, [404, 404, 404, 429, 429]);
  const limited = await g.call('GET', '/v1/accounts/nobody');
  t.equal(limited.body.error.code, 'rate_limited');
  t.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After in seconds');
  t.equal((await g.call('GET', '/v1/accounts/nobody', undefined, otherApiKey)).status, 404, 'the other key has its own window');
});
