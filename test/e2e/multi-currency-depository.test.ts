import t, { type Test } from 'tap';
import { depositOrderNo } from '../../actors/lending/ids.js';
import { statementCamt053 } from '../../bench/bank-sim/statement.js';
import { eventually } from '../helpers/callback-receiver.js';
import { e2eKeys, startSimulatedPlatform } from '../helpers/e2e.js';

const { opsKey } = e2eKeys;
const quietBank = { delayMinMs: 1, delayMaxMs: 10, failureRate: 0, duplicateRate: 0, reorderRate: 0, lossRate: 0, dropRate: 0 };

interface Finding {
  kind: string;
  entry: { account: string; currency: string; amount: string } | null;
  orders: { orderNo: string; currency: string; amount: string }[];
  drift: { account: string; currency: string; difference: string } | null;
}

const kinds = (findings: Finding[]) => findings.reduce<Record<string, number>>((counts, f) => ({ ...counts, [f.kind]: (counts[f.kind] ?? 0) + 1 }), {});

/** A platform on the simulator with a JPY wallet (yuki) and a USD wallet (sam), each with its depository account open. */
async function yenAndDollarWallets(t: Test, currencies?: readonly string[]) {
  const platform = await startSimulatedPlatform(t, { seed: 11, behaviour: quietBank, startDate: '2030-07-01', poolShards: 1, ...(currencies === undefined ? {} : { currencies }) });
  const { http, sim } = platform;
  t.equal((await http.post('/v1/accounts', { id: 'yuki', kind: 'investor_wallet', currency: 'JPY' })).status, 201);
  t.equal((await http.post('/v1/accounts', { id: 'sam', kind: 'investor_wallet', currency: 'USD' })).status, 201);
  for (const id of ['yuki', 'sam']) t.equal((await http.post('/v1/depository-accounts', { id, account: id })).status, 201);
  await eventually(async () => (await http.get('/v1/depository-accounts/yuki')).body.status === 'open' && (await http.get('/v1/depository-accounts/sam')).body.status === 'open');
  const quiet = () => eventually(async () => sim.idle && (await http.get('/health')).body.relay.backlog === 0, 20_000);
  const total = async (account: string) => (await http.get(`/v1/accounts/${account}`)).body.total as string;
  const settled = async (path: string) => eventually(async () => ['succeeded', 'failed'].includes((await http.get(path)).body.status));
  return { ...platform, quiet, total, settled };
}

