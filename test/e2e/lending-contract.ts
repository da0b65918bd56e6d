import type { Test } from 'tap';
import type { BankSimulator } from '../../bench/bank-sim/simulator.js';
import { eventually } from '../helpers/callback-receiver.js';
import { minorOf, type HttpClient } from '../helpers/http-client.js';
import { statementCamt053 } from '../../bench/bank-sim/statement.js';
import { routeSummaries } from '../../gateway/openapi-routes.js';
import { parseFeeRule, type FeeRule } from '../../core/clearing/fee.js';
import { defaultProduct } from '../../core/lending/schedule/product.js';

/** What the lending contract runs against: embedded (npm start) or a cluster behind its gateway. */
export interface LendingPlatform {
  readonly http: HttpClient;
  readonly opsKey: string;
  readonly sim: BankSimulator;
  /** Resolves once every outbox is empty (every delivery made). */
  quiet(): Promise<void>;
}

/** The business date the contract's platforms start on (the simulated clock). */
export const contractStartDate = '2030-01-01';
export const contractPoolShards = 3;
/**
 * The contract's clearing rules: a withdrawal costs 2.00, and the platform takes 10 % of the
 * interest investors are repaid (both paid at the bank to the platform, and in the books).
 */
export const contractLending = {
  redemptionRecheckMs: 100,
  withdrawalFee: parseFeeRule({ fixed: '2.00' }, 'CNY', 'withdrawal fee') as FeeRule,
  products: [{ ...defaultProduct, serviceFee: parseFeeRule({ rate: '0.10' }, 'CNY', 'service fee') as FeeRule }],
};

const until = (what: string, condition: () => Promise<boolean>, timeoutMs = 20_000) =>
  eventually(condition, timeoutMs).catch(() => {
    throw new Error(`never happened: ${what}`);
  });

/**
 * One lending story, the same expectations whatever the deployment: wallets and their
 * depository accounts, recharges through the bank, investments, a loan funded, approved and
 * paid out, its plan, claims, a redemption that moves a claim to another investor through
 * the bank, a repayment, the interest pool, a withdrawal, and refusals on the way; then the
 * records: queries, a day's close, a reconciliation of the bank's statement, the ops views.
 */
