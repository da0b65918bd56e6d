import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MessageOutcome, RuntimeObserver } from '../../actors/runtime/observer.js';

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
 * runtime reports through `observer`; gauges of the node are read at scrape time.
 */
export class FundcoreMetrics {
  readonly registry = new Registry();
  readonly observer: RuntimeObserver;
  private sources: Partial<NodeGaugeSources> | null = null;
  private readonly commands: Counter<'actor' | 'command' | 'outcome' | 'code'>;
  private readonly commandSeconds: Histogram<'actor' | 'command'>;
  private readonly appendSeconds: Histogram;
  private readonly appendEvents: Histogram;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpSeconds: Histogram<'method' | 'route'>;
  private readonly natsErrors: Counter<'code'>;

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'fundcore_process_' });
    this.commands = new Counter({
      name: 'fundcore_commands_total',
      help: 'Messages handled by actors, by actor type, message type and outcome (ok, rejected with a code, failed by the runtime with a code).',
      labelNames: ['actor', 'command', 'outcome', 'code'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: 'fundcore_command_duration_seconds',
      help: 'From delivery to an actor to its answer (mailbox wait, decision, journal to disk).',
      labelNames: ['actor', 'command'],
      buckets: latencyBucketsSeconds,
      registers,
    });
    this.appendSeconds = new Histogram({ name: 'fundcore_journal_append_duration_seconds', help: 'From a journal append to durable (the group commit and its fsync).', buckets: latencyBucketsSeconds, registers });
    this.appendEvents = new Histogram({ name: 'fundcore_journal_append_events', help: 'Events per journal append (an actor batch).', buckets: appendEventsBuckets, registers });
    this.httpRequests = new Counter({ name: 'fundcore_http_requests_total', help: 'HTTP requests answered, by route and status.', labelNames: ['method', 'route', 'status'], registers });
    this.httpSeconds = new Histogram({ name: 'fundcore_http_request_duration_seconds', help: 'HTTP request latency, by route.', labelNames: ['method', 'route'], buckets: latencyBucketsSeconds, registers });
    this.natsErrors = new Counter({ name: 'fundcore_nats_request_errors_total', help: 'Cluster mode: NATS requests to nodes that failed, by code.', labelNames: ['code'], registers });
    this.nodeGauges(registers);
    this.observer = this.runtimeObserver();
  }

  /** The node whose gauges a scrape reads (embedded mode); without one they read 0. */
  /** What this process measures: a node its actors; a cluster gateway its read side; embedded both. */
  watch(sources: Partial<NodeGaugeSources>): void {
    this.sources = sources;
  }

  /** Starts timing an HTTP request; the returned function records its route and status. */
  httpRequestStarted(): (method: string, route: string, status: number) => void {
    const started = process.hrtime.bigint();
    return (method, route, status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.httpRequests.inc({ method, route, status: String(status) });
      this.httpSeconds.observe({ method, route }, seconds);
    };
  }

  natsRequestFailed(code: string): void {
    this.natsErrors.inc({ code });
  }

  private runtimeObserver(): RuntimeObserver {
    return {
      messageDelivered: (actor, command) => {
        const end = this.commandSeconds.startTimer({ actor, command });
        return (outcome: MessageOutcome, code: string | null) => {
          end();
          this.commands.inc({ actor, command, outcome, code: code ?? '' });
        };
      },
      journalAppendIssued: (events) => {
        this.appendEvents.observe(events);
        return this.appendSeconds.startTimer();
      },
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
