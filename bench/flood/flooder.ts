import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The flooding client in a process of its own (so its work does not slow the measured
 * client's event loop): `node flooder.js <url> <key> <ratePerSecond> <durationSeconds> <credit>`.
 * Open loop at the rate over a keep-alive pool of sockets; every request is waited for to its
 * answer (none is dropped when the time is up), so its status counts can be checked against
 * the ledger. Prints `{ statuses, errors, sent }` as JSON.
 */
const [url, key, rate, seconds, credit] = process.argv.slice(2);
if (url === undefined || key === undefined || rate === undefined || seconds === undefined || credit === undefined) {
  process.stderr.write('usage: flooder <url> <key> <ratePerSecond> <durationSeconds> <credit>\n');
  process.exit(2);
}
/** Sockets to the server; requests beyond them wait in the pool (the flood's own latency is not measured). */
const socketsMax = 256;
const agent = new Agent({ keepAlive: true, maxSockets: socketsMax });
const target = new URL('/v1/transfers', url);
const statuses: Record<string, number> = {};
let errors = 0;

function post(n: number): Promise<void> {
  const body = JSON.stringify({ id: `flood-${process.pid}-${n}`, debit: 'flood-bank', credit, amount: '1.00' });
  return new Promise((resolve) => {
    const req = request(target, { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end(body);
  });
}

const total = Math.floor(Number(rate) * Number(seconds));
const started = performance.now();
const inFlight: Promise<void>[] = [];
while (inFlight.length < total) {
  const due = Math.min(total, Math.floor(((performance.now() - started) * Number(rate)) / 1000));
  while (inFlight.length < due) inFlight.push(post(inFlight.length));
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await Promise.all(inFlight);
agent.destroy();
process.stdout.write(JSON.stringify({ statuses, errors, sent: total }));
