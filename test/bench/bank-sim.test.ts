import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';
import { HttpBankClient } from '../../actors/bank/http-bank-client.js';
import { systemClock } from '../../actors/runtime/clock.js';
import type { BankBehaviour } from '../../bench/bank-sim/config.js';
import { startSimulator } from '../helpers/bank-sim.js';
import { eventually } from '../helpers/callback-receiver.js';

const secret = 'sim-test-secret';
const on = '2030-01-01';

async function simulator(t: Test, behaviour: Partial<BankBehaviour> = {}) {
  return startSimulator(t, { secret, seed: 42, behaviour });
}

const header = (orderNo: string) => ({ orderNo, businessDate: on, currency: 'CNY' as const });

t.test('orders: accepted at once, completed later, called back signed; the books follow; the same order again is processed once', async (t) => {
  const { sim, receiver, client } = await simulator(t);
  t.same(await client.openAccount(header('open-a'), { account: 'a' }), { accepted: true });
  t.same(await client.openAccount(header('open-b'), { account: 'b' }), { accepted: true });
  t.same(await client.deposit(header('dep-1'), { account: 'a', amount: 100_00n }), { accepted: true });
  t.same(await client.deposit(header('dep-1'), { account: 'a', amount: 100_00n }), { accepted: true }, 'a resubmission is accepted again');
  await eventually(() => receiver.of('dep-1').length > 0);
  t.match(receiver.of('dep-1')[0], { valid: true, callback: { orderNo: 'dep-1', kind: 'deposit', status: 'succeeded', bankTxnId: /^BK/ } });
  t.match(await client.query('dep-1'), { status: 'succeeded' });
  t.same(await client.query('nope'), { status: 'not_found', code: null, detail: null, bankTxnId: null, completedAt: null });
  await client.disburse(header('disb-1'), { items: [{ ref: 'L1/c1', from: 'a', to: 'b', amount: 60_00n }] });
  await client.withdraw(header('wd-1'), { account: 'b', amount: 10_00n });
  await eventually(() => sim.idle && receiver.of('wd-1').length > 0);
  t.equal(sim.books.accounts.get('a')?.balance, 40_00n);
  t.equal(sim.books.accounts.get('b')?.balance, 50_00n);
  t.equal(sim.stats.accepted, 5, 'the resubmitted deposit was not processed twice');
  t.same(await client.deposit(header('dep-1'), { account: 'a', amount: 1n }), { accepted: false, code: 'order_no_conflict', detail: 'order dep-1 exists with other content' });
});

t.test('strict books: unopened accounts and short balances fail the order; a batch is all or nothing', async (t) => {
  const { sim, receiver, client } = await simulator(t);
  await client.openAccount(header('open-a'), { account: 'a' });
  await client.deposit(header('dep-x'), { account: 'x', amount: 1_00n });
  await client.deposit(header('dep-a'), { account: 'a', amount: 10_00n });
  await eventually(() => receiver.of('dep-a').length > 0 && receiver.of('dep-x').length > 0);
  t.match(receiver.of('dep-x')[0]?.callback, { status: 'failed', code: 'account_not_opened' });
  await client.openAccount(header('open-b'), { account: 'b' });
  await eventually(() => receiver.of('open-b').length > 0);
  await client.transfer(header('tr-1'), { items: [{ ref: 'r1', from: 'a', to: 'b', amount: 6_00n }, { ref: 'r2', from: 'a', to: 'b', amount: 6_00n }] });
  await eventually(() => receiver.of('tr-1').length > 0);
  t.match(receiver.of('tr-1')[0]?.callback, { status: 'failed', code: 'insufficient_balance' });
  t.equal(sim.books.accounts.get('a')?.balance, 10_00n, 'nothing of the batch was booked');
});

