import t from 'tap';
import { depositOrderNo, depositTransferId } from '../../actors/lending/ids.js';
import type { StatementEntry } from '../../bench/bank-sim/books.js';
import { statementCamt053, statementCsv } from '../../bench/bank-sim/statement.js';
import { eventually } from '../helpers/callback-receiver.js';
import { startSimulatedPlatform, e2eKeys } from '../helpers/e2e.js';
import { minorOf } from '../helpers/http-client.js';

const { apiKey, opsKey } = e2eKeys;

/** The sim's CSV export, read through a column map as any bank's CSV would be. */
const simCsv = {
  columns: { reference: 'orderNo', instruction: 'ref', account: 'account', amount: 'amount', date: 'bookingDate', direction: 'direction', currency: 'currency', bankReference: 'bankTxnId' },
  currency: 'CNY',
};

interface Finding {
  index: number;
  kind: string;
  rule: string | null;
  entry: { reference: string | null; account: string; amount: string } | null;
  orders: { orderNo: string; amount: string }[];
  drift: { account: string; difference: string } | null;
}

const kinds = (findings: Finding[]) => findings.reduce<Record<string, number>>((counts, f) => ({ ...counts, [f.kind]: (counts[f.kind] ?? 0) + 1 }), {});

t.test('statements the bank simulator exports, with a dropped order, a missing-at-bank order, an amount change and a status difference injected: each found once, classified right, nothing else; repairs go through the ledger, once', async (t) => {
  const { http, sim, node } = await startSimulatedPlatform(t, { seed: 3, behaviour: { delayMinMs: 1, delayMaxMs: 10, failureRate: 0, duplicateRate: 0, reorderRate: 0, lossRate: 0, dropRate: 0 }, startDate: '2030-06-03', poolShards: 2 });
  const quiet = () => eventually(async () => sim.idle && (await http.get('/health')).body.relay.backlog === 0, 20_000);
  const total = async (account: string) => minorOf((await http.get(`/v1/accounts/${account}`)).body.total as string);

  // Given: wallets with depository accounts, deposits (one the bank fails), a loan funded by
  // two investors and disbursed as one batch, and a withdrawal.
  const people = [
    ['ann', 'investor_wallet'],
    ['ben', 'investor_wallet'],
    ['cai', 'investor_wallet'],
    ['dan', 'investor_wallet'],
    ['xu', 'borrower_wallet'],
  ] as const;
  for (const [id, kind] of people) t.equal((await http.post('/v1/accounts', { id, kind })).status, 201);
  for (const [id] of people) t.equal((await http.post('/v1/depository-accounts', { id, account: id })).status, 201);
  await eventually(async () => (await Promise.all(people.map(async ([id]) => (await http.get(`/v1/depository-accounts/${id}`)).body.status))).every((s) => s === 'open'));
  const deposits = [['ann', 'ann', '3000.00'], ['ben', 'ben', '3000.00'], ['ben-2', 'ben', '100.00'], ['cai', 'cai', '1000.00'], ['dan', 'dan', '2000.00']] as const;
  for (const [id, account, amount] of deposits) t.equal((await http.post('/v1/deposits', { id, account, amount })).status, 201);
  await eventually(async () => (await Promise.all(deposits.map(async ([id]) => (await http.get(`/v1/deposits/${id}`)).body.status))).every((s) => s === 'succeeded'));
  sim.setBehaviour({ failureRate: 1 });
  t.equal((await http.post('/v1/deposits', { id: 'cai-2', account: 'cai', amount: '500.00' })).status, 201);
  await eventually(async () => (await http.get('/v1/deposits/cai-2')).body.status === 'failed');
  sim.setBehaviour({ failureRate: 0 });
  t.equal((await http.post('/v1/investments', { id: 'inv-ann', investor: 'ann', amount: '2000.00', termDays: 90 })).status, 201);
  t.equal((await http.post('/v1/investments', { id: 'inv-dan', investor: 'dan', amount: '1500.00', termDays: 90 })).status, 201);
  t.equal((await http.post('/v1/loans', { id: 'loan-1', borrower: 'xu', amount: '3000.00', annualRate: '0.10', termMonths: 3, method: 'equal_installment' })).status, 201);
  await eventually(async () => (await http.get('/v1/loans/loan-1')).body.status === 'funded');
  await http.post('/ops/clock', { advanceDays: 1 }, opsKey);
  t.equal((await http.post('/v1/loans/loan-1/approve', undefined, opsKey)).status, 200);
  await eventually(async () => (await http.get('/v1/loans/loan-1')).body.status === 'repaying', 20_000);
  await quiet();
  t.equal((await http.post('/v1/withdrawals', { id: 'xu-out', account: 'xu', amount: '1000.00' })).status, 201);
  await eventually(async () => (await http.get('/v1/withdrawals/xu-out')).body.status === 'succeeded');
  await quiet();

  const booked: readonly StatementEntry[] = [...sim.books.entries];
  const accounts = [...sim.books.accounts.keys()];
  const disbursed = booked.filter((e) => e.kind !== 'deposit' && e.kind !== 'withdrawal');
  t.ok(disbursed.length >= 4, `the disbursement is a batch of items, each booked twice (${disbursed.length} entries)`);

  const reconcile = async (body: object) => {
    const answer = await http.post('/v1/reconciliations', body, opsKey);
    t.equal(answer.status, 201, JSON.stringify(answer.body).slice(0, 300));
    return answer.body as { id: string; trusted: boolean; summary: Record<string, number>; findings: Finding[] };
  };

  // When the bank's own export is reconciled: everything matches by reference, nothing else.
  const clean = await reconcile({ id: 'clean', format: 'camt.053', content: statementCamt053(booked, null, new Date(), accounts) });
  t.equal(clean.trusted, true);
  t.same(kinds(clean.findings), { matched: booked.length }, 'no false positives on a clean statement');
  t.ok(clean.findings.every((f) => f.rule === 'reference'));
  // Issue 18, defect 13: a wallet ahead of its bank account with no order in between (a chaos run's
  // leftover) is a balance drift, though every order matches; undone, the drift is gone.
  const ahead = await node.ledger.transferAnyAccount({ id: 'chaos-ahead', debit: 'sys.bank', credit: 'dan', amount: '100.00', pending: false, timeoutMs: null, memo: 'test: a wallet ahead of the bank' });
  t.ok(ahead.ok, 'the ledger credits dan without the bank');
  await quiet();
  const drifted = await reconcile({ id: 'clean-drifted', format: 'camt.053', content: statementCamt053(booked, null, new Date(), accounts) });
  t.same(kinds(drifted.findings), { matched: booked.length, balance_drift: 1 }, 'every order matches; one balance drift');
  t.match(drifted.findings.find((f) => f.kind === 'balance_drift'), { entry: null, drift: { account: 'dan', difference: '-100.00' } }, 'the bank holds 100.00 less than the ledger says');
  t.ok((await node.ledger.reverseAnyTransfer('chaos-ahead', 'test: undone')).ok);
  await quiet();
  const undone = await reconcile({ id: 'clean-undone', format: 'camt.053', content: statementCamt053(booked, null, new Date(), accounts) });
  t.same(kinds(undone.findings), { matched: booked.length }, 'reversed: no drift');
  // Issue 18, defect 11: the order number in the instruction id or the remittance text instead.
  for (const place of ['instruction', 'remittance'] as const) {
    const elsewhere = await reconcile({ id: `clean-${place}`, format: 'camt.053', content: statementCamt053(booked, null, new Date(), accounts, place) });
    t.same(kinds(elsewhere.findings), { matched: booked.length }, `order numbers in the ${place}: all matched`);
    t.ok(elsewhere.findings.every((f) => f.rule === 'reference'), `order numbers in the ${place}: by reference`);
  }

  // Injected: a deposit the bank booked that fundcore never sent (a dropped order, 掉单); ben's
  // deposit removed (missing at bank); ann's deposit changed by 1.00; the failed deposit booked.
  const day = booked[0]?.bookingDate as string;
  const ghost: StatementEntry = { seq: 9_001, bookingDate: day, orderNo: 'dep-ghost', kind: 'deposit', ref: 'dep-ghost', account: 'cai', direction: 'credit', amount: 777_00n, currency: 'CNY', bankTxnId: 'BT-GHOST' };
  const failedBooked: StatementEntry = { seq: 9_002, bookingDate: day, orderNo: depositOrderNo('cai-2'), kind: 'deposit', ref: depositOrderNo('cai-2'), account: 'cai', direction: 'credit', amount: 500_00n, currency: 'CNY', bankTxnId: 'BT-LATE' };
  const tampered = [
    ...booked
      .filter((e) => e.orderNo !== depositOrderNo('ben'))
      .map((e) => (e.orderNo === depositOrderNo('ann') ? { ...e, amount: e.amount - 100n } : e)),
    ghost,
    failedBooked,
  ];
  const expected = { matched: booked.length - 2, missing_internally: 1, missing_at_bank: 1, amount_mismatch: 1, status_mismatch: 1 };

  const camt = await reconcile({ id: 'injected-camt', format: 'auto', content: statementCamt053(tampered, null, new Date(), accounts) });
  t.equal(camt.trusted, true, 'the tampered statement still foots: its balances were exported with it');
  t.same(kinds(camt.findings), { ...expected, balance_drift: 3 }, 'camt.053: each difference once, nothing else');
  // Issue 18, defect 13: each tampered account's closing balance is off what the ledger says the bank should hold.
  t.same(
    camt.findings.filter((f) => f.kind === 'balance_drift').map((f) => [f.drift?.account, f.drift?.difference]),
    [
      ['ann', '-1.00'],
      ['ben', '-3000.00'],
      ['cai', '1277.00'],
    ],
  );
  const find = (report: typeof camt, kind: string) => report.findings.filter((f) => f.kind === kind);
  t.match(find(camt, 'missing_internally'), [{ entry: { reference: 'dep-ghost', account: 'cai', amount: '777.00' }, orders: [] }]);
  t.match(find(camt, 'missing_at_bank'), [{ entry: null, orders: [{ orderNo: depositOrderNo('ben'), amount: '3000.00' }] }]);
  t.match(find(camt, 'amount_mismatch'), [{ entry: { reference: depositOrderNo('ann'), amount: '2999.00' }, orders: [{ orderNo: depositOrderNo('ann'), amount: '3000.00' }] }]);
  t.match(find(camt, 'status_mismatch'), [{ entry: { reference: depositOrderNo('cai-2') }, orders: [{ orderNo: depositOrderNo('cai-2') }] }]);

  // The same through the CSV export and a column map, with the borrower's side of the batch
  // shown as one line without references: matched one-to-many.
  const toBorrower = tampered.filter((e) => e.account === 'xu' && e.direction === 'credit' && e.kind !== 'deposit');
  const lumped: StatementEntry = { ...(toBorrower[0] as StatementEntry), orderNo: '', ref: '', amount: toBorrower.reduce((sum, e) => sum + e.amount, 0n), bankTxnId: 'BT-LUMP' };
  const csvEntries = [...tampered.filter((e) => !toBorrower.includes(e)), lumped];
  const csv = await reconcile({ id: 'injected-csv', format: 'csv', content: statementCsv(csvEntries, null), csv: simCsv });
  t.same(kinds(csv.findings), { ...expected, matched: expected.matched - toBorrower.length + 1 }, 'CSV: the same differences, nothing else');
  t.match(
    csv.findings.filter((f) => f.rule === 'one_to_many'),
    [{ entry: { account: 'xu', amount: '3000.00' }, orders: toBorrower.map(() => ({})) }],
    'the lumped batch line matched its items',
  );

  // A statement that does not foot is reported as untrusted.
  const broken = statementCamt053(tampered, null, new Date(), accounts).replace(/(<Cd>CLBD<\/Cd><\/CdOrPrtry><\/Tp><Amt Ccy="CNY">)(\d+)\./, (_m, head: string, whole: string) => `${head}${Number(whole) + 1}.`);
  const untrusted = await reconcile({ id: 'not-footing', format: 'camt.053', content: broken });
  t.equal(untrusted.trusted, false, 'a statement whose opening + entries ≠ closing is not trusted');

  // Then: repairs, by ops, through normal commands; each idempotent.
  const repair = (report: string, finding: number, action: string, key = opsKey) => http.post(`/v1/reconciliations/${report}/repairs`, { finding, action }, key);
  const only = (kind: string) => find(camt, kind)[0] as Finding;
  const [dropped, atBankMissing, mismatch, status] = [only('missing_internally'), only('missing_at_bank'), only('amount_mismatch'), only('status_mismatch')];
  const caiBefore = await total('cai');
  const first = await repair('injected-camt', dropped.index, 'supplement');
  t.equal(first.status, 201);
  t.match(first.body, { action: 'supplement', via: 'transfer sup-injected-camt-' });
  t.same((await repair('injected-camt', dropped.index, 'supplement')).body, first.body, 'asked again: the same repair');
  await quiet();
  t.equal(await total('cai'), caiBefore + 777_00n, 'the dropped deposit credited once');
  t.equal((await repair('injected-camt', dropped.index, 'reverse')).body.error.code, 'repair_not_applicable', 'the other action on a repaired finding');

  t.equal((await repair('injected-camt', atBankMissing.index, 'reverse')).status, 201);
  t.equal((await repair('injected-camt', atBankMissing.index, 'reverse')).status, 201);
  await quiet();
  t.equal(await total('ben'), 100_00n, "ben's deposit the bank never booked is reversed, once");
  t.match((await http.get(`/v1/transfers/${depositTransferId('ben')}`)).body, { amount: '3000.00', reversedBy: String }, 'the original posting is still there, reversed: nothing deleted');

  const annBefore = await total('ann');
  t.equal((await repair('injected-camt', mismatch.index, 'reverse')).body.error.code, 'repair_not_applicable', 'an amount mismatch is not reversed whole (the bank did book it)');
  t.equal((await repair('injected-camt', mismatch.index, 'supplement')).status, 201, 'and the refusal locked nothing');
  await quiet();
  t.equal(await total('ann'), annBefore - 100n, 'an amount mismatch supplemented by its difference');

  t.equal((await repair('injected-camt', status.index, 'supplement')).status, 201);
  await quiet();
  t.equal(await total('cai'), caiBefore + 777_00n + 500_00n, 'the failed deposit the bank booked after all, credited');

  const matched = camt.findings.find((f) => f.kind === 'matched') as Finding;
  t.equal((await repair('injected-camt', matched.index, 'supplement')).body.error.code, 'repair_not_applicable', 'a matched finding needs no repair');
  t.equal((await repair('injected-camt', 9_999, 'supplement')).status, 404);
  t.equal((await repair('no-such', 0, 'supplement')).body.error.code, 'reconciliation_not_found');
  t.equal((await repair('injected-camt', dropped.index, 'supplement', apiKey)).status, 403, 'repairs need the ops key');

  const stored = await http.get('/v1/reconciliations/injected-camt', opsKey);
  t.same(kinds(stored.body.findings), { ...expected, balance_drift: 3 }, 'the stored report is the report');
  t.equal(stored.body.findings.filter((f: { repair: unknown }) => f.repair !== null).length, 4, 'with its four repairs');

  // The same id with the same statement answers the stored report; with another, it is refused.
  t.same((await http.post('/v1/reconciliations', { id: 'clean', format: 'camt.053', content: statementCamt053(booked, null, new Date(0), accounts) }, opsKey)).body.error.code, 'id_reused_with_different_content');

  // The ledger still sums to zero over every account.
  const ledgerAccounts = [...people.map(([id]) => id), 'sys.bank', 'sys.pool', 'sys.revenue', 'sys.guarantee'];
  await quiet();
  let sum = 0n;
  for (const id of ledgerAccounts) {
    const account = await node.ledger.getAccount(id);
    if (!account.ok) throw new Error(`${id}: ${account.code}`);
    sum += account.value.creditsPosted - account.value.debitsPosted;
  }
  t.equal(sum, 0n, 'the ledger sums to zero after the repairs');
});
