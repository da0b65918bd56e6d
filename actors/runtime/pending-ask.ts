import type { ActorReply } from './behavior.js';
import type { Cause } from './cause.js';
import type { AskDeadlines, DeadlineEntry } from './ask-deadlines.js';
import type { Envelope } from './actor-cell.js';
import { ActorRuntimeError } from './errors.js';

/**
 * One ask in flight: the envelope its actor answers and the entry its deadline holds, in one
 * object with methods, not a promise executor, a deadline and an envelope each with their
 * own closures (an ask is made two or three times per transfer: its garbage counts). The
 * first of reply, failure and timeout settles it; the others are ignored.
 */
export class PendingAsk implements Envelope, DeadlineEntry {
  bucket: Set<DeadlineEntry> | null = null;
  private settled = false;
  private resolve!: (reply: ActorReply) => void;
  private reject!: (error: ActorRuntimeError) => void;
  readonly promise: Promise<ActorReply>;

  constructor(
    readonly actorId: string,
    readonly message: unknown,
    readonly cause: Cause,
    private readonly timeoutMs: number,
    private readonly deadlines: AskDeadlines,
    readonly answerOnceIssued = false,
  ) {
    this.promise = new Promise<ActorReply>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    deadlines.add(timeoutMs, this);
  }

  reply(reply: ActorReply): void {
    if (this.settled) return;
    this.settled = true;
    this.deadlines.clear(this);
    this.resolve(reply);
  }

  fail(error: ActorRuntimeError): void {
    if (this.settled) return;
    this.settled = true;
    this.deadlines.clear(this);
    this.reject(error);
  }

  onTimeout(): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(new ActorRuntimeError('ask_timeout', `${this.actorId} did not answer within ${this.timeoutMs} ms; the outcome is unknown`));
  }
}