t.test('a JPY and a USD wallet at the bank simulator: recharged, withdrawn, refunded, converted by the bank; reconciled and closed per currency, never netted', async (t) => {
  const { http, sim, quiet, total, settled } = await yenAndDollarWallets(t);
  // Given: the bank opened each depository account in its wallet's currency
  t.match(sim.books.accounts.get('yuki'), { currency: 'JPY', balance: 0n });
  t.match(sim.books.accounts.get('sam'), { currency: 'USD', balance: 0n });

  // When each is recharged at the bank, in its own minor unit (JPY has none, USD two)
  const yen = await http.post('/v1/deposits', { id: 'y1', account: 'yuki', amount: '120000', currency: 'JPY' });
  t.equal(yen.status, 201, JSON.stringify(yen.body));
  t.match(yen.body, { orderNo: 'dep-y1', currency: 'JPY', amount: '120000' });
  t.match((await http.post('/v1/deposits', { id: 's1', account: 'sam', amount: '500.00' })).body, { currency: 'USD', amount: '500.00' }, 'no currency stated: the wallet\'s');
  await settled('/v1/deposits/y1');
  await settled('/v1/deposits/s1');
  t.equal((await http.get('/v1/deposits/y1')).body.status, 'succeeded');
  // And each withdraws; sam is refunded part of his recharge along its path
  t.equal((await http.post('/v1/withdrawals', { id: 'yw', account: 'yuki', amount: '20000' })).status, 201);
  t.equal((await http.post('/v1/withdrawals', { id: 'sw', account: 'sam', amount: '100.25', currency: 'USD' })).status, 201);
  t.match((await http.post('/v1/refunds', { id: 'sr', deposit: 's1', amount: '50.00' })).body, { currency: 'USD', amount: '50.00', refunds: 'dep-s1' });
  for (const path of ['/v1/withdrawals/yw', '/v1/withdrawals/sw', '/v1/refunds/sr']) await settled(path);
  await quiet();

  // Then the wallets, the bank and each currency's settlement mirror agree, currency by currency
  t.equal(await total('yuki'), '100000');
  t.equal(await total('sam'), '349.75');
  t.equal(sim.books.accounts.get('yuki')?.balance, 100_000n);
  t.equal(sim.books.accounts.get('sam')?.balance, 349_75n);
  t.equal(await total('sys.bank.JPY'), '-100000', 'the JPY mirror: what the bank holds in JPY');
  t.equal(await total('sys.bank.USD'), '-349.75');
  t.equal(await total('sys.bank'), '0.00', 'the CNY mirror never moved');
  t.ok(sim.books.entries.every((e) => e.currency === (e.account === 'yuki' ? 'JPY' : 'USD')), 'the bank booked each entry in its account\'s currency');

  // When the bank's statement is reconciled: every entry matched, each in its own currency
  const reconcile = async (id: string, content: string) => {
    const answer = await http.post('/v1/reconciliations', { id, format: 'camt.053', content }, opsKey);
    t.equal(answer.status, 201, JSON.stringify(answer.body).slice(0, 300));
    return answer.body as { findings: Finding[] };
  };
  const clean = await reconcile('clean', sim.statementCamt053(null));
  t.same(kinds(clean.findings), { matched: sim.books.entries.length }, 'nothing but matches');
  t.ok(clean.findings.every((f) => f.orders.every((o) => o.currency === f.entry?.currency)), 'an entry matched only orders of its own currency');

  // A mismatch in one currency is found in that currency only: yuki's deposit booked 1 yen short
  const tampered = sim.books.entries.map((e) => (e.orderNo === depositOrderNo('y1') ? { ...e, amount: e.amount - 1n } : e));
  const short = await reconcile('yen-short', statementCamt053(tampered, null, new Date(), [...sim.books.accounts.keys()], 'end_to_end', sim.currencies()));
  t.same(kinds(short.findings), { matched: sim.books.entries.length - 1, amount_mismatch: 1, balance_drift: 1 });
  t.match(short.findings.find((f) => f.kind === 'amount_mismatch'), { entry: { account: 'yuki', currency: 'JPY', amount: '119999' }, orders: [{ orderNo: 'dep-y1', currency: 'JPY', amount: '120000' }] });
  t.match(short.findings.find((f) => f.kind === 'balance_drift'), { drift: { account: 'yuki', currency: 'JPY', difference: '-1' } }, 'the drift in yen, not netted with anything in dollars');

  // A conversion between them is the bank's to make (both are held there): one bank order, each side booked in its own currency
  const asked = await http.post('/v1/conversions', { id: 'fx1', from: 'sam', to: 'yuki', amount: '100.00', rate: '151.37' });
  t.equal(asked.status, 202);
  t.match(asked.body, { atBank: true, orderNo: 'fx-fx1', status: 'at_bank' });
  await eventually(async () => (await http.get('/v1/conversions/fx1')).body.status === 'completed');
  await quiet();
  t.equal(await total('yuki'), '115137');
  t.equal(await total('sam'), '249.75');
  t.equal(sim.books.accounts.get('sam')?.balance, 249_75n, 'the bank took the dollars');
  t.equal(sim.books.accounts.get('yuki')?.balance, 115_137n, 'and paid the yen');
  t.same(
    sim.books.entries.filter((e) => e.orderNo === 'fx-fx1').map((e) => [e.account, e.direction, e.amount, e.currency]),
    [
      ['sam', 'debit', 100_00n, 'USD'],
      ['yuki', 'credit', 15_137n, 'JPY'],
    ],
  );
  t.equal(await total('sys.bank.USD'), '-249.75', 'each mirror is what the bank holds in its currency');
  t.equal(await total('sys.bank.JPY'), '-115137');
  t.equal((await http.get('/v1/accounts/sys.fx.USD')).status, 404, 'the bank dealt: no FX position of the platform moved (none was opened)');
  const converted = await reconcile('after-fx', sim.statementCamt053(null));
  t.same(kinds(converted.findings), { matched: sim.books.entries.length }, 'both legs matched, each in its currency; no drift');
  t.match(
    converted.findings.filter((f) => f.orders.some((o) => o.orderNo === 'fx-fx1')).map((f) => [f.entry?.account, f.entry?.currency, f.entry?.amount]),
    [
      ['sam', 'USD', '100.00'],
      ['yuki', 'JPY', '15137'],
    ],
  );

  // The day's close: the trial balance per currency, and per currency what the bank holds by the ledger
  t.equal((await http.post('/ops/clock', { advanceDays: 1 }, opsKey)).status, 200);
  const closed = await http.post('/v1/eod/2030-07-01/close', undefined, opsKey);
  t.equal(closed.status, 200, JSON.stringify(closed.body).slice(0, 300));
  t.equal(closed.body.balanced, true);
  const lines = closed.body.trialBalance as { currency: string; debits: string; credits: string }[];
  for (const currency of ['JPY', 'USD']) t.ok(lines.some((line) => line.currency === currency && line.debits === line.credits), `${currency} balances on its own`);
  const held = (closed.body.sections.depository as { currency: string; settlementAccount: string; heldAtBank: string }[]).filter((line) => line.currency !== 'CNY');
  t.same(held, [
    { currency: 'JPY', settlementAccount: 'sys.bank.JPY', heldAtBank: '115137' },
    { currency: 'USD', settlementAccount: 'sys.bank.USD', heldAtBank: '249.75' },
  ]);
  // …which is what the bank's own accounts hold, currency by currency
  for (const [currency, heldAtBank] of [['JPY', 115_137n], ['USD', 249_75n]] as const) {
    const atBank = [...sim.books.accounts.values()].filter((a) => a.currency === currency).reduce((sum, a) => sum + a.balance, 0n);
    t.equal(atBank, heldAtBank, `the bank's ${currency} accounts`);
  }
});

