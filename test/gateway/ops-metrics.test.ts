import parsePrometheus, { type PrometheusFamily } from 'parse-prometheus-text-format';
import t from 'tap';
import { opsKey } from '../helpers/gateway.js';
import { quiescent } from '../helpers/ledger.js';
import { listeningGateway, type ListeningGateway } from '../helpers/ops-gateway.js';

type Labels = Record<string, string>;

async function scrape(g: ListeningGateway): Promise<PrometheusFamily[]> {
  const response = await g.call('GET', '/ops/metrics', undefined, opsKey);
  if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
  if (!String(response.headers.get('content-type')).startsWith('text/plain')) throw new Error('not the Prometheus text format');
  return parsePrometheus(response.body as string);
}

/** The sum of a counter's (or a histogram's count's) samples whose labels include `labels`. */
function total(families: readonly PrometheusFamily[], name: string, labels: Labels = {}): number {
  const family = families.find((f) => f.name === name);
  if (family === undefined) return 0;
  return family.metrics
    .filter((sample) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v))
    .reduce((sum, sample) => sum + Number(sample.value ?? sample.count ?? 0), 0);
}

/** A histogram's observation count over the series whose labels include `labels`, from GET /ops/metrics?format=json. */
async function histogramCount(g: ListeningGateway, name: string, labels: Labels): Promise<number> {
  const metrics = (await g.call('GET', '/ops/metrics?format=json', undefined, opsKey)).body as { name: string; values: { metricName?: string; labels: Labels; value: number }[] }[];
  const values = metrics.find((m) => m.name === name)?.values ?? [];
  return values
    .filter((v) => v.metricName === `${name}_count` && Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}

t.test('metrics scraped during a load parse as Prometheus text, and their counters agree with the commands sent', async (t) => {
  // Given a bank account and ten wallets, and a scrape before the load
  const g = await listeningGateway(t);
  await g.call('POST', '/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  for (let w = 0; w < 10; w++) await g.call('POST', '/v1/accounts', { id: `w${w}`, kind: 'investor_wallet' });
  await quiescent(g.node);
  const before = await scrape(g);
  const histogramCountBefore = await histogramCount(g, 'fundcore_command_duration_seconds', { actor: 'acct', command: 'create_transfer' });

  // When 300 transfers go out 30 at a time, with a scrape during each round
  const sent = 300;
  const statuses: number[] = [];
  const scrapes: PrometheusFamily[][] = [];
  for (let round = 0; round < sent / 30; round++) {
    const answers = Array.from({ length: 30 }, (_, i) => g.call('POST', '/v1/transfers', { id: `t-${round}-${i}`, debit: 'bank', credit: `w${i % 10}`, amount: '1.00' }));
    scrapes.push(await scrape(g));
    statuses.push(...(await Promise.all(answers)).map((a) => a.status));
  }
  await quiescent(g.node);
  const after = await scrape(g);

  // Then every scrape parsed, the counters only grew, and they count exactly what was sent
  t.same([...new Set(statuses)], [201], 'every transfer accepted');
  const delta = (name: string, labels?: Labels) => total(after, name, labels) - total(before, name, labels);
  t.equal(delta('fundcore_http_requests_total', { method: 'POST', route: '/v1/transfers', status: '201' }), sent, 'HTTP requests counted by route and status');
  t.equal(delta('fundcore_commands_total', { actor: 'acct', command: 'create_transfer', outcome: 'ok' }), sent, 'debit-side commands');
  t.equal(delta('fundcore_commands_total', { actor: 'acct', command: 'credit_transfer', outcome: 'ok' }), sent, 'credits delivered by the relay');
  // The parser folds a histogram's labelled series into one (a known limit of it): their
  // counts are read from the same registry's JSON form instead.
  t.equal((await histogramCount(g, 'fundcore_command_duration_seconds', { actor: 'acct', command: 'create_transfer' })) - histogramCountBefore, sent, 'one latency observation per command');
  t.ok((await histogramCount(g, 'fundcore_journal_append_duration_seconds', {})) > 0, 'journal appends timed');
  t.ok((await histogramCount(g, 'fundcore_journal_append_events', {})) > 0, 'journal batch sizes observed');
  const series = [before, ...scrapes, after].map((s) => total(s, 'fundcore_commands_total'));
  t.ok(series.every((value, i) => i === 0 || value >= (series[i - 1] as number)), 'counters never go down between scrapes');
  for (const name of ['fundcore_actors_live', 'fundcore_actor_detached_reads', 'fundcore_mailbox_messages', 'fundcore_mailbox_depth_max', 'fundcore_projection_lag_entries', 'fundcore_relay_backlog', 'fundcore_relay_refused_for_now', 'fundcore_bank_orders_pending', 'fundcore_nats_request_errors_total']) {
    t.ok(after.some((family) => family.name === name), `${name} is exposed`);
  }
  t.ok(total(after, 'fundcore_actors_live') >= 11, 'live actors counted');
  t.equal(after.find((f) => f.name === 'fundcore_command_duration_seconds')?.type, 'HISTOGRAM');
});

t.test('a refused command is counted with its code; /ops/metrics needs the ops key; JSON for the ops page', async (t) => {
  const g = await listeningGateway(t);
  await g.call('POST', '/v1/accounts', { id: 'poor', kind: 'investor_wallet' });
  await g.call('POST', '/v1/accounts', { id: 'rich', kind: 'investor_wallet' });
  const refused = await g.call('POST', '/v1/transfers', { id: 'x1', debit: 'poor', credit: 'rich', amount: '5.00' });
  t.equal(refused.status, 422);
  const families = await scrape(g);
  t.equal(total(families, 'fundcore_commands_total', { command: 'create_transfer', outcome: 'rejected', code: 'insufficient_funds' }), 1);
  t.equal((await g.call('GET', '/ops/metrics')).status, 403, 'the client key is refused');
  t.equal((await g.call('GET', '/ops/metrics', undefined, 'nope')).status, 401);
  const json = await g.call('GET', '/ops/metrics?format=json', undefined, opsKey);
  t.ok(Array.isArray(json.body) && json.body.some((m: { name: string }) => m.name === 'fundcore_commands_total'));
});
