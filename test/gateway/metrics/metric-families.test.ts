import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import t from 'tap';
import { CounterFamily, HistogramFamily, Interned2 } from '../../../gateway/metrics/metric-families.js';

const buckets = [0.001, 0.01, 0.1, 1, 10];
const labelNames = ['actor', 'command'] as const;

/** The text's sample lines with each line's labels sorted (their order is not part of the format), sorted; comments kept as they are. */
function normalized(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^([^{ ]+)\{([^}]*)\} (.*)$/.exec(line);
      if (match === null) return line;
      const labels = (match[2] as string).split(',').sort().join(',');
      return `${match[1]}{${labels}} ${match[3]}`;
    })
    .sort();
}

const observation = fc.record({
  actor: fc.constantFrom('acct', 'loan', 'pool'),
  command: fc.constantFrom('create_transfer', 'credit_transfer'),
  // Bounds themselves included: a value on a bound counts in that bucket.
  value: fc.oneof(fc.constantFrom(...buckets, 0, 100), fc.double({ min: 0, max: 20, noNaN: true })),
});

t.test('the kept series render as prom-client renders the same observations (text and JSON)', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
      // Given prom-client's counter and histogram, and ours, in registries of their own
      const reference = new Registry();
      const counter = new Counter({ name: 'x_total', help: 'counted', labelNames, registers: [reference] });
      const histogram = new Histogram({ name: 'x_seconds', help: 'timed', labelNames, buckets, registers: [reference] });
      const ours = new Registry();
      const counters = new CounterFamily('x_total', 'counted');
      const histograms = new HistogramFamily('x_seconds', 'timed', buckets);
      counters.registerIn(ours);
      histograms.registerIn(ours);
      const counterOf = new Interned2((actor, command) => counters.series({ actor, command }));
      const histogramOf = new Interned2((actor, command) => histograms.series({ actor, command }));

      // When each observation is recorded in both
      for (const { actor, command, value } of observations) {
        counter.inc({ actor, command });
        histogram.observe({ actor, command }, value);
        counterOf.of(actor, command).inc();
        histogramOf.of(actor, command).observe(value);
      }

      // Then a scrape reads the same, as text and as JSON
      t.same(normalized(await ours.metrics()), normalized(await reference.metrics()));
      type Read = { name: string; values: { metricName?: string; labels: object; value: number }[] };
      const samples = (metrics: unknown) =>
        (metrics as Read[]).flatMap((m) => m.values.map((v) => JSON.stringify([m.name, v.metricName ?? '', Object.entries(v.labels).sort(), v.value]))).sort();
      t.same(samples(await ours.getMetricsAsJSON()), samples(await reference.getMetricsAsJSON()));
    }),
    { numRuns: 150 },
  );
});

t.test('an interned series is the same object for the same labels, and made once', (t) => {
  let made = 0;
  const interned = new Interned2((a, b) => ({ a, b, n: ++made }));
  const first = interned.of('acct', 'create_transfer');
  t.equal(interned.of('acct', 'create_transfer'), first);
  t.not(interned.of('acct', 'credit_transfer'), first);
  t.not(interned.of('create_transfer', 'acct'), first, 'the order of the keys matters');
  t.equal(made, 3);
  t.end();
});
