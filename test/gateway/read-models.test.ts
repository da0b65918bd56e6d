import t from 'tap';
import { fundedWallets, gateway, journalFingerprint, opsKey, type GatewayHarness } from '../helpers/gateway.js';

const ops = { authorization: `Bearer ${opsKey}` };

async function withTraffic(t: Parameters<typeof gateway>[0]): Promise<GatewayHarness> {
  const h = await gateway(t, { businessClock: { mode: 'sim', startDate: '2032-01-05' } });
  await fundedWallets(h, { w1: '100.00', w2: '50.00' });
  t.equal((await h.post('/v1/transfers', { id: 't1', debit: 'w1', credit: 'w2', amount: '10.00' })).statusCode, 201);
  t.equal((await h.post('/v1/transfers', { id: 'p1', debit: 'w1', credit: 'w2', amount: '5.00', pending: true })).statusCode, 201);
  t.equal((await h.post('/v1/transfers', { id: 't2', debit: 'w2', credit: 'w1', amount: '1.50' })).statusCode, 201);
  t.equal((await h.post('/v1/transfers/t2/reverse')).statusCode, 201);
  await h.quiescent();
  return h;
}

/** Every page of a paged GET, following nextCursor. */
async function allPages(h: GatewayHarness, url: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const page = await h.get(`${url}${separator}limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
    if (page.statusCode !== 200) throw new Error(`${url}: ${page.body}`);
    const body = page.json();
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return items;
}

t.test('cashflow: every leg of the account, oldest first, decimal strings; paged with cursors, nothing twice', async (t) => {
  const h = await withTraffic(t);
  const whole = (await h.get('/v1/accounts/w1/cashflow')).json();
  t.same(
    whole.items.map((leg: any) => [leg.transferId, leg.side, leg.amount]),
    [
      ['fund-w1', 'credit', '100.00'],
      ['t1', 'debit', '10.00'],
      ['t2', 'credit', '1.50'],
      ['t2~reversal', 'debit', '1.50'],
    ],
    'the pending transfer moved nothing yet',
  );
  t.equal(whole.nextCursor, null);
  t.same(await allPages(h, '/v1/accounts/w1/cashflow'), whole.items, 'one item per page, the same legs');
  t.same((await h.get('/v1/accounts/w1/cashflow?fromDay=2032-01-06')).json().items, [], 'none on a later business day');
});

t.test('balance at an instant: the legs up to it', async (t) => {
  const h = await withTraffic(t);
  const now = new Date(Date.now() + 1_000).toISOString();
  t.same((await h.get(`/v1/accounts/w1/balance?at=${now}`)).json().balances, [{ currency: 'CNY', balance: '90.00' }]);
  t.same((await h.get('/v1/accounts/w1/balance?at=2000-01-01T00:00:00Z')).json().balances, [], 'before anything moved');
});

t.test('transfers by order no, account and status', async (t) => {
  const h = await withTraffic(t);
  const ids = async (query: string) => (await allPages(h, `/v1/transfers?${query}`)).map((row) => row.id);
  t.same(await ids('account=w1'), ['fund-w1', 'p1', 't1', 't2', 't2~reversal']);
  t.same(await ids('status=pending'), ['p1']);
  t.same(await ids('status=reversed'), ['t2']);
  t.same(await ids('orderNo=t1'), ['t1']);
  t.same(await ids('account=w2&status=posted'), ['fund-w2', 't1', 't2~reversal']);
});

t.test('an investor statement: opening, movements, closing over business days', async (t) => {
  const h = await withTraffic(t);
  const statement = (await h.get('/v1/investors/w1/statement?from=2032-01-05&to=2032-01-05')).json();
  t.match(statement, { opening: '0.00', closing: '90.00' });
  t.equal(statement.movements.length, 4);
  t.match((await h.get('/v1/investors/w1/statement?from=2032-01-06&to=2032-01-09')).json(), { opening: '90.00', closing: '90.00', movements: [] });
});

t.test('end of day over HTTP: ops close a day, anyone with a key reads it', async (t) => {
  const h = await withTraffic(t);
  t.equal((await h.post('/ops/clock', { advanceDays: 1 }, ops)).statusCode, 200);
  const closed = await h.post('/v1/eod/2032-01-05/close', undefined, ops);
  t.equal(closed.statusCode, 200);
  t.match(closed.json(), { date: '2032-01-05', balanced: true, trialBalance: [{ currency: 'CNY', debits: String, credits: String }], inFlight: [] });
  t.same((await h.post('/v1/eod/2032-01-05/close', undefined, ops)).json(), closed.json(), 'closing again answers the same report');
  t.same((await h.get('/v1/eod/2032-01-05')).json(), closed.json());
  const balances = await allPages(h, '/v1/eod/2032-01-05/balances');
  t.same(
    Object.fromEntries(balances.map((row) => [row.account, row.closing])),
    { bank: '-150.00', w1: '90.00', w2: '60.00' },
    'every account, system accounts unmoved are absent',
  );
});

type Bad = { name: string; url: string; method?: 'GET' | 'POST'; payload?: object; headers?: Record<string, string>; status: number; code: string };

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const camt = (amount: string, currency = 'CNY') =>
  `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S</Id><Acct><Id><Othr><Id>w1</Id></Othr></Id><Ccy>${currency}</Ccy></Acct><Ntry><Amt Ccy="${currency}">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2032-01-05</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>`;

const badRequests: Bad[] = [
  { name: 'cashflow of no account', url: '/v1/accounts/nobody/cashflow', status: 404, code: 'account_not_found' },
  { name: 'cashflow limit 0', url: '/v1/accounts/w1/cashflow?limit=0', status: 400, code: 'invalid_field' },
  { name: 'cashflow limit over the max', url: '/v1/accounts/w1/cashflow?limit=501', status: 400, code: 'invalid_field' },
  { name: 'cashflow limit not a number', url: '/v1/accounts/w1/cashflow?limit=ten', status: 400, code: 'invalid_field' },
  { name: 'cashflow cursor garbage', url: '/v1/accounts/w1/cashflow?cursor=%%%', status: 400, code: 'invalid_cursor' },
  { name: "cashflow with another query's cursor", url: `/v1/accounts/w1/cashflow?cursor=${cursorOf(['t1'])}`, status: 400, code: 'invalid_cursor' },
  { name: 'cashflow cursor of the right length and the wrong kind', url: `/v1/accounts/w1/cashflow?cursor=${cursorOf(['x', 0])}`, status: 400, code: 'invalid_cursor' },
  { name: 'cashflow cursor with a fraction', url: `/v1/accounts/w1/cashflow?cursor=${cursorOf([1.5, 0])}`, status: 400, code: 'invalid_cursor' },
  { name: 'cashflow from not an instant', url: '/v1/accounts/w1/cashflow?from=yesterday', status: 400, code: 'invalid_field' },
  { name: 'cashflow from after to', url: '/v1/accounts/w1/cashflow?from=2032-02-01T00:00:00Z&to=2032-01-01T00:00:00Z', status: 400, code: 'invalid_field' },
  { name: 'cashflow fromDay not a date', url: '/v1/accounts/w1/cashflow?fromDay=2032-13-01', status: 400, code: 'invalid_field' },
  { name: 'cashflow unknown parameter', url: '/v1/accounts/w1/cashflow?sort=desc', status: 400, code: 'unknown_field' },
  { name: 'balance without at', url: '/v1/accounts/w1/balance', status: 400, code: 'missing_field' },
  { name: 'balance at garbage', url: '/v1/accounts/w1/balance?at=soon', status: 400, code: 'invalid_field' },
  { name: 'balance of no account', url: '/v1/accounts/nobody/balance?at=2032-01-01T00:00:00Z', status: 404, code: 'account_not_found' },
  { name: 'transfers by an unknown status', url: '/v1/transfers?status=lost', status: 400, code: 'invalid_field' },
  { name: 'transfers cursor garbage', url: '/v1/transfers?cursor=abc', status: 400, code: 'invalid_cursor' },
  { name: 'claims by an unknown status', url: '/v1/claims?status=lost', status: 400, code: 'invalid_field' },
  { name: 'statement without to', url: '/v1/investors/w1/statement?from=2032-01-01', status: 400, code: 'missing_field' },
  { name: 'statement from after to', url: '/v1/investors/w1/statement?from=2032-02-01&to=2032-01-01', status: 400, code: 'invalid_field' },
  { name: 'statement of no account', url: '/v1/investors/nobody/statement?from=2032-01-01&to=2032-01-02', status: 404, code: 'account_not_found' },
  { name: 'close without the ops key', method: 'POST', url: '/v1/eod/2032-01-04/close', status: 403, code: 'forbidden' },
  { name: 'close a day not over', method: 'POST', url: '/v1/eod/2032-01-06/close', headers: ops, status: 409, code: 'eod_day_not_over' },
  { name: 'close a date that is no date', method: 'POST', url: '/v1/eod/2032-02-30/close', headers: ops, status: 400, code: 'invalid_field' },
  { name: 'report of a day not closed', url: '/v1/eod/2032-01-04', status: 404, code: 'eod_day_not_closed' },
  { name: 'balances of a day not closed', url: '/v1/eod/2032-01-04/balances', status: 404, code: 'eod_day_not_closed' },
  { name: 'reconcile without the ops key', method: 'POST', url: '/v1/reconciliations', payload: { format: 'camt.053', content: camt('1.00') }, status: 403, code: 'forbidden' },
  { name: 'reconcile without naming it', method: 'POST', url: '/v1/reconciliations', payload: { format: 'camt.053', content: camt('1.00') }, headers: ops, status: 400, code: 'missing_id' },
  { name: 'reconcile an unknown format', method: 'POST', url: '/v1/reconciliations', payload: { format: 'pdf', content: 'x' }, headers: ops, status: 400, code: 'invalid_field' },
  { name: 'reconcile malformed XML', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'camt.053', content: '<Document><BkToCstmrStmt>' }, headers: ops, status: 400, code: 'statement_malformed' },
  { name: 'reconcile a camt with a DOCTYPE and entities', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'auto', content: camt('1.00').replace('<Document', '<!DOCTYPE Document [<!ENTITY a "b">]><Document') }, headers: ops, status: 400, code: 'statement_dtd_forbidden' },
  { name: 'reconcile a camt cut short', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'auto', content: camt('1.00').slice(0, camt('1.00').indexOf('</Stmt>') + 7) }, headers: ops, status: 400, code: 'statement_malformed' },
  { name: 'reconcile a camt amount beyond the limit', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'camt.053', content: camt('999999999999999999999999.99') }, headers: ops, status: 400, code: 'statement_amount_invalid' },
  { name: 'reconcile an MT940 line of 2,000,000 characters', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'mt940', content: `:20:A\n:25:w1\n:60F:C320105CNY1,00\n:61:${'X'.repeat(2_000_000)}\n-` }, headers: ops, status: 400, code: 'statement_unreadable' },
  { name: 'reconcile a CSV amount beyond the limit', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'csv', content: 'r,a,d\nx,999999999999999999999999.99,2032-01-05\n', csv: { columns: { reference: 'r', amount: 'a', date: 'd' }, currency: 'CNY' } }, headers: ops, status: 400, code: 'statement_amount_invalid' },
  { name: 'reconcile an amount with an exponent', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'camt.053', content: camt('1e2') }, headers: ops, status: 400, code: 'statement_amount_invalid' },
  { name: 'reconcile an amount finer than a fen', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'camt.053', content: camt('1.001') }, headers: ops, status: 400, code: 'statement_amount_invalid' },
  { name: 'reconcile an unknown currency', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'camt.053', content: camt('1.00', 'XXX') }, headers: ops, status: 400, code: 'statement_currency_unknown' },
  { name: 'reconcile a CSV without its column map', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'csv', content: 'a,b\n1,2\n' }, headers: ops, status: 400, code: 'statement_unreadable' },
  { name: 'reconcile a CSV column map without amount', method: 'POST', url: '/v1/reconciliations', payload: { format: 'csv', content: 'a\n1\n', csv: { columns: { reference: 'a', date: 'a' }, currency: 'CNY' } }, headers: ops, status: 400, code: 'missing_field' },
  { name: 'reconcile a window of 100 days', method: 'POST', url: '/v1/reconciliations', payload: { format: 'camt.053', content: camt('1.00'), dateWindowDays: 100 }, headers: ops, status: 400, code: 'invalid_field' },
  { name: 'reconcile an entry dated a day that does not exist', method: 'POST', url: '/v1/reconciliations', payload: { id: 'r1', format: 'camt.053', content: camt('1.00').replace('2032-01-05', '2032-02-30') }, headers: ops, status: 400, code: 'statement_unreadable' },
  { name: 'a reconciliation that is not there', url: '/v1/reconciliations/none', headers: ops, status: 404, code: 'reconciliation_not_found' },
  { name: 'repair of a reconciliation that is not there', method: 'POST', url: '/v1/reconciliations/none/repairs', payload: { finding: 0, action: 'supplement' }, headers: ops, status: 404, code: 'reconciliation_not_found' },
  { name: 'repair by an unknown action', method: 'POST', url: '/v1/reconciliations/none/repairs', payload: { finding: 0, action: 'delete' }, headers: ops, status: 400, code: 'invalid_field' },
];

t.test('bad input to the read-model, end-of-day and reconciliation routes: a stable 4xx code, nothing changed', async (t) => {
  const h = await withTraffic(t);
  const before = journalFingerprint(h.journal);
  for (const bad of badRequests) {
    const response = await h.call({ method: bad.method ?? 'GET', url: bad.url, ...(bad.payload !== undefined ? { payload: bad.payload } : {}), headers: bad.headers ?? {} });
    t.equal(response.statusCode, bad.status, `${bad.name}: ${response.body.slice(0, 200)}`);
    t.equal(response.json().error?.code, bad.code, bad.name);
    t.ok(response.body.length < 2_000, `${bad.name}: the answer quotes little of the input`);
  }
  t.equal(journalFingerprint(h.journal), before, 'the journal is as it was');
});
