import t from 'tap';
import { bankCallbackPath } from '../../gateway/auth.js';
import { getJson, nodeEnv, postJson, startClusterProcess, testOpsKey, waitFor, type ClusterProcess } from '../helpers/cluster-process.js';
import { e2eBankSecret, startBankSimulator } from '../helpers/e2e.js';
import { minorOf } from '../helpers/http-client.js';
import { statementCamt053 } from '../../bench/bank-sim/statement.js';
import { addMonths } from '../../core/calendar/business-date.js';
import { tempDir } from '../helpers/ledger.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';

const partitionCount = 15;
const nodePartitions = ['0-4', '5-9', '10-14'];
const investors = ['ann', 'ben', 'cai', 'dan', 'eve', 'fay'];
const borrowers = ['xu', 'yan'];
const startDate = '2030-01-01';

/**
 * A command sent until it has an answer that is not 503 (partition_unavailable, ask_timeout:
 * the outcome is unknown or it never ran): the same id again is the same command.
 */
let unavailableAnswers = 0;
const unavailableByUrl = new Map<string, number>();

async function command(url: string, body: unknown, expected: readonly number[], key?: string): Promise<any> {
  let last: { status: number; body: any } = { status: 0, body: null };
  await waitFor(`POST ${url} answered`, async () => {
    last = await postJson(url, body, key);
    if (last.status === 503) {
      unavailableAnswers++;
      unavailableByUrl.set(url, (unavailableByUrl.get(url) ?? 0) + 1);
    }
    return last.status !== 503;
  }, 60_000, 100);
  if (!expected.includes(last.status)) throw new Error(`POST ${url} ${JSON.stringify(body)} → ${last.status} ${JSON.stringify(last.body)}`);
  return last.body;
}

const field = async (url: string, name: string): Promise<unknown> => {
  const answer = await getJson(url);
  return answer.status === 200 ? answer.body[name] : undefined;
};

