// The ops page: plain JS, no framework. Everything it shows comes from the ops routes,
// asked with the ops key the operator gives (kept in this tab's session storage).
const keyStorage = 'fundcore.opsKey';
const pointsMax = 60;
const $ = (id) => document.getElementById(id);

const fragment = new URLSearchParams(location.hash.slice(1));
const pollMs = Math.max(100, Number(fragment.get('every') ?? 1000));

/** A key in the fragment (a link `/ops/ui#key=…`) is taken into the tab and leaves the address bar at once. */
function takeKeyFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has('key')) return false;
  sessionStorage.setItem(keyStorage, params.get('key'));
  history.replaceState(null, '', location.pathname);
  return true;
}
takeKeyFromFragment();

class Refused extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path) {
  const key = sessionStorage.getItem(keyStorage);
  const response = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Refused(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}

// ---- metrics: rates and latency quantiles from two successive scrapes ----

const sumOf = (metric, metricName) => (metric?.values ?? []).filter((v) => (metricName === undefined ? true : v.metricName === metricName)).reduce((s, v) => s + v.value, 0);

/** Cumulative bucket counts over every series of a histogram, by upper bound. */
function bucketsOf(metric) {
  const buckets = new Map();
  for (const v of metric?.values ?? []) {
    if (!v.metricName?.endsWith('_bucket')) continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]);
}

/** The q-quantile (seconds) of the observations between two scrapes, as Prometheus' histogram_quantile estimates it. */
function quantileBetween(before, after, q) {
  const earlier = new Map(before);
  const deltas = after.map(([le, count]) => [le, count - (earlier.get(le) ?? 0)]);
  const total = deltas.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of deltas) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / Math.max(1, count - lowerCount);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}

const series = { throughput: [], p50: [], p99: [] };
let previous = null;

function readScrape(metrics) {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  return {
    at: performance.now(),
    commands: sumOf(byName.get('fundcore_commands_total')),
    http: sumOf(byName.get('fundcore_http_requests_total')),
    buckets: bucketsOf(byName.get('fundcore_command_duration_seconds')),
    gauges: {
      'live actors': sumOf(byName.get('fundcore_actors_live')),
      'mailbox messages': sumOf(byName.get('fundcore_mailbox_messages')),
      'deepest mailbox': sumOf(byName.get('fundcore_mailbox_depth_max')),
      'relay backlog': sumOf(byName.get('fundcore_relay_backlog')),
      'projection lag': sumOf(byName.get('fundcore_projection_lag_entries')),
      'bank orders pending': sumOf(byName.get('fundcore_bank_orders_pending')),
      'passivations': sumOf(byName.get('fundcore_actor_passivations')),
    },
  };
}

function push(list, value) {
  list.push(value);
  if (list.length > pointsMax) list.shift();
}

function drawChart(svg, lines) {
  const max = Math.max(1e-9, ...lines.flatMap((line) => line.points));
  svg.innerHTML = lines
    .map((line) => {
      const points = line.points.map((value, i) => `${(i * 300) / (pointsMax - 1)},${80 - (value / max) * 76}`).join(' ');
      return `<polyline stroke="${line.color}" points="${points}"></polyline>`;
    })
    .join('');
}

const format = (n, digits = 1) => (n === null || Number.isNaN(n) ? '–' : n.toFixed(digits));

async function refreshMetrics() {
  const scrape = readScrape(await api('/ops/metrics?format=json'));
  if (previous !== null) {
    const seconds = (scrape.at - previous.at) / 1000;
    const rate = (scrape.commands - previous.commands) / seconds;
    const p50 = quantileBetween(previous.buckets, scrape.buckets, 0.5);
    const p99 = quantileBetween(previous.buckets, scrape.buckets, 0.99);
    push(series.throughput, rate);
    push(series.p50, (p50 ?? 0) * 1000);
    push(series.p99, (p99 ?? 0) * 1000);
    $('throughput-now').textContent = format(rate);
    $('http-now').textContent = format((scrape.http - previous.http) / seconds);
    $('p50-now').textContent = p50 === null ? '–' : format(p50 * 1000, 2);
    $('p99-now').textContent = p99 === null ? '–' : format(p99 * 1000, 2);
    drawChart($('throughput-chart'), [{ points: series.throughput, color: '#0b6bcb' }]);
    drawChart($('latency-chart'), [{ points: series.p50, color: '#2e9d5b' }, { points: series.p99, color: '#d9480f' }]);
  }
  $('gauges').innerHTML = Object.entries(scrape.gauges).map(([name, value]) => `<tr><td>${name}</td><td>${value}</td></tr>`).join('');
  previous = scrape;
}

