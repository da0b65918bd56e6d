import t from 'tap';
import { systemAccounts } from '../../actors/lending/ids.js';
import { fundedWallets, gateway, opsKey } from '../helpers/gateway.js';

const ops = { authorization: `Bearer ${opsKey}` };

t.test('GET /ops/actors pages through live and passivated actors by type, in id order', async (t) => {
  // Given the bank and five wallets
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '10.00', w3: '10.00', w4: '10.00', w5: '10.00' });
  // When listing accounts two at a time
  const pages: { id: string; live: boolean; seq: number }[][] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/ops/actors?type=acct&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const response = await h.get(url, ops);
    t.equal(response.statusCode, 200, url);
    const body = response.json() as { items: { id: string; live: boolean; seq: number }[]; nextCursor: string | null };
    pages.push(body.items);
    cursor = body.nextCursor;
  } while (cursor !== null && pages.length < 10);
  // Then every account actor appears once, in order, with its journal seq
  const ids = pages.flat().map((row) => row.id);
  const accounts = ['bank', ...Object.values(systemAccounts), 'w1', 'w2', 'w3', 'w4', 'w5'];
  t.same(ids, accounts.map((id) => `acct:${id}`).sort());
  t.ok(pages.flat().every((row) => row.seq >= 1), 'each has journaled events');
  t.ok(pages.slice(0, -1).every((page) => page.length === 2), 'full pages but the last');
  const all = (await h.get('/ops/actors?limit=500', ops)).json() as { items: { type: string }[] };
  t.ok(all.items.some((row) => row.type === 'cfg'), 'without a type filter, every type');
});

t.test('passivated actors are listed as not live; busiest lists live ones by mailbox depth', async (t) => {
  const h = await gateway(t, { limits: { idleBeforePassivationMs: 1, passivationSweepMs: 1_000_000 } });
  await fundedWallets(h, { w1: '10.00', w2: '10.00' });
  // Passivation snapshots are appends of their own: sweep until every account actor is out
  for (let round = 0; round < 100 && h.node.system.liveActors('acct').length > 0; round++) {
    h.node.system.sweepIdle();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  t.equal(h.node.system.liveActors('acct').length, 0, 'every account actor passivated');
  const listed = (await h.get('/ops/actors?type=acct', ops)).json() as { items: { id: string; live: boolean; lastActivityAt: string | null }[] };
  t.ok(listed.items.length >= 3);
  t.ok(listed.items.every((row) => !row.live && row.lastActivityAt === null), 'all passivated: read from the journal');
  // When w1 gets a message again it is live
  await h.get('/v1/accounts/w1');
  const busiest = (await h.get('/ops/actors?busiest=5', ops)).json() as { items: { id: string; live: boolean; mailboxDepth: number }[] };
  t.ok(busiest.items.some((row) => row.id === 'acct:w1' && row.live));
  t.ok(busiest.items.every((row) => row.live));
});

t.test('GET /ops/actors refuses bad queries and the client key', async (t) => {
  const h = await gateway(t);
  for (const url of ['/ops/actors?limit=0', '/ops/actors?limit=501', '/ops/actors?busiest=0', '/ops/actors?busiest=5&cursor=acct:x', '/ops/actors?type=ACCT', '/ops/actors?color=red']) {
    const response = await h.get(url, ops);
    t.equal(response.statusCode, 400, url);
  }
  t.equal((await h.get('/ops/actors')).statusCode, 403, 'client key');
  t.equal((await h.get('/ops/actors', { authorization: '' })).statusCode, 401, 'no key');
});
