import type { Metric, Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

/** A sample as prom-client's registry renders it (text and JSON alike). */
interface Sample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** What a scrape reads of a metric: prom-client's own shape. */
export interface FamilyReading {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: readonly Sample[];
}

/** One counter series: its labels, fixed when made, and its value. */
export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}

  inc(): void {
    this.value++;
  }
}

/** One histogram series: per-bucket counts (not cumulative), the sum and the count. */
export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        (this.counts[i] as number)++;
        return;
      }
    }
  }
}

/**
 * A metric whose series are made once and kept by the caller: recording into a cell is a
 * field update, where prom-client's `inc(labels)` / `observe(labels, v)` builds a key string
 * from the label object on every call — several per request on the hot path. The registry
 * renders these like prom-client's own (a scrape reads `get()`); a cell is made per label set
 * by `series`, and callers intern them (nested maps keyed by the label values).
 */
abstract class MetricFamily<Cell extends { readonly labels: Labels }> {
  protected readonly cells: Cell[] = [];
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Into `registry`, beside prom-client's metrics (it asks only for name, type and `get`). */
  registerIn(registry: Registry): void {
    registry.registerMetric(this as unknown as Metric);
  }

  protected made(cell: Cell): Cell {
    this.cells.push(cell);
    return cell;
  }

  abstract get type(): 'counter' | 'histogram';
  abstract get(): Promise<FamilyReading>;
}

export class CounterFamily extends MetricFamily<CounterCell> {
  get type(): 'counter' {
    return 'counter';
  }

  /** A new series: call once per label set and keep it. */
  series(labels: Labels): CounterCell {
    return this.made(new CounterCell(labels));
  }

  get(): Promise<FamilyReading> {
    const values = this.cells.map((cell) => ({ value: cell.value, labels: { ...cell.labels } }));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}

export class HistogramFamily extends MetricFamily<HistogramCell> {
  constructor(
    name: string,
    help: string,
    private readonly upperBounds: readonly number[],
  ) {
    super(name, help);
  }

  get type(): 'histogram' {
    return 'histogram';
  }

  series(labels: Labels): HistogramCell {
    return this.made(new HistogramCell(labels, this.upperBounds));
  }

  /** prom-client's shape: cumulative buckets (`le`, then `+Inf`), `_sum`, `_count`, per series. */
  get(): Promise<FamilyReading> {
    const values: Sample[] = [];
    for (const cell of this.cells) {
      let cumulative = 0;
      this.upperBounds.forEach((bound, i) => {
        cumulative += cell.counts[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: '+Inf' }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels: { ...cell.labels }, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...cell.labels }, value: cell.count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}

/** Values made once per key, on first use, and kept: a look-up is a map read, nothing allocated. */
export class Kept<K, V> {
  private readonly byKey = new Map<K, V>();
  constructor(private readonly make: (key: K) => V) {}

  of(key: K): V {
    let value = this.byKey.get(key);
    if (value === undefined) this.byKey.set(key, (value = this.make(key)));
    return value;
  }
}

/** The same per key pair: two map reads. */
export class Interned2<V> {
  private readonly byFirst: Kept<string, Kept<string, V>>;
  constructor(make: (first: string, second: string) => V) {
    this.byFirst = new Kept((first) => new Kept((second) => make(first, second)));
  }

  of(first: string, second: string): V {
    return this.byFirst.of(first).of(second);
  }
}
