import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MessageMeter, MessageOutcome, RuntimeObserver } from '../../actors/runtime/observer.js';
import { CounterFamily, HistogramFamily, Interned2, Kept, type CounterCell, type HistogramCell } from './metric-families.js';

/** What a node reports at scrape time (each read is cheap: counters and one SQL count). */
export interface NodeGaugeSources {
  actors(): { readonly live: number; readonly activations: number; readonly passivations: number; readonly detachedReads: number };
  mailboxes(): { readonly queued: number; readonly deepest: number };
  relayBacklog(): number;
  /** Deliveries a receiver refused "not yet" (a saga's debit before the credit that funds it) that wait to be asked again. */
  relayRefusedForNow(): number;
  projectionLag(): number;
  /** Bank orders not yet completed, by status (holding, sending, accepted). */
  bankOrdersPending(): Readonly<Record<string, number>>;
}

/** Seconds: a command answered from memory takes well under a millisecond, one through the journal a few ms, one under load up to seconds. */
const latencyBucketsSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const appendEventsBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

/**
 * Every metric fundcore exposes at GET /ops/metrics, in one registry of its own (not
 * prom-client's global one: several gateways may live in one process, as in tests). The
 * runtime reports through `observer`; gauges of the node are read at scrape time. What is
 * recorded per message or per request goes into series made once and kept (metric-families.ts):
 * recording allocates nothing.
 */
export class FundcoreMetrics {
  readonly registry = new Registry();
  readonly observer: RuntimeObserver;
  private sources: Partial<NodeGaugeSources> | null = null;
  private readonly commands = new CounterFamily(
    'fundcore_commands_total',
    'Messages handled by actors, by actor type, message type and outcome (ok, rejected with a code, failed by the runtime with a code).',
  );
  private readonly commandSeconds = new HistogramFamily('fundcore_command_duration_seconds', 'From delivery to an actor to its answer (mailbox wait, decision, journal to disk).', latencyBucketsSeconds);
  private readonly appendSeconds = new HistogramFamily('fundcore_journal_append_duration_seconds', 'From a journal append to durable (the group commit and its fsync).', latencyBucketsSeconds);
  private readonly appendEvents = new HistogramFamily('fundcore_journal_append_events', 'Events per journal append (an actor batch).', appendEventsBuckets);
  private readonly httpRequests = new CounterFamily('fundcore_http_requests_total', 'HTTP requests answered, by route and status.');
  private readonly httpSeconds = new HistogramFamily('fundcore_http_request_duration_seconds', 'HTTP request latency, by route.', latencyBucketsSeconds);
  private readonly natsErrors: Counter<'code'>;
  private readonly messageMeters = new Interned2((actor, command) => new MessageMeterCells(this.commands, this.commandSeconds, actor, command));
  private readonly routeMeters = new Interned2((method, route) => new RouteMeter(this.httpRequests, this.httpSeconds, method, route));

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'fundcore_process_' });
    for (const family of [this.commands, this.commandSeconds, this.appendSeconds, this.appendEvents, this.httpRequests, this.httpSeconds]) family.registerIn(this.registry);
    this.natsErrors = new Counter({ name: 'fundcore_nats_request_errors_total', help: 'Cluster mode: NATS requests to nodes that failed, by code.', labelNames: ['code'], registers });
    this.nodeGauges(registers);
    this.observer = this.runtimeObserver();
  }

  /** What this process measures: a node its actors; a cluster gateway its read side; embedded both. */
  watch(sources: Partial<NodeGaugeSources>): void {
    this.sources = sources;
  }

  /** An HTTP request answered: its route pattern (few values), status and time taken. */
  httpAnswered(method: string, route: string, status: number, elapsedMs: number): void {
    this.routeMeters.of(method, route).answered(status, elapsedMs);
  }

  natsRequestFailed(code: string): void {
    this.natsErrors.inc({ code });
  }

  private runtimeObserver(): RuntimeObserver {
    const appendEvents = this.appendEvents.series({});
    const appendSeconds = this.appendSeconds.series({});
    return {
      messageMeter: (actor, command) => this.messageMeters.of(actor, command),
      appendIssued: (events) => appendEvents.observe(events),
      appendDurable: (elapsedMs) => appendSeconds.observe(elapsedMs / 1000),
    };
  }

  private nodeGauges(registers: Registry[]): void {
    const read = <T>(pick: (s: Partial<NodeGaugeSources>) => T | undefined, fallback: T): T => (this.sources === null ? fallback : (pick(this.sources) ?? fallback));
    new Gauge({ name: 'fundcore_actors_live', help: 'Actors in memory.', registers, collect() { this.set(read((s) => s.actors?.().live, 0)); } });
    new Gauge({ name: 'fundcore_actor_activations', help: 'Activations since start (live again from the journal); a count, growing.', registers, collect() { this.set(read((s) => s.actors?.().activations, 0)); } });
    new Gauge({ name: 'fundcore_actor_passivations', help: 'Passivations since start (snapshot, out of memory); a count, growing.', registers, collect() { this.set(read((s) => s.actors?.().passivations, 0)); } });
    new Gauge({ name: 'fundcore_actor_detached_reads', help: 'Reads answered from the journal without activating the actor (the heap over its bound); a count, growing.', registers, collect() { this.set(read((s) => s.actors?.().detachedReads, 0)); } });
    new Gauge({ name: 'fundcore_mailbox_messages', help: 'Messages waiting in all live mailboxes.', registers, collect() { this.set(read((s) => s.mailboxes?.().queued, 0)); } });
    new Gauge({ name: 'fundcore_mailbox_depth_max', help: 'The deepest live mailbox.', registers, collect() { this.set(read((s) => s.mailboxes?.().deepest, 0)); } });
    new Gauge({ name: 'fundcore_relay_backlog', help: 'Outbox deliveries queued, in flight or waiting to retry.', registers, collect() { this.set(read((s) => s.relayBacklog?.(), 0)); } });
    new Gauge({ name: 'fundcore_relay_refused_for_now', help: 'Outbox deliveries refused "not yet" (a debit before the credit that funds it) and waiting to be asked again; lasting above zero, a credit that never arrives.', registers, collect() { this.set(read((s) => s.relayRefusedForNow?.(), 0)); } });
    new Gauge({ name: 'fundcore_projection_lag_entries', help: 'Log entries not applied yet: embedded, the read models behind the journal; on a cluster node, its journal not yet published to the log stream; on a cluster gateway, log stream messages its read models have not applied yet.', registers, collect() { this.set(read((s) => s.projectionLag?.(), 0)); } });
    new Gauge({
      name: 'fundcore_bank_orders_pending',
      help: 'Bank orders not completed yet, by status (as the read models have them).',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const [status, count] of Object.entries(read((s) => s.bankOrdersPending?.(), {}))) this.set({ status }, count);
      },
    });
  }
}