t.test('a lending year on 3 nodes: a node killed (-9) and restarted, then NATS restarted, mid-year; days closed and the bank statement reconciled across the cluster; every wallet equals its bank account, money conserved', async (t) => {
  const nats = await startNats(t);
  if (!nats.owned) {
    t.comment('skipped: NATS_URL is set, and this test restarts its own nats-server');
    return;
  }
  const sim = await startBankSimulator(t, { seed: 3, behaviour: { delayMinMs: 1, delayMaxMs: 5 } });
  const cluster = uniqueName();
  const dir = tempDir(t);
  const lendingEnv = { FUNDCORE_CLOCK: 'sim', FUNDCORE_CLOCK_START: startDate, FUNDCORE_POOL_SHARDS: '3', FUNDCORE_BANK_SECRET: e2eBankSecret, FUNDCORE_BANK_QUERY_AFTER_MS: '500' };
  const gateway = await startClusterProcess(t, 'gateway-main', { NATS_URL: nats.url, FUNDCORE_CLUSTER: cluster, PARTITION_COUNT: String(partitionCount), ROUTE_DEADLINE_MS: '1000', ...lendingEnv });
  const env = (i: number) => ({
    ...nodeEnv(nats.url, cluster, `${dir}/${i}`, `node-${i}`, partitionCount),
    ...lendingEnv,
    FUNDCORE_BANK_URL: sim.url,
    FUNDCORE_BANK_NOTIFY_URL: `${gateway.url}${bankCallbackPath}`,
  });
  const nodes: ClusterProcess[] = [];
  for (const [i, partitions] of nodePartitions.entries()) nodes.push(await startClusterProcess(t, 'node-main', env(i), ['--partitions', partitions]));
  await waitFor('lending ready on every node', () => nodes.every((node) => node.output().includes('"msg":"lending ready"')), 30_000);
  const api = (path: string) => `${gateway.url}${path}`;

  // Wallets, depository accounts, recharges through the bank.
  for (const id of investors) await command(api('/v1/accounts'), { id, kind: 'investor_wallet' }, [201]);
  for (const id of borrowers) await command(api('/v1/accounts'), { id, kind: 'borrower_wallet' }, [201]);
  for (const id of [...investors, ...borrowers]) await command(api('/v1/depository-accounts'), { id: `da-${id}`, account: id }, [201]);
  await waitFor('depository accounts open', async () => {
    for (const id of [...investors, ...borrowers]) if ((await field(api(`/v1/depository-accounts/${id}`), 'status')) !== 'open') return false;
    return true;
  });
  const deposits = new Map<string, bigint>([...investors.map((id) => [id, 5_000_00n] as const), ...borrowers.map((id) => [id, 1_000_00n] as const)]);
  for (const [id, minor] of deposits) await command(api('/v1/deposits'), { id: `d-${id}`, account: id, amount: `${minor / 100n}.00` }, [201]);

  // Investments (one per investor, the second after the kill), loans funded and paid out.
  const investments = investors.map((investor) => ({ id: `inv-${investor}`, investor }));
  // 202: placed, its saga still running (its wallet or its shard may be on the dead node).
  const invest = async (id: string, investor: string) => command(api('/v1/investments'), { id, investor, amount: '1500.00', termDays: 400 }, [201, 202]);
  await waitFor('recharges credited', async () => {
    for (const id of investors) if ((await field(api(`/v1/accounts/${id}`), 'total')) !== '5000.00') return false;
    return true;
  });
  for (const { id, investor } of investments) await invest(id, investor);
  const loans = ['L1', 'L2', 'L3'].map((id, n) => ({ id, borrower: borrowers[n % borrowers.length] as string, amount: '2500.00', annualRate: '0.12', termMonths: 12, method: n % 2 === 0 ? 'equal_installment' : 'equal_principal' }));
  for (const loan of loans.slice(0, 2)) await command(api('/v1/loans'), loan, [201]);

  // kill -9 the second node while loans are being funded and more capital comes in: what it
  // owns answers 503 (retried with the same ids) until it is back.
  await nodes[1]?.kill();
  // A day's close meanwhile: the dead node's partitions cannot cut, so it answers 503 until the
  // node is back (retried with the same date), then completes as one cut of the cluster.
  const closeWhileDown = command(api(`/v1/eod/${startDate}/close`), undefined, [200], testOpsKey);
  const during = Promise.all([...investors.map((investor) => invest(`inv2-${investor}`, investor)), command(api('/v1/loans'), loans[2], [201]), closeWhileDown]);
  // The node stays down until the close itself met it: restarted as soon as any command saw a
  // 503, it could be back before the close reached its partitions (the close then never waits).
  await waitFor('the close met the dead node', () => (unavailableByUrl.get(api(`/v1/eod/${startDate}/close`)) ?? 0) > 0, 30_000);
  nodes[1] = await startClusterProcess(t, 'node-main', env(1), ['--partitions', nodePartitions[1] as string]);
  const closedWhileDown = (await during).at(-1);
  t.comment(`${unavailableAnswers} answers were 503 while the node was down`);
  t.equal(closedWhileDown.balanced, true, `the close of ${startDate} asked while a node was down completed once it was back, balanced`);
  investments.push(...investors.map((investor) => ({ id: `inv2-${investor}`, investor })));
  await waitFor('every loan funded', async () => {
    for (const loan of loans) if ((await field(api(`/v1/loans/${loan.id}`), 'status')) !== 'funded') return false;
    return true;
  }, 30_000);
  for (const loan of loans) await command(api(`/v1/loans/${loan.id}/approve`), undefined, [200], testOpsKey);
  await waitFor('every loan paid out', async () => {
    for (const loan of loans) if ((await field(api(`/v1/loans/${loan.id}`), 'status')) !== 'repaying') return false;
    return true;
  }, 30_000);

  // A year of repayments; NATS restarts in the sixth month; each month's first day is closed
  // across the cluster once the next month begins (one cut per partition).
  const dueDates = Array.from({ length: 12 }, (_, n) => addMonths('2030-02-01', n));
  for (const [month, dueDate] of dueDates.entries()) {
    await command(api('/ops/clock'), { date: dueDate }, [200], testOpsKey);
    if (month === 5) await nats.restart(300);
    for (const loan of loans) await command(api(`/v1/loans/${loan.id}/repayments`), { id: `${loan.id}-p${month + 1}` }, [202]);
    await waitFor(`repayments of ${dueDate} succeed`, async () => {
      for (const loan of loans) if ((await field(api(`/v1/loans/${loan.id}/repayments/${loan.id}-p${month + 1}`), 'status')) !== 'succeeded') return false;
      return true;
    }, 60_000);
    if (month > 0) {
      const closed = await command(api(`/v1/eod/${dueDates[month - 1]}/close`), undefined, [200], testOpsKey);
      t.equal(closed.balanced, true, `the close of ${dueDates[month - 1]} balances`);
    }
  }
  for (const loan of loans) await waitFor(`${loan.id} settled`, async () => (await field(api(`/v1/loans/${loan.id}`), 'status')) === 'settled');

  // Every investment redeemed at maturity: the principal and the interest go back to the wallets.
  await command(api('/ops/clock'), { date: '2031-03-10' }, [200], testOpsKey);
  // Every saga settled (those placed while the node was down too), then every investment redeemed.
  await waitFor('every investment active', async () => {
    for (const { id } of investments) if ((await field(api(`/v1/investments/${id}`), 'status')) !== 'active') return false;
    return true;
  }, 30_000);
  for (const { id } of investments) await command(api(`/v1/investments/${id}/redeem`), {}, [202]);
  await waitFor('every redemption completed', async () => {
    for (const { id } of investments) if ((await field(api(`/v1/investments/${id}/redemption`), 'status')) !== 'completed') return false;
    return true;
  }, 60_000);

  // Both books agree, wallet by wallet, and no money was made or lost.
  await waitFor('every wallet equals its bank account', async () => {
    for (const id of [...investors, ...borrowers]) {
      if (minorOf(String(await field(api(`/v1/accounts/${id}`), 'total'))) !== sim.books.accounts.get(id)?.balance) return false;
    }
    return true;
  }, 30_000).catch(async (error: Error) => {
    const rows = await Promise.all([...investors, ...borrowers].map(async (id) => `${id}: wallet ${await field(api(`/v1/accounts/${id}`), 'total')} bank ${sim.books.accounts.get(id)?.balance}`));
    throw new Error(`${error.message}\n${rows.join('\n')}`);
  });
  // The bank's statement of the whole year, reconciled through the cluster gateway: every entry matches.
  const booked = [...sim.books.entries];
  const reconciled = await command(api('/v1/reconciliations'), { id: 'year', format: 'camt.053', content: statementCamt053(booked, null, new Date(), [...sim.books.accounts.keys()]) }, [201], testOpsKey);
  t.equal(reconciled.trusted, true);
  t.equal(reconciled.summary.matched, booked.length, `all ${booked.length} bank entries match an order`);
  t.same(Object.entries(reconciled.summary).filter(([kind, count]) => kind !== 'matched' && Number(count) > 0), [], 'and nothing else is found');
  let wallets = 0n;
  for (const id of [...investors, ...borrowers]) wallets += minorOf(String(await field(api(`/v1/accounts/${id}`), 'total')));
  const revenue = sim.books.accounts.get('sys.revenue')?.balance ?? 0n;
  const deposited = [...deposits.values()].reduce((a, b) => a + b, 0n);
  t.equal(wallets + revenue, deposited, 'the wallets and the platform revenue hold exactly what was deposited');
  let investorWallets = 0n;
  for (const id of investors) investorWallets += minorOf(String(await field(api(`/v1/accounts/${id}`), 'total')));
  t.ok(investorWallets > BigInt(investors.length) * 5_000_00n, 'the investors earned the interest the borrowers paid');
  t.match(gateway.output(), /"nats":"reconnect"/, 'the gateway reconnected after the NATS restart');
});
