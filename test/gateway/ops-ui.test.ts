import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import t from 'tap';
import type { Test } from 'tap';
import { opsKey } from '../helpers/gateway.js';
import { quiescent } from '../helpers/ledger.js';
import { listeningGateway, type ListeningGateway } from '../helpers/ops-gateway.js';
import { repoPath } from '../helpers/repo.js';

/** Debian's chromium: `npm test` installs it first when missing (scripts/ensure-chromium.sh), so this never skips. */
const chromiumPath = '/usr/bin/chromium';
const artifacts = `${repoPath('test/artifacts')}/`;
/** The page polls this often in the test (default 1 s). */
const pollMs = 200;
/** Upper bound for the page to show what is awaited; a failure bound, not a measurement. */
const shownWithinMs = 15_000;

let browser: Browser;
t.before(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
});
t.teardown(() => browser?.close());

async function withBooks(t: Test): Promise<ListeningGateway> {
  const g = await listeningGateway(t);
  await g.call('POST', '/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await g.call('POST', '/v1/accounts', { id: 'red-packets', kind: 'investor_wallet', subAccounts: 4 });
  await g.call('POST', '/v1/accounts', { id: 'alice', kind: 'investor_wallet' });
  for (let i = 0; i < 8; i++) await g.call('POST', '/v1/transfers', { id: `fund-${i}`, debit: 'bank', credit: 'red-packets', amount: '25.00' });
  await quiescent(g.node);
  return g;
}

/**
 * Polls an element's text from the test's side until it satisfies `ok` (page.waitForFunction
 * would evaluate code in the page, which the page's Content-Security-Policy rightly forbids).
 */
async function until(page: Page, selector: string, ok: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + shownWithinMs;
  for (;;) {
    const text = (await page.textContent(selector)) ?? '';
    if (ok(text)) return text;
    if (Date.now() > deadline) throw new Error(`${selector} still reads ${JSON.stringify(text.slice(0, 200))}`);
    await page.waitForTimeout(50);
  }
}

async function newPage(t: Test): Promise<Page> {
  const context = await browser.newContext();
  t.teardown(() => context.close());
  return context.newPage();
}

t.test('the ops page refuses without the ops key, and with a wrong or a client key', async (t) => {
  const g = await withBooks(t);
  const page = await newPage(t);
  await page.goto(`${g.url}/ops/ui`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  t.equal(await page.isHidden('#dashboard'), true, 'no dashboard without a key');
  t.equal(await page.evaluate(async () => (await fetch('/ops/metrics')).status), 401, "the page's data routes refuse without the key");

  // A link carrying a wrong key (the fragment changes on the open page)
  await page.goto(`${g.url}/ops/ui/#key=not-the-key`);
  await page.waitForSelector('#refusal', { state: 'visible', timeout: shownWithinMs });
  t.match(await page.textContent('#refusal'), /unauthorized/);
  t.equal(await page.isHidden('#dashboard'), true);

  await page.fill('#key-input', 'test-api-key');
  await page.click('#login-form button');
  await until(page, '#refusal', (text) => /forbidden/.test(text));
  t.match(await page.textContent('#refusal'), /forbidden/, 'a client key is not an ops key');
  t.equal(await page.isHidden('#dashboard'), true);
});

t.test('with the ops key: live numbers change under load, a click opens an actor, hot accounts and reports show; a screenshot is kept', async (t) => {
  const g = await withBooks(t);
  const page = await newPage(t);
  await page.goto(`${g.url}/ops/ui/#key=${opsKey}&every=${pollMs}`);
  await page.waitForSelector('#dashboard', { state: 'visible' });
  t.notMatch(page.url(), /key=/, 'the key leaves the address bar');

  // Under load: transfers keep coming while the page polls
  let loading = true;
  let sent = 0;
  const load = (async () => {
    while (loading) {
      await Promise.all(Array.from({ length: 10 }, () => g.call('POST', '/v1/transfers', { id: `load-${sent++}`, debit: 'bank', credit: sent % 2 === 0 ? 'alice' : 'red-packets', amount: '1.00' })));
    }
  })();
  const seen = new Set<string>();
  await until(page, '#throughput-now', (text) => Number(text) > 0);
  for (let i = 0; i < 30 && seen.size < 3; i++) {
    seen.add((await page.textContent('#throughput-now')) ?? '');
    await page.waitForTimeout(pollMs);
  }
  t.ok(seen.size >= 2, `the throughput number changed under load: ${[...seen].join(', ')}`);
  await until(page, '#p99-now', (text) => /^[0-9.]+$/.test(text));
  t.ok(Number(await page.textContent('#p99-now')) >= 0, 'a p99 latency is shown');
  loading = false;
  await load;
  t.ok(sent > 0);

  // A click on a busy actor opens its state
  // The list is redrawn at every poll and its order moves, so the button is found and clicked
  // in one task of the page: a separate read and click lost the button between them on a slow
  // run, and so did a locator's evaluate (it resolves the element, then runs on it: a button
  // redrawn in between is detached, and its click reaches no listener).
  await page.waitForSelector('#busiest button.actor', { timeout: shownWithinMs });
  const first = await page.evaluate(() => {
    type Button = { click(): void; getAttribute(name: string): string | null };
    const page = globalThis as unknown as { document: { querySelector(selector: string): Button | null } };
    const button = page.document.querySelector('#busiest button.actor');
    button?.click();
    return button?.getAttribute('data-actor') ?? '';
  });
  t.not(first, '', 'a busy actor was listed and clicked');
  await until(page, '#actor-state', (text) => text.includes('"state"'));
  t.equal(await page.textContent('#actor-id'), first);
  t.match(await page.textContent('#actor-state'), /"seq"/);

  // and any actor by id
  await page.fill('#inspect-input', 'acct:alice');
  await page.click('#inspect-form button');
  await until(page, '#actor-id', (text) => text === 'acct:alice');
  await until(page, '#actor-state', (text) => text.includes('investor_wallet'));

  // Hot accounts with their sub-account balances, and the reports panel
  await until(page, '#hot-accounts tbody', (text) => text.includes('red-packets'));
  t.match(await page.textContent('#hot-accounts tbody'), /#0: .*#3: /, 'every sub-account with its balance');
  t.match(await page.textContent('#reports'), /no day closed yet|end of day/);

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}ops-ui.png`, fullPage: true });
});