// ---- actors ----

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function refreshBusiest() {
  const { items } = await api('/ops/actors?busiest=10');
  $('busiest').querySelector('tbody').innerHTML = items
    .map((a) => `<tr><td><button class="actor" data-actor="${escape(a.id)}">${escape(a.id)}</button></td><td>${escape(a.type)}</td><td>${a.mailboxDepth}</td><td>${a.seq}</td><td>${escape(a.lastActivityAt ?? '–')}</td></tr>`)
    .join('');
}

async function showActor(id) {
  $('actor-id').textContent = id;
  try {
    const actor = await api(`/ops/actors/${encodeURIComponent(id)}`);
    $('actor-state').textContent = JSON.stringify({ live: actor.live, seq: actor.seq, mailboxDepth: actor.mailboxDepth, wakeAt: actor.wakeAt, state: actor.state, lastEvents: actor.lastEvents }, null, 2);
  } catch (error) {
    $('actor-state').textContent = `${error.code}: ${error.message}`;
  }
}

// ---- hot accounts and reports ----

async function refreshHotAccounts() {
  const { items } = await api('/ops/accounts/hot');
  $('hot-accounts').querySelector('tbody').innerHTML =
    items.map((a) => `<tr><td>${escape(a.id)}</td><td>${escape(a.total)} ${escape(a.currency)}</td><td>${a.parts.map((p) => `#${p.index}: ${escape(p.available)}`).join(' · ')}</td></tr>`).join('') ||
    '<tr><td colspan="3" class="muted">no hot accounts</td></tr>';
}

async function refreshReports() {
  const { eod, reconciliation } = await api('/ops/reports/latest');
  const eodText = eod === null ? 'no day closed yet' : `end of day ${escape(eod.date)}: ${eod.balanced ? 'balanced' : 'NOT balanced'}, ${eod.accounts} accounts, closed ${escape(eod.closedAt)}`;
  const reconText =
    reconciliation === null
      ? 'no reconciliation yet'
      : `reconciliation ${escape(reconciliation.id)} (${escape(reconciliation.format)}): ${Object.entries(reconciliation.summary).map(([k, v]) => `${escape(k)} ${v}`).join(', ')}${reconciliation.trusted ? '' : ' — statement does not foot'}`;
  $('reports').innerHTML = `<p>${eodText}</p><p>${reconText}</p>`;
}

// ---- the loop and the login ----

function showLogin(refusal) {
  $('dashboard').hidden = true;
  $('login').hidden = false;
  $('sign-out').hidden = true;
  $('status').textContent = 'not signed in';
  $('refusal').hidden = refusal === undefined;
  if (refusal !== undefined) $('refusal').textContent = `refused: ${refusal.code} (${refusal.status}) — ${refusal.message}`;
}

let timer = null;
let tick = 0;

async function poll() {
  try {
    await refreshMetrics();
    await refreshBusiest();
    if (tick % 5 === 0) await Promise.all([refreshHotAccounts(), refreshReports()]);
    tick++;
    $('status').textContent = `live · every ${pollMs} ms`;
    timer = setTimeout(poll, pollMs);
  } catch (error) {
    if (error instanceof Refused && (error.status === 401 || error.status === 403)) {
      sessionStorage.removeItem(keyStorage);
      showLogin(error);
      return;
    }
    $('status').textContent = `error: ${error.message}; retrying`;
    timer = setTimeout(poll, pollMs * 2);
  }
}

function start() {
  $('login').hidden = true;
  $('dashboard').hidden = false;
  $('sign-out').hidden = false;
  previous = null;
  tick = 0;
  clearTimeout(timer);
  void poll();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(keyStorage, $('key-input').value);
  $('key-input').value = '';
  start();
});
$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(keyStorage);
  clearTimeout(timer);
  showLogin();
});
$('busiest').addEventListener('click', (event) => {
  const id = event.target.closest('button.actor')?.dataset.actor;
  if (id !== undefined) void showActor(id);
});
$('inspect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void showActor($('inspect-input').value.trim());
});

window.addEventListener('hashchange', () => {
  if (takeKeyFromFragment()) start();
});

if (sessionStorage.getItem(keyStorage) === null) showLogin();
else start();