t.test('bad input at the depository: each a 4xx with its code, and nothing changed', async (t) => {
  const { http, sim, quiet, total, settled } = await yenAndDollarWallets(t, ['CNY', 'JPY', 'USD']);
  t.equal((await http.post('/v1/deposits', { id: 'y1', account: 'yuki', amount: '1000' })).status, 201);
  await settled('/v1/deposits/y1');
  await quiet();
  const ordersBefore = sim.allOrders().length;
  const refused = async (path: string, body: object, status: number, code: string) => {
    const reply = await http.post(path, body);
    t.equal(reply.status, status, `${code}: ${JSON.stringify(reply.body)}`);
    t.equal(reply.body.error?.code, code);
  };
  // A deposit in a currency the wallet does not book
  await refused('/v1/deposits', { id: 'x1', account: 'yuki', amount: '10.00', currency: 'USD' }, 422, 'wallet_currency_mismatch');
  await refused('/v1/withdrawals', { id: 'x2', account: 'sam', amount: '5', currency: 'JPY' }, 422, 'wallet_currency_mismatch');
  // A currency the platform does not book (EUR is ISO 4217, not configured here); one that is no currency at all
  await refused('/v1/deposits', { id: 'x3', account: 'yuki', amount: '10.00', currency: 'EUR' }, 422, 'currency_not_configured');
  await refused('/v1/deposits', { id: 'x4', account: 'yuki', amount: '10', currency: 'XYZ' }, 400, 'invalid_field');
  // Amounts in the wallet's minor unit: yen have none
  await refused('/v1/deposits', { id: 'x5', account: 'yuki', amount: '10.5' }, 400, 'amount_too_precise');
  await refused('/v1/refunds', { id: 'x6', deposit: 'y1', amount: '0.5' }, 400, 'amount_too_precise');
  // Nothing changed: no order, no money
  for (const id of ['x1', 'x3', 'x4', 'x5']) t.equal((await http.get(`/v1/deposits/${id}`)).status, 404, `no deposit ${id}`);
  t.equal((await http.get('/v1/withdrawals/x2')).status, 404);
  t.equal((await http.get('/v1/refunds/x6')).status, 404);
  await quiet();
  t.equal(sim.allOrders().length, ordersBefore, 'the bank was asked nothing');
  t.equal(await total('yuki'), '1000');
  t.equal(await total('sam'), '0.00');
  t.equal((await http.get('/v1/accounts/sys.bank.EUR')).status, 404, 'no settlement account opened for a refused currency');
});

