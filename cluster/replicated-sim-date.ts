import type { KV } from '@nats-io/kv';
import type { BusinessDate } from '../core/calendar/business-date.js';
import type { Logger } from '../actors/runtime/clock.js';
import type { SimDateSource } from '../actors/clock/business-clock.js';

const simDateKey = 'sim_date';
const reachedPollMs = 5;

/**
 * The simulated business date of a cluster. The settings actor journals it on the node that
 * serves it, which publishes it to the `<name>_settings` bucket; every process watches the
 * bucket, so every node's actors decide with the same date. The date only moves forward:
 * an older value read late is ignored.
 */
export class ReplicatedSimDate {
  private date: BusinessDate | undefined;
  private stopWatch: (() => void) | null = null;
  private watching: Promise<void> | null = null;

  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const watch = await this.kv.watch({ key: simDateKey });
    this.stopWatch = () => watch.stop();
    this.watching = (async () => {
      for await (const entry of watch) if (entry.operation === 'PUT') this.advanceTo(entry.string() as BusinessDate);
    })().catch((error: unknown) => this.logger.error({ err: error }, 'sim date watch ended'));
  }

  /** The latest date seen, with a local one (the journal of the node that serves the settings actor) taken into account. */
  source(local: SimDateSource = () => undefined): SimDateSource {
    return () => {
      const mine = local();
      if (mine !== undefined && (this.date === undefined || mine > this.date)) return mine;
      return this.date;
    };
  }

  async publish(date: BusinessDate): Promise<void> {
    await this.kv.put(simDateKey, date);
    this.advanceTo(date);
  }

  /** Resolves true once the watch has shown `date` (or later), false after `timeoutMs`. */
  async reached(date: BusinessDate, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.date === undefined || this.date < date) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, reachedPollMs));
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopWatch?.();
    await this.watching;
  }

  private advanceTo(date: BusinessDate): void {
    if (this.date === undefined || date > this.date) this.date = date;
  }
}
