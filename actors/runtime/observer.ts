/** How a message ended: answered (ok or a refusal with its code), or failed by the runtime (mailbox_full, ask_timeout, …). */
export type MessageOutcome = 'ok' | 'rejected' | 'failed';

/**
 * What the runtime tells about its work, for metrics. The runtime only reports; the node
 * wires an implementation (prom-client stays out of the runtime). Each call returns the
 * function that ends what it began, so the observer keeps its own timer. Calls run on the
 * actor's turn: they must be cheap and must not throw.
 */
export interface RuntimeObserver {
  /** A message is delivered to an actor; the returned function is called once, when it is answered or failed. */
  messageDelivered(actorType: string, messageType: string): (outcome: MessageOutcome, code: string | null) => void;
  /** A journal append of `events` events is issued; the returned function is called once it is durable. */
  journalAppendIssued(events: number): () => void;
}

const nothing = () => {};

/** Observes nothing: the default. */
export const silentObserver: RuntimeObserver = {
  messageDelivered: () => nothing,
  journalAppendIssued: () => nothing,
};

/** The `type` of a message, or `unknown` (a label, so never the message itself). */
export function messageTypeOf(message: unknown): string {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
}