export async function lendingContract(t: Test, platform: LendingPlatform): Promise<void> {
  const { http, opsKey } = platform;
  const expect = async (method: 'get' | 'post', path: string, body: object | undefined, status: number, key?: string) => {
    const answer = method === 'get' ? await http.get(path, key) : await http.post(path, body, key);
    t.equal(answer.status, status, `${method.toUpperCase()} ${path} → ${status}${answer.status === status ? '' : `: ${JSON.stringify(answer.body)}`}`);
    return answer.body;
  };

  await ledger(t, platform, expect);
  for (const id of ['ann', 'ben']) await expect('post', '/v1/accounts', { id, kind: 'investor_wallet' }, 201);
  await expect('post', '/v1/accounts', { id: 'xu', kind: 'borrower_wallet' }, 201);
  for (const id of ['ann', 'ben', 'xu']) await expect('post', '/v1/depository-accounts', { id: `da-${id}`, account: id }, 201);
  await until('depository accounts open', async () => {
    for (const id of ['ann', 'ben', 'xu']) if ((await http.get(`/v1/depository-accounts/${id}`)).body.status !== 'open') return false;
    return true;
  });
  t.match(await expect('post', '/v1/deposits', { id: 'd-nobody', account: 'nobody', amount: '1.00' }, 404), { error: { code: 'account_not_found' } });
  for (const [id, amount] of [['ann', '3000.00'], ['ben', '4000.00'], ['xu', '500.00']] as const) await expect('post', '/v1/deposits', { id: `d-${id}`, account: id, amount }, 201);
  await until('recharges succeed', async () => {
    for (const id of ['ann', 'ben', 'xu']) if ((await http.get(`/v1/deposits/d-${id}`)).body.status !== 'succeeded') return false;
    return true;
  });
  await platform.quiet();
  t.equal((await http.get('/v1/accounts/ann')).body.total, '3000.00', 'the recharge reached the wallet');

  t.match(await expect('post', '/v1/investments', { id: 'inv-ann', investor: 'ann', amount: '2000.00', termDays: 30 }, 201), { status: 'active' });
  t.match(await expect('post', '/v1/investments', { id: 'inv-ben', investor: 'ben', amount: '1000.00', termDays: 90 }, 201), { status: 'active' });
  t.match(await expect('post', '/v1/investments', { id: 'inv-nobody', investor: 'nobody', amount: '1.00', termDays: 30 }, 422), { error: { code: 'investor_not_found' } });
  t.match(await expect('get', '/v1/investments/none', undefined, 404), { error: { code: 'investment_not_found' } });

  const loan = { id: 'L1', borrower: 'xu', amount: '3000.00', annualRate: '0.12', termMonths: 3, method: 'equal_installment' };
  await expect('post', '/v1/loans', loan, 201);
  await until('L1 funded', async () => (await http.get('/v1/loans/L1')).body.status === 'funded');
  t.match(await expect('get', '/v1/loans/L1/schedule', undefined, 404), { error: { code: 'plan_not_found' } });
  await expect('post', '/v1/loans/L1/approve', undefined, 200, opsKey);
  await until('L1 paid out', async () => (await http.get('/v1/loans/L1')).body.status === 'repaying');
  const plan = await expect('get', '/v1/loans/L1/schedule', undefined, 200);
  t.equal(plan.periods.length, 3, 'three monthly periods');
  await platform.quiet();
  t.equal((await http.get('/v1/accounts/xu')).body.total, '3500.00', 'the disbursement reached the borrower');
  // A refund of xu's recharge along its original path: the wallet and the bank's account both go down by it (and the close and the reconciliation below see it).
  t.match(await expect('post', '/v1/refunds', { id: 'rf-xu', deposit: 'd-xu', amount: '100.00' }, 201), { kind: 'refund', refunds: 'dep-d-xu' });
  await until('the refund succeeds', async () => (await http.get('/v1/refunds/rf-xu')).body.status === 'succeeded');
  await platform.quiet();
  t.equal((await http.get('/v1/accounts/xu')).body.total, '3400.00', 'the refund left the wallet');
  t.match(await expect('post', '/v1/refunds', { id: 'rf-xu2', deposit: 'd-xu', amount: '400.01' }, 422), { error: { code: 'refund_exceeds_order' } });
  const annClaims = await expect('get', '/v1/investments/inv-ann/claims', undefined, 200);
  t.same(annClaims.claims.map((claim: { loanId: string; status: string }) => [claim.loanId, claim.status]), [['L1', 'matched']], "ann's claim on L1");

  // Ops see every actor, wherever it lives.
  const loansListed = await expect('get', '/ops/actors?type=loan', undefined, 200, opsKey);
  t.same(loansListed.items.map((row: { id: string }) => row.id), ['loan:L1'], 'the loan actor is listed');
  const groups = await expect('get', '/ops/actors?type=idx&limit=2', undefined, 200, opsKey);
  t.equal(groups.items.length, 2, 'a page of index groups');
  const rest = await expect('get', `/ops/actors?type=idx&cursor=${encodeURIComponent(groups.nextCursor)}`, undefined, 200, opsKey);
  const allGroups = [...groups.items, ...rest.items].map((row: { id: string }) => row.id);
  t.same(allGroups, [...allGroups].sort(), 'in id order across pages');
  for (const id of ['idx:claims/inv-ann', 'idx:depository/ann', 'idx:depository/xu']) t.ok(allGroups.includes(id), `${id} listed`);
  t.equal((await expect('get', '/ops/actors?busiest=5', undefined, 200, opsKey)).nextCursor, null);
  t.match(await expect('get', '/ops/actors/loan:L1', undefined, 200, opsKey), { id: 'loan:L1', type: 'loan' });

  // Capital for the redemption to move ann's claim to: ben's, at another depository account.
  t.match(await expect('post', '/v1/investments', { id: 'inv-ben-2', investor: 'ben', amount: '2500.00', termDays: 90 }, 201), { status: 'active' });
  t.match(await expect('post', '/v1/investments/inv-ann/redeem', {}, 409), { error: { code: 'redemption_before_maturity' } });
  await expect('post', '/ops/clock', { date: '2030-01-31' }, 200, opsKey);
  await expect('post', '/v1/investments/inv-ann/redeem', {}, 202);
  await until('inv-ann redeemed', async () => (await http.get('/v1/investments/inv-ann/redemption')).body.status === 'completed');
  await platform.quiet();
  const moved = (await http.get('/v1/investments/inv-ben-2/claims')).body.claims as { loanId: string; status: string }[];
  t.ok(moved.some((claim) => claim.loanId === 'L1' && claim.status === 'matched'), "ann's claim moved to ben's capital");
  t.same((await http.get('/v1/investments/inv-ann/claims')).body.claims.map((claim: { status: string }) => claim.status), ['finished'], "ann's claim finished (transferred)");

  await expect('post', '/ops/clock', { date: plan.periods[0].dueDate }, 200, opsKey);
  await expect('post', '/v1/loans/L1/repayments', { id: 'p1' }, 202);
  await until('p1 succeeds', async () => (await http.get('/v1/loans/L1/repayments/p1')).body.status === 'succeeded');
  await platform.quiet();
  // The pool's figures come from its actor, its flows from the read models (the node's, or the gateway's from the log stream): they agree.
  const benPool = await expect('get', '/v1/investors/ben/interest-pool?limit=500', undefined, 200);
  t.match(benPool, { investor: 'ben' });
  t.ok(benPool.flowCount >= 1, "the payment credited ben's interest pool");
  t.same(benPool.flows.map((flow: { seq: number }) => flow.seq), Array.from({ length: benPool.flowCount }, (_, i) => i + 1), 'every flow listed, numbered in order');
  const flowsSum = benPool.flows.reduce((sum: bigint, flow: { amount: string }) => sum + BigInt(flow.amount.replace('.', '')), 0n);
  t.equal(flowsSum, BigInt(benPool.balance.replace('.', '')), 'the flows sum to the balance');
  // The product's service fee: 10 % of the investors' interest went to the platform (its revenue holds nothing else yet).
  const revenue = minorOf((await http.get('/v1/accounts/sys.revenue')).body.total);
  t.ok(revenue > 0n && revenue * 9n <= flowsSum + revenue, `the platform took its service fee (${revenue} minor units)`);
  t.match(await expect('get', '/v1/investors/nobody/interest-pool', undefined, 404), { error: { code: 'account_not_found' } });

  const withdrawn = await expect('post', '/v1/withdrawals', { id: 'w-ann', account: 'ann', amount: '100.00' }, 201);
  t.not(withdrawn.status, 'holding', 'the withdrawal answered once its hold was settled');
  t.equal(withdrawn.fee, '2.00', 'the withdrawal fee, fixed when it was made');
  await until('w-ann succeeds', async () => (await http.get('/v1/withdrawals/w-ann')).body.status === 'succeeded');
  await platform.quiet();

  // Both books agree: ann's investment is redeemed whole, so her bank account is her wallet; so is the borrower's.
  const bank = (id: string) => platform.sim.books.accounts.get(id)?.balance ?? null;
  for (const id of ['ann', 'xu']) t.equal(minorOf((await http.get(`/v1/accounts/${id}`)).body.total), bank(id), `${id}: the wallet equals the bank's account`);

  await records(t, platform, expect, plan.periods[0].dueDate as string);
  await archived(t, platform, expect);
  await converted(t, platform, expect);
}

