import { existsSync } from 'node:fs';
import t from 'tap';
import { eventually } from '../helpers/callback-receiver.js';
import { HttpClient, minorOf } from '../helpers/http-client.js';
import { tempDir } from '../helpers/ledger.js';
import { bankSimEntry, serverEntry, startBankSim, startServer, type ServerProcess } from '../helpers/server-process.js';

const apiKey = 'crash-api-key';
const opsKey = 'crash-ops-key';
const secret = 'crash-bank-secret';
const investors = Array.from({ length: 8 }, (_, i) => `inv${i}`);
const borrowers = ['b0', 'b1', 'b2'];
const kills = 4;

interface Command {
  readonly path: string;
  readonly body?: object;
  readonly key?: string;
  /** The final answer; null while unknown (no answer, or a 503). */
  status: number | null;
}

const missing = !existsSync(serverEntry) || !existsSync(bankSimEntry);

t.test('SIGKILL across matching and disbursement, 4 times: no double disbursement, no lost reservation, both books agree', { skip: missing && 'dist/ is missing: npm test builds it first' }, async (t) => {
  const bank = await startBankSim({ FUNDCORE_BANK_SECRET: secret, BANK_SIM_SEED: '11', BANK_SIM_DELAY_MS: '5-80', BANK_SIM_FAILURE_RATE: '0', BANK_SIM_DUPLICATE_RATE: '0.2', BANK_SIM_REORDER_RATE: '0.2', BANK_SIM_LOSS_RATE: '0.2', BANK_SIM_DROP_RATE: '0.05', BANK_SIM_CALLBACK_RETRY_MS: '50', BANK_SIM_CALLBACK_ATTEMPTS_MAX: '3' });
  t.teardown(() => bank.kill());
  const env = {
    DATA_DIR: tempDir(t, 'fundcore-lending-crash-'),
    FUNDCORE_API_KEY: apiKey,
    FUNDCORE_OPS_KEY: opsKey,
    FUNDCORE_BANK_URL: bank.url,
    FUNDCORE_BANK_SECRET: secret,
    FUNDCORE_CLOCK: 'sim',
    FUNDCORE_CLOCK_START: '2030-05-01',
    FUNDCORE_POOL_SHARDS: '4',
    FUNDCORE_BANK_QUERY_AFTER_MS: '300',
  };
  let server: ServerProcess = await startServer(env);
  t.teardown(() => server.kill());
  let http = new HttpClient(server.url, apiKey);
  const control = async (behaviour: object) => {
    // The simulator's knobs are signed like any request to it.
    const { signPayload, requestPayload } = await import('../../actors/bank/signature.js');
    const body = JSON.stringify(behaviour);
    const timestamp = String(Date.now());
    const response = await fetch(`${bank.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bank-timestamp': timestamp, 'x-bank-signature': signPayload(secret, timestamp, requestPayload('POST', '/control', body)) }, body });
    if (response.status !== 200) throw new Error(`control: ${response.status}`);
  };

  const bankBalance = async (account: string) => ((await (await fetch(`${bank.url}/accounts/${account}`)).json()) as { balance: string }).balance;

  // Setup, without kills: wallets, depository accounts, 10,000.00 deposited per investor.
  for (const id of investors) await http.post('/v1/accounts', { id, kind: 'investor_wallet' });
  for (const id of borrowers) await http.post('/v1/accounts', { id, kind: 'borrower_wallet' });
  for (const id of [...investors, ...borrowers]) await http.post('/v1/depository-accounts', { id, account: id });
  await eventually(async () => (await Promise.all([...investors, ...borrowers].map(async (id) => (await http.get(`/v1/depository-accounts/${id}`)).body.status))).every((s) => s === 'open'), 20_000);
  for (const id of investors) await http.post('/v1/deposits', { id: `d-${id}`, account: id, amount: '10000.00' });
  await eventually(async () => (await Promise.all(investors.map(async (id) => (await http.get(`/v1/accounts/${id}`)).body.total))).every((total) => total === '10000.00'), 20_000);
  await control({ failureRate: 0.25 });

  // Load: investments, loans and approvals from concurrent clients, the node killed under them.
  const commands: Command[] = [];
  const loanIds: string[] = [];
  const investmentIds: string[] = [];
  let seq = 0;
  const send = async (command: Command) => {
    try {
      const response = await http.post(command.path, command.body, command.key);
      if (response.status < 500 && response.status !== 202) command.status = response.status;
    } catch {
      // The connection died with the server: the outcome is unknown until a retry tells.
    }
  };
  for (let round = 0; round < kills; round++) {
    let running = true;
    const worker = async (n: number) => {
      while (running) {
        const pick = seq++;
        let command: Command;
        if (n === 0 && loanIds.length > 0) {
          command = { path: `/v1/loans/${loanIds[pick % loanIds.length]}/approve`, key: opsKey, status: null };
        } else if (pick % 3 === 0) {
          const id = `L${pick}`;
          loanIds.push(id);
          command = { path: '/v1/loans', body: { id, borrower: borrowers[pick % borrowers.length], amount: `${300 + (pick % 7) * 110}.00`, annualRate: '0.1', termDays: 60, method: 'bullet' }, status: null };
        } else {
          const id = `I${pick}`;
          investmentIds.push(id);
          command = { path: '/v1/investments', body: { id, investor: investors[pick % investors.length], amount: `${200 + (pick % 5) * 90}.00`, termDays: [30, 90, 365][pick % 3] }, status: null };
        }
        if (command.path.endsWith('/approve')) await send(command);
        else {
          commands.push(command);
          await send(command);
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
    await server.kill();
    running = false;
    await Promise.all(workers);
    server = await startServer(env);
    http = new HttpClient(server.url, apiKey);
    // Every command whose outcome is unknown is sent again, with the same id and content, until it is known.
    for (const command of commands.filter((c) => c.status === null)) {
      for (let tries = 0; command.status === null && tries < 50; tries++) {
        await send(command);
        if (command.status === null) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  t.same(commands.filter((c) => c.status === null), [], 'every command has a definite outcome');
  t.same([...new Set(commands.map((c) => c.status))].filter((s) => s !== 201 && s !== 422), [], 'accepted, or refused for want of money');
  const acceptedLoans = commands.filter((c) => c.path === '/v1/loans' && c.status === 201).map((c) => (c.body as { id: string }).id);
  const acceptedInvestments = commands.filter((c) => c.path === '/v1/investments' && c.status === 201).map((c) => (c.body as { id: string }).id);
  t.ok(acceptedLoans.length >= 10 && acceptedInvestments.length >= 20, `load was real: ${acceptedLoans.length} loans, ${acceptedInvestments.length} investments`);

  // The end: approve whatever is funded until every loan has settled one way or the other (or waits for capital).
  await eventually(async () => {
    let moving = 0;
    for (const id of acceptedLoans) {
      const loan = (await http.get(`/v1/loans/${id}`)).body;
      if (loan.status === 'funded') await http.post(`/v1/loans/${id}/approve`, undefined, opsKey);
      if (loan.status === 'funded' || loan.status === 'approved' || loan.status === 'disbursing' || loan.matching.walking) moving++;
    }
    return moving === 0 && (await http.get('/health')).body.relay.backlog === 0;
  }, 60_000);

  const loans = await Promise.all(acceptedLoans.map(async (id) => (await http.get(`/v1/loans/${id}`)).body));
  const repaying = loans.filter((l) => l.status === 'repaying');
  t.ok(repaying.length > 0 && loans.some((l) => l.status === 'failed'), `${repaying.length} repaying, ${loans.filter((l) => l.status === 'failed').length} failed, ${loans.filter((l) => l.status === 'matching').length} waiting for capital`);

  // No double disbursement: each borrower got exactly the repaying loans, in fundcore and at the bank; each loan's batch was booked once.
  const statement = await (await fetch(`${bank.url}/statement.csv`)).text();
  const booked = new Map<string, bigint>();
  for (const line of statement.trim().split('\r\n').slice(1)) {
    const [, , , direction, amount, , orderNo, kind] = line.split(',');
    if (kind === 'disbursement' && direction === 'credit') booked.set(orderNo as string, (booked.get(orderNo as string) ?? 0n) + minorOf(amount as string));
  }
  for (const loan of loans) {
    const expected = loan.status === 'repaying' ? minorOf(loan.amount) : 0n;
    t.equal(booked.get(`disb-${loan.id}`) ?? 0n, expected, `${loan.id} (${loan.status}): paid out ${expected === 0n ? 'never' : 'once'} at the bank`);
  }
  for (const borrower of borrowers) {
    const paid = repaying.filter((l) => l.borrower === borrower).reduce((sum, l) => sum + minorOf(l.amount), 0n);
    t.equal(minorOf((await http.get(`/v1/accounts/${borrower}`)).body.total), paid, `${borrower}: fundcore paid each of its loans once`);
    t.equal(minorOf(await bankBalance(borrower)), paid, `${borrower}: so did the bank`);
  }

  // No lost reservation: every capital's reservation is exactly its loans' live claims; matched exactly the matched ones.
  const claimsByCapital = new Map<string, { reserved: bigint; matched: bigint }>();
  for (const loan of loans) {
    for (const claim of loan.claims) {
      const entry = claimsByCapital.get(claim.capitalId) ?? { reserved: 0n, matched: 0n };
      if (claim.status === 'matched') entry.matched += minorOf(claim.amount);
      if (claim.status === 'pre_processing' || claim.status === 'matching') entry.reserved += minorOf(claim.amount);
      claimsByCapital.set(claim.capitalId, entry);
    }
  }
  let unmatched = 0n;
  let mismatches = 0;
  for (const id of acceptedInvestments) {
    const investment = (await http.get(`/v1/investments/${id}`)).body;
    if (investment.status !== 'active') {
      mismatches++;
      continue;
    }
    const capital = investment.capital;
    const entry = claimsByCapital.get(capital.id) ?? { reserved: 0n, matched: 0n };
    if (minorOf(capital.reserved) !== entry.reserved || minorOf(capital.matched) !== entry.matched) mismatches++;
    unmatched += minorOf(capital.principal) - minorOf(capital.matched);
  }
  t.equal(mismatches, 0, 'every acknowledged investment is active, its capital reserved and matched exactly as its claims say');
  t.equal(minorOf((await http.get('/v1/accounts/sys.pool')).body.total), unmatched, 'the pool account holds exactly the unmatched capital');
  for (const id of investors) {
    const wallet = minorOf((await http.get(`/v1/accounts/${id}`)).body.total);
    const unmatchedOwn = (await Promise.all(acceptedInvestments.filter((inv) => Number(inv.slice(1)) % investors.length === investors.indexOf(id)).map(async (inv) => (await http.get(`/v1/investments/${inv}`)).body.capital))).reduce((sum, c) => sum + minorOf(c.principal) - minorOf(c.matched), 0n);
    t.equal(minorOf(await bankBalance(id)), wallet + unmatchedOwn, `${id}: the bank holds the wallet plus the unmatched capital`);
  }
  await server.stop();
});