t.test('a conversion at the bank that cannot be made: the bank declines (the hold voided), the money is not there (the bank never asked), one wallet not held there (409); nothing moves', async (t) => {
  const { http, sim, quiet, total, settled } = await yenAndDollarWallets(t);
  t.equal((await http.post('/v1/deposits', { id: 's1', account: 'sam', amount: '200.00' })).status, 201);
  await settled('/v1/deposits/s1');
  await quiet();
  const entriesBefore = sim.books.entries.length;
  const failedWith = async (id: string) => {
    await eventually(async () => ['completed', 'failed'].includes((await http.get(`/v1/conversions/${id}`)).body.status));
    return (await http.get(`/v1/conversions/${id}`)).body as { status: string; failure: { code: string } | null };
  };

  // Given the bank declines the next conversion, when sam converts, then it fails and his hold is voided
  sim.declineNext('conversion', 1);
  t.equal((await http.post('/v1/conversions', { id: 'fx-declined', from: 'sam', to: 'yuki', amount: '50.00', rate: '151.37' })).status, 202);
  t.match(await failedWith('fx-declined'), { status: 'failed', failure: { code: 'bank_declined' } });
  await quiet();
  t.same([await total('sam'), await total('yuki')], ['200.00', '0'], 'nothing moved on the ledger');
  t.equal((await http.get('/v1/accounts/sam')).body.available, '200.00', 'the hold is gone');

  // When sam converts more than he has, then the hold is refused and the bank is never asked
  const ordersBefore = sim.allOrders().length;
  t.equal((await http.post('/v1/conversions', { id: 'fx-short', from: 'sam', to: 'yuki', amount: '200.01', rate: '151.37' })).status, 202);
  t.match(await failedWith('fx-short'), { status: 'failed', failure: { code: 'insufficient_funds' } });
  await quiet();
  t.equal(sim.allOrders().length, ordersBefore, 'no order reached the bank');

  // When one wallet is held at the bank and the other is not, then 409 and no conversion exists
  t.equal((await http.post('/v1/accounts', { id: 'kai', kind: 'investor_wallet', currency: 'JPY' })).status, 201);
  const split = await http.post('/v1/conversions', { id: 'fx-split', from: 'sam', to: 'kai', amount: '10.00', rate: '151.37' });
  t.equal(split.status, 409, JSON.stringify(split.body));
  t.equal(split.body.error?.code, 'depository_account_not_open');
  t.equal((await http.get('/v1/conversions/fx-split')).status, 404);

  // When the target wallet is closed, then the bank is not asked to pay into it: 422 before any order
  t.equal((await http.post('/v1/accounts/yuki/close', {})).status, 200);
  const closed = await http.post('/v1/conversions', { id: 'fx-closed', from: 'sam', to: 'yuki', amount: '10.00', rate: '151.37' });
  t.equal(closed.status, 422, JSON.stringify(closed.body));
  t.equal(closed.body.error?.code, 'credit_account_closed');
  t.equal((await http.get('/v1/conversions/fx-closed')).status, 404);

  // Then the bank's books and the ledger still agree: no entry was booked, every wallet matches its account
  t.equal(sim.books.entries.length, entriesBefore);
  t.equal(sim.books.accounts.get('sam')?.balance, 200_00n);
  const report = await http.post('/v1/reconciliations', { id: 'after-refusals', format: 'camt.053', content: sim.statementCamt053(null) }, opsKey);
  t.equal(report.status, 201);
  t.same(kinds(report.body.findings as Finding[]), { matched: sim.books.entries.length }, 'a declined conversion is no finding: both sides say it failed');
});