/** One (actor type, message type)'s series: its latency, and its count per outcome and code. */
class MessageMeterCells implements MessageMeter {
  private readonly seconds: HistogramCell;
  private readonly ok: CounterCell;
  private readonly refusals: Kept<string, CounterCell>;
  private readonly failures: Kept<string, CounterCell>;

  constructor(commands: CounterFamily, commandSeconds: HistogramFamily, actor: string, command: string) {
    this.seconds = commandSeconds.series({ actor, command });
    this.ok = commands.series({ actor, command, outcome: 'ok', code: '' });
    this.refusals = new Kept((code) => commands.series({ actor, command, outcome: 'rejected', code }));
    this.failures = new Kept((code) => commands.series({ actor, command, outcome: 'failed', code }));
  }

  ended(outcome: MessageOutcome, code: string | null, elapsedMs: number): void {
    this.seconds.observe(elapsedMs / 1000);
    if (outcome === 'ok') this.ok.inc();
    else (outcome === 'rejected' ? this.refusals : this.failures).of(code ?? '').inc();
  }
}

/** One (method, route)'s series: its latency, and its count per status. */
class RouteMeter {
  private readonly seconds: HistogramCell;
  private readonly byStatus: Kept<number, CounterCell>;

  constructor(requests: CounterFamily, httpSeconds: HistogramFamily, method: string, route: string) {
    this.seconds = httpSeconds.series({ method, route });
    this.byStatus = new Kept((status) => requests.series({ method, route, status: String(status) }));
  }

  answered(status: number, elapsedMs: number): void {
    this.seconds.observe(elapsedMs / 1000);
    this.byStatus.of(status).inc();
  }
}