t.test('unsigned or wrongly signed requests are refused (401)', async (t) => {
  const { sim } = await simulator(t);
  const unsigned = await fetch(`${sim.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.equal(unsigned.status, 401);
  const wrong = new HttpBankClient({ baseUrl: sim.url, secret: 'other', clock: systemClock, requestTimeoutMs: 2_000, requestsInFlightMax: 1 });
  wrong.setNotifyUrl('http://127.0.0.1:1/x');
  t.same(await wrong.openAccount(header('open-a'), { account: 'a' }), { accepted: false, code: 'signature_invalid', detail: 'sign requests with the shared secret' });
  await t.rejects(wrong.query('open-a'), { name: 'BankUnavailableError' }, 'a query refused for its signature is no answer');
});

t.test('best-effort notification: a callback is retried until acknowledged, at most callbackAttemptsMax times', async (t) => {
  const { sim, receiver, client } = await simulator(t);
  let refusals = 2;
  receiver.answer = () => (refusals-- > 0 ? 503 : 200);
  await client.openAccount(header('open-a'), { account: 'a' });
  await eventually(() => sim.stats.callbacksAcknowledged === 1);
  t.equal(receiver.of('open-a').length, 3, 'two refused, the third acknowledged');
  receiver.answer = () => 500;
  await client.openAccount(header('open-b'), { account: 'b' });
  await eventually(() => sim.stats.callbacksGivenUp === 1);
  t.equal(receiver.of('open-b').length, 5, 'given up after five attempts: only the query finds the result now');
});

t.test('misbehaviour: lost callbacks, duplicates, dropped orders, failures, reordering', async (t) => {
  const { sim, receiver, client } = await simulator(t, { strict: false });
  sim.setBehaviour({ lossRate: 1 });
  await client.deposit(header('dep-lost'), { account: 'a', amount: 1_00n });
  await eventually(() => sim.idle && sim.order('dep-lost')?.status === 'succeeded');
  t.equal(receiver.of('dep-lost').length, 0, 'never called back');
  t.match(await client.query('dep-lost'), { status: 'succeeded' }, 'the query finds it');
  sim.setBehaviour({ lossRate: 0, duplicateRate: 1 });
  await client.deposit(header('dep-dup'), { account: 'a', amount: 1_00n });
  await eventually(() => sim.idle && receiver.of('dep-dup').length >= 2);
  t.ok(receiver.of('dep-dup').length >= 2, 'called back more than once');
  sim.setBehaviour({ duplicateRate: 0, dropRate: 1 });
  await client.deposit(header('dep-drop'), { account: 'a', amount: 1_00n });
  t.match(await client.query('dep-drop'), { status: 'not_found' }, 'accepted, then forgotten');
  sim.setBehaviour({ dropRate: 0, failureRate: 1 });
  await client.deposit(header('dep-drop'), { account: 'a', amount: 1_00n });
  await eventually(() => sim.idle && receiver.of('dep-drop').length > 0);
  t.match(receiver.of('dep-drop')[0]?.callback, { status: 'failed', code: 'bank_declined' }, 'resubmitted, processed (and declined)');
  sim.setBehaviour({ failureRate: 0, reorderRate: 1 });
  const before = receiver.received.length;
  await client.deposit(header('dep-early'), { account: 'a', amount: 1_00n });
  t.equal(receiver.received.length, before + 1, 'the callback arrived before the "accepted" answer');
  t.equal(sim.books.accounts.get('a')?.balance, 3_00n);
});

t.test('the statement: CSV and camt.053 (well-formed, balances and entries as decimal strings)', async (t) => {
  const { sim, receiver, client } = await simulator(t);
  await client.openAccount(header('open-a'), { account: 'a' });
  await client.openAccount(header('open-b&c'), { account: 'b&c' });
  await client.deposit(header('dep-1'), { account: 'a', amount: 100_00n });
  await client.deposit({ orderNo: 'dep-2', businessDate: '2030-01-02', currency: 'CNY' }, { account: 'a', amount: 5_50n });
  await eventually(() => sim.idle && receiver.received.length === 4);
  await client.disburse({ orderNo: 'disb-1', businessDate: '2030-01-02', currency: 'CNY' }, { items: [{ ref: 'L1/c1', from: 'a', to: 'b&c', amount: 30_25n }] });
  await eventually(() => sim.idle && receiver.received.length === 5);
  const csv = await (await fetch(`${sim.url}/statement.csv?date=2030-01-02`)).text();
  const [head, ...rows] = csv.trim().split('\r\n');
  t.equal(head, 'bookingDate,valueDate,account,direction,amount,currency,orderNo,kind,ref,bankTxnId');
  t.ok(rows.every((row) => /,BK\d{8}$/.test(row)), 'each entry names its bank transaction');
  // Bank transaction numbers follow completion order, which the delays shuffle: compared without them.
  t.same(rows.map((row) => row.replace(/,BK\d{8}$/, '')), [
    '2030-01-02,2030-01-02,a,credit,5.50,CNY,dep-2,deposit,dep-2',
    '2030-01-02,2030-01-02,a,debit,30.25,CNY,disb-1,disbursement,L1/c1',
    '2030-01-02,2030-01-02,b&c,credit,30.25,CNY,disb-1,disbursement,L1/c1',
  ]);
  const xml = await (await fetch(`${sim.url}/statement.camt053?date=2030-01-02`)).text();
  t.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const document = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as {
    Document: { '@_xmlns': string; BkToCstmrStmt: { Stmt: { Acct: { Id: { Othr: { Id: string } } }; Bal: { Tp: { CdOrPrtry: { Cd: string } }; Amt: { '#text': string } }[]; Ntry: unknown } [] } };
  };
  t.equal(document.Document['@_xmlns'], 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08');
  const statements = document.Document.BkToCstmrStmt.Stmt;
  t.same(statements.map((s) => s.Acct.Id.Othr.Id), ['a', 'b&c'], 'one statement per account, names escaped and read back');
  t.same(statements[0]?.Bal.map((b) => [b.Tp.CdOrPrtry.Cd, b.Amt['#text']]), [['OPBD', '100.00'], ['CLBD', '75.25']], 'opening and closing booked balances');
  t.equal((await fetch(`${sim.url}/statement.csv?date=2030-13-01`)).status, 400);
});

t.test('several currencies: each account books the one it was opened in; an order in another fails currency_mismatch; amounts in its minor unit; callbacks and statements carry it', async (t) => {
  const { sim, receiver, client } = await simulator(t);
  const inCurrency = (orderNo: string, currency: 'JPY' | 'USD' | 'KWD') => ({ ...header(orderNo), currency });
  await client.openAccount(inCurrency('open-y', 'JPY'), { account: 'y' });
  await client.openAccount(inCurrency('open-u', 'USD'), { account: 'u' });
  await client.openAccount(inCurrency('open-u2', 'USD'), { account: 'u2' });
  await client.openAccount(inCurrency('open-k', 'KWD'), { account: 'k' });
  await eventually(() => sim.idle && receiver.received.length === 4);
  await client.deposit(inCurrency('dep-y', 'JPY'), { account: 'y', amount: 1_200n });
  await client.deposit(inCurrency('dep-k', 'KWD'), { account: 'k', amount: 3_125n });
  await client.deposit(inCurrency('dep-u', 'USD'), { account: 'u', amount: 10_00n });
  // In another currency than the account's: the deposit, a withdrawal, a batch touching it, a second opening
  await client.deposit(inCurrency('dep-y-usd', 'USD'), { account: 'y', amount: 1_00n });
  await client.withdraw(header('wd-u-cny'), { account: 'u', amount: 1_00n });
  await client.transfer(inCurrency('tr-mixed', 'USD'), { items: [{ ref: 'r1', from: 'u', to: 'y', amount: 1_00n }] });
  await client.openAccount(inCurrency('open-y-again', 'USD'), { account: 'y' });
  await client.transfer(inCurrency('tr-usd', 'USD'), { items: [{ ref: 'r2', from: 'u', to: 'u2', amount: 2_50n }] });
  await eventually(() => sim.idle && receiver.received.length === 12);
  for (const orderNo of ['dep-y-usd', 'wd-u-cny', 'tr-mixed', 'open-y-again']) t.match(receiver.of(orderNo)[0]?.callback, { status: 'failed', code: 'currency_mismatch' }, orderNo);
  t.match(receiver.of('dep-y')[0]?.callback, { status: 'succeeded', currency: 'JPY' }, 'the callback carries the currency');
  t.match(await client.query('dep-k'), { status: 'succeeded', currency: 'KWD' }, 'and so does the query');
  t.match(sim.books.accounts.get('y'), { currency: 'JPY', balance: 1_200n });
  t.match(sim.books.accounts.get('k'), { currency: 'KWD', balance: 3_125n });
  t.equal(sim.books.accounts.get('u')?.balance, 7_50n, 'only the USD transfer moved dollars');
  t.equal(sim.books.accounts.get('u2')?.balance, 2_50n);
  t.same((await (await fetch(`${sim.url}/accounts/k`)).json()) as object, { id: 'k', openedOn: on, currency: 'KWD', balance: '3.125' });
  // Its statement: each account in its own currency and minor unit
  const camt = await (await fetch(`${sim.url}/statement.camt053`)).text();
  t.match(camt, /<Id>y<\/Id><\/Othr><\/Id><Ccy>JPY<\/Ccy>/);
  t.match(camt, /<Amt Ccy="JPY">1200<\/Amt>/);
  t.match(camt, /<Amt Ccy="KWD">3\.125<\/Amt>/);
  const csv = await (await fetch(`${sim.url}/statement.csv`)).text();
  t.match(csv, /,k,credit,3\.125,KWD,dep-k,/);
  // A request in no currency the bank knows is refused outright (400), never booked
  const unknown = new HttpBankClient({ baseUrl: sim.url, secret, clock: systemClock, requestTimeoutMs: 2_000, requestsInFlightMax: 1 });
  unknown.setNotifyUrl(receiver.url);
  t.match(await unknown.deposit({ ...header('dep-xyz'), currency: 'XYZ' as 'JPY' }, { account: 'y', amount: 1n }), { accepted: false, code: 'invalid_request', detail: /currency/ });
});
