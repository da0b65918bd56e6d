import type { Envelope } from './actor-cell.js';
import type { ActorReply } from './behavior.js';
import type { ActorRuntimeError } from './errors.js';

/** How a message ended: answered (ok or a refusal with its code), or failed by the runtime (mailbox_full, ask_timeout, …). */
export type MessageOutcome = 'ok' | 'rejected' | 'failed';

/** The counters and timings of one (actor type, message type): made once by the observer and kept. */
export interface MessageMeter {
  /** A message of this meter's kind was answered or failed, `elapsedMs` after its delivery. */
  ended(outcome: MessageOutcome, code: string | null, elapsedMs: number): void;
}

/**
 * What the runtime tells about its work, for metrics. The runtime only reports; the node
 * wires an implementation (prom-client stays out of the runtime). Calls run on the actor's
 * turn, for every message: they must be cheap, allocate nothing and never throw. The runtime
 * keeps the start times itself (`performance.now()`); the observer receives durations.
 */
export interface RuntimeObserver {
  /** The meter a delivered message reports its end to: the same object for the same pair, each time. */
  messageMeter(actorType: string, messageType: string): MessageMeter;
  /** A journal append of `events` events is issued. */
  appendIssued(events: number): void;
  /** An issued append became durable `elapsedMs` after it was issued. */
  appendDurable(elapsedMs: number): void;
}

const silentMeter: MessageMeter = { ended: () => {} };

/** Observes nothing: the default. */
export const silentObserver: RuntimeObserver = {
  messageMeter: () => silentMeter,
  appendIssued: () => {},
  appendDurable: () => {},
};

/** The `type` of a message, or `unknown` (a label, so never the message itself). */
export function messageTypeOf(message: unknown): string {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
}

/**
 * An envelope whose end is reported to its meter: one object per message, its methods on the
 * prototype (no closures), so observing adds one small allocation to a delivery.
 */
export class ObservedEnvelope implements Envelope {
  constructor(
    private readonly inner: Envelope,
    private readonly meter: MessageMeter,
    private readonly deliveredAtMs: number,
  ) {}

  get message(): unknown {
    return this.inner.message;
  }

  get cause(): Envelope['cause'] {
    return this.inner.cause;
  }

  reply(reply: ActorReply): void {
    this.meter.ended(reply.ok ? 'ok' : 'rejected', reply.ok ? null : reply.code, performance.now() - this.deliveredAtMs);
    this.inner.reply(reply);
  }

  fail(error: ActorRuntimeError): void {
    this.meter.ended('failed', error.code, performance.now() - this.deliveredAtMs);
    this.inner.fail(error);
  }
}
