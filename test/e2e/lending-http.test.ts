import t from 'tap';
import { eventually } from '../helpers/callback-receiver.js';
import { startSimulatedPlatform, e2eKeys } from '../helpers/e2e.js';
import { minorOf } from '../helpers/http-client.js';

const { apiKey, opsKey } = e2eKeys;
const investors = ['ann', 'ben', 'cai', 'dan', 'eve', 'fay'];
const borrowers = ['xu', 'yan', 'zhu'];

t.test('over HTTP, with the bank failing, duplicating, reordering, losing callbacks and dropping orders: every loan ends repaying or failed, nothing stuck, both books agree', async (t) => {
  // Each phase below sets how the bank misbehaves, so that every misbehaviour surely happens.
  const { http, sim } = await startSimulatedPlatform(t, { seed: 7, behaviour: { delayMinMs: 2, delayMaxMs: 40, duplicateRate: 1, reorderRate: 0.5 }, startDate: '2030-03-01', poolShards: 3 });

  // Wallets and their depository accounts.
  for (const id of investors) t.equal((await http.post('/v1/accounts', { id, kind: 'investor_wallet' })).status, 201);
  for (const id of borrowers) t.equal((await http.post('/v1/accounts', { id, kind: 'borrower_wallet' })).status, 201);
  for (const id of [...investors, ...borrowers]) t.equal((await http.post('/v1/depository-accounts', { id, account: id })).status, 201);
  await eventually(async () => {
    for (const id of [...investors, ...borrowers]) if ((await http.get(`/v1/depository-accounts/${id}`)).body.status !== 'open') return false;
    return true;
  });

  t.ok(sim.stats.callbacksDuplicated > 0 && sim.stats.callbacksHeldBack > 0, 'openings: callbacks duplicated, held back or ahead of "accepted"');

  // Money in through the bank, 5,000.00 each: the first order dropped (掉单), every callback lost.
  sim.setBehaviour({ duplicateRate: 0, reorderRate: 0, lossRate: 1, dropRate: 1 });
  const [first, ...others] = investors as [string, ...string[]];
  t.equal((await http.post('/v1/deposits', { id: `dep-${first}`, account: first, amount: '5000.00' })).status, 201);
  await eventually(() => sim.stats.dropped > 0);
  sim.setBehaviour({ dropRate: 0.1 });
  for (const id of others) t.equal((await http.post('/v1/deposits', { id: `dep-${id}`, account: id, amount: '5000.00' })).status, 201);
  await eventually(async () => {
    for (const id of investors) if ((await http.get(`/v1/deposits/dep-${id}`)).body.status !== 'succeeded') return false;
    return true;
  });
  // The order completes first; its credit to the wallet follows through the outbox.
  await eventually(async () => (await http.get('/health')).body.relay.backlog === 0);
  for (const id of investors) t.equal((await http.get(`/v1/accounts/${id}`)).body.total, '5000.00', `${id} credited once`);

  // Investments of mixed terms, then loans that need several capitals each.
  const investments: string[] = [];
  for (const [i, investor] of investors.entries()) {
    for (const [j, amount] of ['1200.00', '800.00', '1500.00'].entries()) {
      const id = `inv-${investor}-${j}`;
      const placed = await http.post('/v1/investments', { id, investor, amount, termDays: [30, 90, 365][(i + j) % 3] });
      t.equal(placed.status, 201, `${id} active`);
      investments.push(id);
    }
  }
  const loans = Array.from({ length: 8 }, (_, n) => ({
    id: `loan-${n}`,
    borrower: borrowers[n % borrowers.length] as string,
    amount: `${1_000 + n * 250}.00`,
    annualRate: '0.095',
    ...(n % 2 === 0 ? { termMonths: 6 } : { termDays: 120 }),
    method: ['equal_installment', 'equal_principal', 'interest_first', 'bullet'][n % 4] as string,
  }));
  for (const loan of loans) t.equal((await http.post('/v1/loans', loan)).status, 201);
  await eventually(async () => {
    for (const loan of loans) if ((await http.get(`/v1/loans/${loan.id}`)).body.status !== 'funded') return false;
    return true;
  });

  t.ok(sim.stats.callbacksLost > 0, 'deposits: their results found by the query sweep only');

  // Ops approve every loan (the next business day). The bank declines the first three
  // disbursements, then a fifth of everything, while duplicating, reordering and losing callbacks.
  t.same((await http.post('/ops/clock', { advanceDays: 1 }, opsKey)).body, { mode: 'sim', date: '2030-03-02' });
  sim.setBehaviour({ failureRate: 1, dropRate: 0 });
  const [declined, approved] = [loans.slice(0, 3), loans.slice(3)];
  for (const loan of declined) t.equal((await http.post(`/v1/loans/${loan.id}/approve`, undefined, opsKey)).status, 200);
  await eventually(async () => (await Promise.all(declined.map(async (loan) => (await http.get(`/v1/loans/${loan.id}`)).body.status))).every((status) => status === 'failed'), 30_000);
  sim.setBehaviour({ failureRate: 0.2, duplicateRate: 0.3, reorderRate: 0.3, lossRate: 0.3, dropRate: 0.1 });
  for (const loan of approved) t.equal((await http.post(`/v1/loans/${loan.id}/approve`, undefined, opsKey)).status, 200);
  await eventually(async () => {
    for (const loan of loans) {
      const status = (await http.get(`/v1/loans/${loan.id}`)).body.status;
      if (status !== 'repaying' && status !== 'failed') return false;
    }
    return true;
  }, 30_000);

  // Borrowers take their money out (some withdrawals fail at the bank and are voided), once the payouts have landed.
  await eventually(async () => (await http.get('/health')).body.relay.backlog === 0);
  for (const borrower of borrowers) {
    const total = (await http.get(`/v1/accounts/${borrower}`)).body.total as string;
    if (total !== '0.00') t.equal((await http.post('/v1/withdrawals', { id: `wd-${borrower}`, account: borrower, amount: total })).status, 201);
  }
  await eventually(async () => {
    for (const borrower of borrowers) {
      const found = await http.get(`/v1/withdrawals/wd-${borrower}`);
      if (found.status === 200 && !['succeeded', 'failed'].includes(found.body.status)) return false;
    }
    return sim.idle && (await http.get('/health')).body.relay.backlog === 0;
  }, 30_000);

  // Every loan ended one way or the other, with its claims.
  const ended = await Promise.all(loans.map(async (loan) => (await http.get(`/v1/loans/${loan.id}`)).body));
  const repaying = ended.filter((loan) => loan.status === 'repaying');
  const failed = ended.filter((loan) => loan.status === 'failed');
  t.equal(repaying.length + failed.length, loans.length, 'every loan repaying or failed');
  t.ok(repaying.length > 0 && failed.length >= 3, `both outcomes happened: ${repaying.length} repaying, ${failed.length} failed`);
  for (const loan of repaying) {
    t.ok(loan.claims.every((c: { status: string }) => c.status === 'matched'), `${loan.id}: claims matched`);
    t.equal(loan.claims.reduce((sum: bigint, c: { amount: string }) => sum + minorOf(c.amount), 0n), minorOf(loan.amount), `${loan.id}: claims sum to the loan`);
    t.match(loan, { disbursement: { stage: 'succeeded' }, plan: { planId: `plan-${loan.id}` } });
  }
  for (const loan of failed) t.ok(loan.claims.every((c: { status: string }) => c.status === 'failed'), `${loan.id}: claims failed`);

  // The pool: matched = the repaying loans; nothing left reserved.
  let matched = 0n;
  let reserved = 0n;
  const unmatchedByInvestor = new Map<string, bigint>();
  for (const id of investments) {
    const capital = (await http.get(`/v1/investments/${id}`)).body.capital;
    matched += minorOf(capital.matched);
    reserved += minorOf(capital.reserved);
    unmatchedByInvestor.set(capital.investor, (unmatchedByInvestor.get(capital.investor) ?? 0n) + minorOf(capital.principal) - minorOf(capital.matched));
  }
  t.equal(reserved, 0n, 'no reservation left behind');
  t.equal(matched, repaying.reduce((sum, loan) => sum + minorOf(loan.amount), 0n), 'matched capital = disbursed loans');
  t.equal(minorOf((await http.get('/v1/accounts/sys.pool')).body.total), [...unmatchedByInvestor.values()].reduce((a, b) => a + b, 0n), 'the pool account holds the unmatched capital');

  // Both books agree: at the bank an investor holds their wallet plus their unmatched capital; a borrower their wallet.
  for (const id of investors) {
    const wallet = minorOf((await http.get(`/v1/accounts/${id}`)).body.total);
    t.equal(sim.books.accounts.get(id)?.balance, wallet + (unmatchedByInvestor.get(id) ?? 0n), `${id}: the bank and fundcore agree`);
  }
  for (const id of borrowers) {
    const wallet = (await http.get(`/v1/accounts/${id}`)).body;
    t.equal(sim.books.accounts.get(id)?.balance, minorOf(wallet.total), `${id}: the bank and fundcore agree`);
    t.equal(wallet.frozen, '0.00', `${id}: no hold left`);
  }
  t.equal((await http.get('/health')).body.relay.backlog, 0, 'the outbox is empty');
  t.comment(`bank: ${JSON.stringify(sim.stats)}`);
  t.ok(sim.stats.callbacksLost > 0 && sim.stats.callbacksDuplicated > 0 && sim.stats.dropped > 0 && sim.stats.failed >= 3 && sim.stats.callbacksHeldBack > 0, 'the bank misbehaved in every way');
});