/** The API is whole: every route the registry describes is served; then the ledger's own commands, a hot account among them. */
async function ledger(t: Test, platform: LendingPlatform, expect: Expect): Promise<void> {
  const described = await expect('get', '/docs/json', undefined, 200);
  const served = new Set(Object.entries(described.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
  t.same(Object.keys(routeSummaries).filter((route) => !served.has(route)), [], `every one of the ${Object.keys(routeSummaries).length} routes is served`);

  await expect('post', '/v1/accounts', { id: 'led-a', kind: 'investor_wallet' }, 201);
  await expect('post', '/v1/accounts', { id: 'led-hot', kind: 'investor_wallet', subAccounts: 4 }, 201);
  t.match(await expect('post', '/v1/accounts', { id: 'led-hot', kind: 'investor_wallet', subAccounts: 2 }, 409), { error: { code: 'id_reused_with_different_content' } });
  await expect('post', '/v1/accounts', { id: 'led-b', kind: 'investor_wallet' }, 201);
  t.match(await expect('post', '/v1/transfers', { id: 'led-t0', debit: 'led-a', credit: 'led-b', amount: '1.00' }, 422), { error: { code: 'insufficient_funds' } });
  t.match(await expect('post', '/v1/transfers', { id: 'led-sys', debit: 'sys.bank', credit: 'led-a', amount: '1.00' }, 403), { error: { code: 'system_account_protected' } });
  const batch = await expect('post', '/v1/transfers/batch', { transfers: [] }, 400);
  t.ok(batch.error, 'an empty batch is refused');
  t.match(await expect('get', '/v1/transfers/led-none', undefined, 404), { error: { code: 'transfer_not_found' } });

  await expect('post', '/v1/accounts', { id: 'led-bank', kind: 'bank_settlement', overdraft: true }, 201);
  await expect('post', '/v1/transfers', { id: 'led-fund', debit: 'led-bank', credit: 'led-hot', amount: '100.00' }, 201);
  await platform.quiet();
  // Out of the hot account: each transfer goes to the sub-account its id hashes to, topped up by its siblings when short.
  for (let n = 0; n < 6; n++) await expect('post', '/v1/transfers', { id: `led-h${n}`, debit: 'led-hot', credit: 'led-b', amount: '10.00' }, 201);
  await expect('post', '/v1/transfers', { id: 'led-p', debit: 'led-b', credit: 'led-a', amount: '20.00', pending: true }, 201);
  t.match(await expect('post', '/v1/transfers/led-p/post', { amount: '15.00' }, 200), { status: 'posted' });
  await expect('post', '/v1/transfers', { id: 'led-v', debit: 'led-b', credit: 'led-a', amount: '5.00', pending: true }, 201);
  t.match(await expect('post', '/v1/transfers/led-v/void', undefined, 200), { status: 'voided' });
  await platform.quiet();
  await expect('post', '/v1/transfers/led-h0/reverse', undefined, 201);
  const items = await expect('post', '/v1/transfers/batch', { transfers: [
    { id: 'led-b1', debit: 'led-b', credit: 'led-a', amount: '1.00' },
    { id: 'led-b2', debit: 'led-a', credit: 'led-hot', amount: '2.00' },
    { id: 'led-b3', debit: 'led-a', credit: 'led-b', amount: '999.00' },
  ] }, 200);
  t.same(items.results.map((result: { status: number }) => result.status), [201, 201, 422], 'a result per item, in order');
  await platform.quiet();
  t.match(await expect('get', '/v1/transfers/led-p', undefined, 200), { status: 'posted' });
  const total = async (id: string) => (await expect('get', `/v1/accounts/${id}`, undefined, 200)).total;
  t.same([await total('led-hot'), await total('led-b'), await total('led-a')], ['52.00', '34.00', '14.00'], 'balances across accounts and sub-accounts');
  t.equal((await expect('get', '/v1/accounts/led-hot', undefined, 200)).parts.length, 4, 'the hot account shows its parts');

  // A hot account's close is a process over its parts: refused while it holds money (and its parts take money again), then closed.
  t.match(await expect('post', '/v1/accounts/led-hot/close', undefined, 409), { error: { code: 'account_balance_not_zero' } });
  await expect('post', '/v1/transfers', { id: 'led-empty', debit: 'led-hot', credit: 'led-a', amount: '52.00' }, 201);
  await platform.quiet();
  t.match(await expect('post', '/v1/accounts/led-hot/close', undefined, 200), { closed: true, total: '0.00' });
  t.match(await expect('post', '/v1/transfers', { id: 'led-late', debit: 'led-a', credit: 'led-hot', amount: '1.00' }, 422), { error: { code: 'credit_account_closed' } });
}

type Expect = (method: 'get' | 'post', path: string, body: object | undefined, status: number, key?: string) => Promise<any>;

const signed = (row: { side: string; amount: string }) => (row.side === 'credit' ? minorOf(row.amount) : -minorOf(row.amount));

/** Queries, end of day, reconciliation and the ops views: the read side sees every node's writes. */
async function records(t: Test, platform: LendingPlatform, expect: Expect, today: string): Promise<void> {
  const { http, opsKey } = platform;
  // Read your writes: no wait between the last command and the queries.
  const cashflow = await expect('get', '/v1/accounts/ann/cashflow?limit=500', undefined, 200);
  const total = minorOf((await http.get('/v1/accounts/ann')).body.total);
  t.equal(cashflow.items.reduce((sum: bigint, row: { side: string; amount: string }) => sum + signed(row), 0n), total, "ann's cashflow adds up to her wallet");
  t.ok(cashflow.items.some((row: { transferId: string }) => row.transferId.includes('w-ann')), 'the withdrawal is in her cashflow');
  const xuLegs = (await expect('get', '/v1/accounts/xu/cashflow?limit=500', undefined, 200)).items;
  t.equal(xuLegs.reduce((sum: bigint, row: { side: string; amount: string }) => sum + signed(row), 0n), minorOf((await http.get('/v1/accounts/xu')).body.total), "the borrower's cashflow adds up too");
  // Her money is all of one nature (debit-card recharges, principal, interest): the account says so, wherever it lives.
  const annAccount = await expect('get', '/v1/accounts/ann', undefined, 200);
  t.match(annAccount.natures, { withdrawable: { total: annAccount.total, available: annAccount.available }, refund_only: { total: '0.00' }, spend_only: { total: '0.00' } }, "ann's natures sum to her wallet");
  await statementIdentity(t, expect, 'ann', ['w-ann']);
  await statementIdentity(t, expect, 'ben', []);
  const claims = await expect('get', '/v1/claims?loan=L1', undefined, 200);
  t.ok(claims.items.length >= 2, 'the claims on L1, of both investors');
  const statement = await expect('get', `/v1/investors/ben/statement?from=2030-01-01&to=${today}`, undefined, 200);
  t.equal(statement.investor, 'ben');
  t.match(await expect('get', '/v1/accounts/nobody/cashflow', undefined, 404), { error: { code: 'account_not_found' } });

  // The first day closes; every partition's postings before its cut are in it.
  const closed = await expect('post', '/v1/eod/2030-01-01/close', undefined, 200, opsKey);
  t.equal(closed.balanced, true, 'the trial balance of the first day balances');
  t.same(await expect('get', '/v1/eod/2030-01-01', undefined, 200), closed, 'the stored report is the one the close answered');
  const balances = await expect('get', '/v1/eod/2030-01-01/balances?limit=500', undefined, 200);
  t.ok(balances.items.some((row: { account: string }) => row.account === 'ann'), "ann's closing balance is in the day's balances");
  t.match(await expect('post', '/v1/eod/2099-01-01/close', undefined, 409, opsKey), { error: { code: 'eod_day_not_over' } });

  // The bank's own statement of everything it booked: every entry matches, nothing else.
  await platform.quiet();
  const booked = [...platform.sim.books.entries];
  const accounts = [...platform.sim.books.accounts.keys()];
  const reconciled = await expect('post', '/v1/reconciliations', { id: 'contract', format: 'camt.053', content: statementCamt053(booked, null, new Date(), accounts) }, 201, opsKey);
  t.equal(reconciled.trusted, true);
  t.same(
    reconciled.findings.map((finding: { kind: string }) => finding.kind).filter((kind: string) => kind !== 'matched'),
    [],
    `every one of the bank's ${booked.length} entries matches an order`,
  );

  // The audit trail, wherever the actors live: ann's wallet was opened and invested by the
  // client's key; the recharge's credit was caused by the bank's callback.
  const trail = (await expect('get', '/ops/audit?actor=acct:ann&limit=500', undefined, 200, opsKey)).items as { who: string; orderId: string | null; events: string[] }[];
  t.match(trail[0], { who: /^client:[0-9a-f]{12}$/, orderId: 'ann', events: ['account_opened'] }, "ann's wallet opened by the client's key");
  t.ok(trail.some((item) => item.who === 'bank' && item.events.includes('transfer_credited')), "the recharge's credit was caused by the bank's callback");
  t.ok(trail.some((item) => item.who.startsWith('client:') && item.orderId === 'inv-ann'), 'the investment debited her by the client\'s order');
  t.match(await expect('get', '/ops/audit', undefined, 403), { error: { code: 'forbidden' } });
  // Every event of the whole story was caused by one of the two keys, the bank or fundcore itself: none by an unknown caller.
  const whos = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await expect('get', `/ops/audit?limit=500${cursor === null ? '' : `&cursor=${cursor}`}`, undefined, 200, opsKey);
    for (const item of page.items as { who: string }[]) whos.add(item.who);
    cursor = page.nextCursor;
  } while (cursor !== null);
  const keysSeen = [...whos].filter((who) => who !== 'bank' && who !== 'system');
  t.same(keysSeen.map((who) => who.split(':')[0]).sort(), ['client', 'ops'], `the causes are one client key, the ops key, the bank and the system (${[...whos].join(', ')})`);

  const latest = await expect('get', '/ops/reports/latest', undefined, 200, opsKey);
  t.equal(latest.eod?.date, '2030-01-01', 'the ops page shows the latest close');
  t.equal(latest.reconciliation?.id, 'contract', 'and the latest reconciliation');
  t.ok(Array.isArray((await expect('get', '/ops/accounts/hot', undefined, 200, opsKey)).items), 'the hot accounts list answers');
}

/**
 * An investor's wallet, line by line, is recharge − invest + principal + interest − fees −
 * withdrawals: each leg of her cashflow is named by the account on its other side (the bank,
 * the pool, the interest pool), and the withdrawals' fees by their orders. A leg that fits none
 * fails the test: nothing moves her money that the identity does not account for.
 */
async function statementIdentity(t: Test, expect: Expect, investor: string, withdrawalIds: readonly string[]): Promise<void> {
  const sums = { recharge: 0n, invest: 0n, principal: 0n, interest: 0n, toBank: 0n };
  for (const row of (await expect('get', `/v1/accounts/${investor}/cashflow?limit=500`, undefined, 200)).items as { transferId: string; side: string; amount: string }[]) {
    const transfer = await expect('get', `/v1/transfers/${encodeURIComponent(row.transferId)}`, undefined, 200);
    const other = row.side === 'credit' ? transfer.debit : transfer.credit;
    const amount = minorOf(row.amount);
    if (other === 'sys.bank' && row.side === 'credit') sums.recharge += amount;
    else if (other === 'sys.bank') sums.toBank += amount;
    else if (other === 'sys.pool' && row.side === 'debit') sums.invest += amount;
    else if (other === 'sys.pool') sums.principal += amount;
    else if (other === 'sys.ipool' && row.side === 'credit') sums.interest += amount;
    else t.fail(`${investor}: ${row.transferId} (${row.side} ${other}) is none of recharge, invest, principal, interest, fee, withdrawal`);
  }
  let fees = 0n;
  let withdrawals = 0n;
  for (const id of withdrawalIds) {
    const order = await expect('get', `/v1/withdrawals/${id}`, undefined, 200);
    fees += minorOf(order.fee ?? '0.00');
    withdrawals += minorOf(order.amount);
  }
  t.equal(fees + withdrawals, sums.toBank, `${investor}: what went to the bank is the withdrawals and their fees`);
  const balance = minorOf((await expect('get', `/v1/accounts/${investor}`, undefined, 200)).total);
  const identity = sums.recharge - sums.invest + sums.principal + sums.interest - fees - withdrawals;
  t.equal(identity, balance, `${investor}: recharge ${sums.recharge} − invest ${sums.invest} + principal ${sums.principal} + interest ${sums.interest} − fees ${fees} − withdrawals ${withdrawals} = balance ${balance}`);
}

/**
 * Nineteen months on, the first month of the story is archived (by the node's read side, or
 * the cluster gateway's): every query answers the same, and says so only in a header.
 */
async function archived(t: Test, platform: LendingPlatform, expect: Expect): Promise<void> {
  const { http, opsKey } = platform;
  const urls = ['/v1/accounts/ann/cashflow?limit=500', '/v1/claims?loan=L1', '/v1/investors/ben/statement?from=2030-01-01&to=2031-12-31', '/v1/transfers?account=ann&limit=500'];
  const answers = async () => {
    const out: Record<string, { body: unknown; source: string }> = {};
    for (const url of urls) {
      const { asOfPosition: _position, ...body } = await expect('get', url, undefined, 200);
      out[url] = { body, source: String((await http.get(url)).headers.get('fundcore-data-source')) };
    }
    return out;
  };
  await expect('post', '/ops/clock', { date: '2031-09-02' }, 200, opsKey);
  await expect('post', '/v1/eod/2031-09-01/close', undefined, 200, opsKey);
  await platform.quiet();
  const before = await answers();
  const report = await expect('post', '/ops/archive', {}, 200, opsKey);
  t.equal(report.archivedBefore, '2030-03-01', 'what ended before March 2030 goes');
  t.ok((report.moved as { table: string }[]).some((m) => m.table === 'legs'), 'the first month\'s legs moved');
  const after = await answers();
  for (const url of urls) t.same(after[url]?.body, before[url]?.body, `${url}: the same answer from the archive`);
  t.match(after['/v1/accounts/ann/cashflow?limit=500']?.source, /archive/, "ann's cashflow comes from the archive");
  t.match(await expect('post', '/ops/archive', {}, 403), { error: { code: 'forbidden' } });
}

/**
 * A conversion, wherever the accounts live: ann's yuan into a dollar wallet of hers. Both are
 * held at the bank, so the bank converts (one bank order) and both books still agree.
 */
async function converted(t: Test, platform: LendingPlatform, expect: Expect): Promise<void> {
  const { http } = platform;
  await expect('post', '/v1/accounts', { id: 'ann-usd', kind: 'investor_wallet', currency: 'USD' }, 201);
  // Not yet held at the bank: converting into it would put the ledger and the bank apart
  t.match(await expect('post', '/v1/conversions', { id: 'fx-early', from: 'ann', to: 'ann-usd', amount: '1.00', rate: '0.1381' }, 409), { error: { code: 'depository_account_not_open' } });
  await expect('post', '/v1/depository-accounts', { id: 'da-ann-usd', account: 'ann-usd' }, 201);
  await until('ann-usd is open at the bank', async () => (await http.get('/v1/depository-accounts/ann-usd')).body.status === 'open');
  const before = minorOf((await http.get('/v1/accounts/ann')).body.total);
  t.match(await expect('post', '/v1/conversions', { id: 'fx-ann', from: 'ann', to: 'ann-usd', amount: '70.00', rate: '0.1381' }, 202), { to: { currency: 'USD', amount: '9.67' }, atBank: true, orderNo: 'fx-fx-ann' });
  await until('the conversion completes', async () => (await http.get('/v1/conversions/fx-ann')).body.status === 'completed');
  await platform.quiet();
  t.equal((await http.get('/v1/accounts/ann-usd')).body.total, '9.67');
  t.equal(minorOf((await http.get('/v1/accounts/ann')).body.total), before - 7_000n);
  const bank = (id: string) => platform.sim.books.accounts.get(id)?.balance ?? null;
  t.equal(bank('ann-usd'), 9_67n, 'the bank paid the dollars');
  t.equal(minorOf((await http.get('/v1/accounts/ann')).body.total), bank('ann'), 'ann: the wallet still equals the bank\'s account');
  t.match(await expect('post', '/v1/conversions', { id: 'fx-bad', from: 'ann', to: 'ann-usd', amount: '1.00' }, 400), { error: { code: 'missing_field' } });
}
