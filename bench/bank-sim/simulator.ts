import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { requestPayload, signPayload, checkSignature } from '../../actors/bank/signature.js';
import { signatureHeader, timestampHeader, type BankCallbackWire, type BankOrderStatusWire } from '../../actors/bank/wire.js';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { formatAmount } from '../../core/money/amount.js';
import type { Currency } from '../../core/money/currency.js';
import { BankBooks, type BookingRefusal } from './books.js';
import type { BankBehaviour, BankSimConfig } from './config.js';
import { seededRandom } from './prng.js';
import { parseRequest, sameRequest, type SimRequest } from './requests.js';
import { statementCamt053, statementCsv } from './statement.js';
import { BankStore, type SimOrder } from './store.js';

export interface BankSimStats {
  accepted: number;
  resubmitted: number;
  dropped: number;
  succeeded: number;
  failed: number;
  callbacksSent: number;
  callbacksAcknowledged: number;
  callbacksDuplicated: number;
  callbacksLost: number;
  callbacksHeldBack: number;
  callbacksGivenUp: number;
  queries: number;
}

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * The bank depository simulator: a real HTTP server speaking actors/bank/wire.ts. It
 * accepts orders at once and completes them after a delay, keeps its own books, and
 * calls back — signed, retried until acknowledged — while misbehaving as configured:
 * declines, duplicate and out-of-order callbacks, lost callbacks (only a query finds the
 * result) and dropped orders (accepted, then forgotten). With `booksPath` its books and orders are kept in
 * SQLite (durable before it answers or calls back) and a restart goes on where it stopped; without, in memory.
 */
export class BankSimulator {
  readonly books: BankBooks;
  readonly stats: BankSimStats = {
    accepted: 0,
    resubmitted: 0,
    dropped: 0,
    succeeded: 0,
    failed: 0,
    callbacksSent: 0,
    callbacksAcknowledged: 0,
    callbacksDuplicated: 0,
    callbacksLost: 0,
    callbacksHeldBack: 0,
    callbacksGivenUp: 0,
    queries: 0,
  };
  behaviour: BankBehaviour;
  private readonly orders = new Map<string, SimOrder>();
  private readonly declining = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly random: () => number;
  private callbacksInFlight = 0;
  private processing = 0;
  private txnSeq = 0;
  private closed = false;
  private readonly store: BankStore | null;
  url = '';

  private constructor(
    private readonly config: BankSimConfig,
    private readonly app: FastifyInstance,
  ) {
    this.behaviour = config.behaviour;
    this.random = seededRandom(config.seed);
    this.books = new BankBooks(() => this.behaviour.strict);
    this.store = config.booksPath === undefined || config.booksPath === null ? null : new BankStore(config.booksPath);
  }

  static async start(config: BankSimConfig): Promise<BankSimulator> {
    const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
    const sim = new BankSimulator(config, app);
    sim.routes();
    sim.restore();
    sim.url = await app.listen({ host: config.host, port: config.port });
    return sim;
  }

  /** The books and orders as the store kept them; orders still processing are completed again after the usual delay. */
  private restore(): void {
    if (this.store === null) return;
    const stored = this.store.load();
    this.books.restore(stored.accounts, stored.entries);
    this.txnSeq = stored.txnSeq;
    for (const order of stored.orders) {
      this.orders.set(order.request.orderNo, order);
      if (order.status === 'processing') this.scheduleCompletion(order);
    }
  }

  private scheduleCompletion(order: SimOrder): void {
    this.processing++;
    const { delayMinMs, delayMaxMs } = this.behaviour;
    this.after(delayMinMs + Math.floor(this.random() * (delayMaxMs - delayMinMs + 1)), () => {
      this.complete(order);
      this.dispatchCallbacks(order);
    });
  }

  /** Declines the next `count` orders of `kind` that come to be booked (a test's aimed failure, beside the random ones). */
  declineNext(kind: string, count: number): void {
    this.declining.set(kind, (this.declining.get(kind) ?? 0) + count);
  }

  /** Orders of `kind` still to be declined by declineNext. */
  declinesLeft(kind: string): number {
    return this.declining.get(kind) ?? 0;
  }

  /** Changes how the bank misbehaves from now on (orders already scheduled keep their fate). */
  setBehaviour(patch: Partial<BankBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...patch };
  }

  /** Nothing in processing and no callback waiting to be acknowledged. */
  get idle(): boolean {
    return this.processing === 0 && this.callbacksInFlight === 0;
  }

  order(orderNo: string): Readonly<SimOrder> | undefined {
    return this.orders.get(orderNo);
  }

  allOrders(): readonly Readonly<SimOrder>[] {
    return [...this.orders.values()];
  }

  /** Its statement in ISO 20022 camt.053: one date's bookings, or (null) every booking. */
  statementCamt053(date: string | null): string {
    return statementCamt053(this.books.entries, date, new Date(), [...this.books.accounts.keys()], 'end_to_end', this.currencies());
  }

  /** Each account's currency, for a statement of an account without entries. */
  currencies(): ReadonlyMap<string, Currency> {
    return new Map([...this.books.accounts.values()].map((account) => [account.id, account.currency]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.app.close();
    this.store?.close();
  }

  private routes(): void {
    const { app } = this;
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      rawBodies.set(request, body as string);
      try {
        done(null, body === '' ? null : JSON.parse(body as string));
      } catch {
        done(null, undefined);
      }
    });
    app.post('/orders', async (request, reply) => {
      if (!this.verified(request, reply)) return reply;
      const parsed = parseRequest(request.body);
      if (typeof parsed === 'string') return reply.status(400).send({ code: 'invalid_request', detail: parsed });
      return this.submit(parsed, (request.body as { notifyUrl: string }).notifyUrl, reply);
    });
    app.get<{ Params: { orderNo: string } }>('/orders/:orderNo', async (request, reply) => {
      if (!this.verified(request, reply)) return reply;
      this.stats.queries++;
      const order = this.orders.get(request.params.orderNo);
      if (order === undefined) return reply.status(404).send({ orderNo: request.params.orderNo, status: 'not_found', code: null, detail: null, bankTxnId: null, completedAt: null });
      return this.statusOf(request.params.orderNo, order);
    });
    app.post('/control', async (request, reply) => {
      if (!this.verified(request, reply)) return reply;
      this.setBehaviour((request.body ?? {}) as Partial<BankBehaviour>);
      return this.behaviour;
    });
    app.get<{ Params: { id: string } }>('/accounts/:id', async (request, reply) => {
      const account = this.books.accounts.get(request.params.id);
      if (account === undefined) return reply.status(404).send({ code: 'account_not_opened' });
      return { id: account.id, openedOn: account.openedOn, currency: account.currency, balance: formatAmount(account.balance, account.currency) };
    });
    app.get<{ Querystring: { date?: string } }>('/statement.csv', async (request, reply) => {
      const date = this.statementDate(request.query.date, reply);
      if (date === undefined) return reply;
      return reply.type('text/csv; charset=utf-8').send(statementCsv(this.books.entries, date));
    });
    app.get<{ Querystring: { date?: string } }>('/statement.camt053', async (request, reply) => {
      const date = this.statementDate(request.query.date, reply);
      if (date === undefined) return reply;
      return reply.type('application/xml; charset=utf-8').send(this.statementCamt053(date));
    });
    app.get('/health', async () => ({ status: 'ok', orders: this.orders.size, processing: this.processing, callbacksInFlight: this.callbacksInFlight, stats: this.stats }));
  }

  private statementDate(date: string | undefined, reply: FastifyReply): string | null | undefined {
    if (date === undefined) return null;
    if (isBusinessDate(date)) return date;
    void reply.status(400).send({ code: 'invalid_request', detail: 'date is YYYY-MM-DD' });
    return undefined;
  }

  private verified(request: FastifyRequest, reply: FastifyReply): boolean {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const payload = requestPayload(request.method, request.url, rawBodies.get(request) ?? '');
    const check = checkSignature(this.config.secret, { timestamp: header(timestampHeader), signature: header(signatureHeader) }, payload, Date.now(), this.config.timestampToleranceMs);
    if (check === 'valid') return true;
    void reply.status(401).send({ code: check, detail: 'sign requests with the shared secret' });
    return false;
  }

  private async submit(request: SimRequest, notifyUrl: string, reply: FastifyReply): Promise<FastifyReply> {
    const existing = this.orders.get(request.orderNo);
    if (existing !== undefined) {
      if (!sameRequest(existing.request, request)) return reply.status(409).send({ code: 'order_no_conflict', detail: `order ${request.orderNo} exists with other content` });
      // The same order again (a resubmission): accepted again, never processed twice. The newest callback address wins.
      existing.notifyUrl = notifyUrl;
      existing.submissions++;
      this.store?.saveOrder(existing);
      this.stats.resubmitted++;
      return reply.status(202).send({ orderNo: request.orderNo, status: 'accepted' });
    }
    if (this.random() < this.behaviour.dropRate) {
      this.stats.dropped++;
      return reply.status(202).send({ orderNo: request.orderNo, status: 'accepted' });
    }
    const order: SimOrder = { request, notifyUrl, status: 'processing', code: null, detail: null, bankTxnId: null, completedAt: null, submissions: 1, callbacksAcknowledged: 0 };
    this.orders.set(request.orderNo, order);
    this.store?.saveOrder(order);
    this.stats.accepted++;
    if (this.random() < this.behaviour.reorderRate) {
      // The result overtakes the answer: the callback is delivered before "accepted" is.
      this.processing++;
      this.stats.callbacksHeldBack++;
      this.complete(order);
      await this.sendCallback(order, 1);
    } else {
      this.scheduleCompletion(order);
    }
    return reply.status(202).send({ orderNo: request.orderNo, status: 'accepted' });
  }

  /** Books the order (or declines it) exactly once. */
  private complete(order: SimOrder): void {
    this.processing--;
    const { request } = order;
    const bankTxnId = `BK${String(++this.txnSeq).padStart(8, '0')}`;
    let refusal: BookingRefusal | 'bank_declined' | null = this.random() < this.behaviour.failureRate || this.declinedOnRequest(request.kind) ? 'bank_declined' : null;
    if (refusal === null) refusal = this.book(request, bankTxnId);
    order.completedAt = new Date().toISOString();
    if (refusal === null) {
      order.status = 'succeeded';
      order.bankTxnId = bankTxnId;
      this.stats.succeeded++;
    } else {
      order.status = 'failed';
      order.code = refusal;
      order.detail = refusal === 'bank_declined' ? 'the bank declined the order' : `the bank's books refuse it: ${refusal}`;
      this.stats.failed++;
    }
    if (this.store !== null) {
      const changes = this.books.takeChanges();
      this.store.saveOrder(order, changes.accounts, changes.entries, this.txnSeq);
    }
  }

  private declinedOnRequest(kind: string): boolean {
    const left = this.declining.get(kind) ?? 0;
    if (left === 0) return false;
    this.declining.set(kind, left - 1);
    return true;
  }

  private book(request: SimRequest, bankTxnId: string): BookingRefusal | null {
    const { businessDate: on, currency } = request;
    switch (request.kind) {
      case 'open_account':
        return this.books.open(request.account as string, on, currency);
      case 'deposit':
        return this.books.deposit(request.account as string, request.amount as bigint, on, request.orderNo, bankTxnId, currency);
      case 'withdrawal':
        return this.books.withdraw(request.account as string, request.amount as bigint, on, request.orderNo, bankTxnId, request.fee ?? null, currency);
      case 'refund':
        return this.books.refund(request.account as string, request.amount as bigint, on, request.orderNo, bankTxnId, request.original as string, currency);
      case 'conversion':
        return this.books.convert(request.account as string, request.amount as bigint, request.conversion as NonNullable<SimRequest['conversion']>, on, request.orderNo, bankTxnId, currency);
      default:
        return this.books.batch(request.kind, request.items, on, request.orderNo, bankTxnId, currency);
    }
  }

  /** The result goes out: maybe never (lost), maybe several times, maybe late. */
  private dispatchCallbacks(order: SimOrder): void {
    if (this.random() < this.behaviour.lossRate) {
      this.stats.callbacksLost++;
      return;
    }
    const copies = this.random() < this.behaviour.duplicateRate ? 2 + Math.floor(this.random() * 2) : 1;
    this.stats.callbacksDuplicated += copies - 1;
    for (let copy = 0; copy < copies; copy++) {
      const heldBack = this.random() < this.behaviour.reorderRate;
      if (heldBack) this.stats.callbacksHeldBack++;
      const delayMs = heldBack ? Math.floor(this.random() * (this.behaviour.delayMaxMs * 3 + 50)) : copy * Math.floor(this.random() * 50);
      this.callbacksInFlight++;
      this.after(delayMs, () => {
        this.callbacksInFlight--;
        void this.sendCallback(order, 1);
      });
    }
  }

  private statusOf(orderNo: string, order: SimOrder): BankOrderStatusWire {
    return { orderNo, status: order.status, currency: order.request.currency, code: order.code, detail: order.detail, bankTxnId: order.bankTxnId, completedAt: order.completedAt };
  }

  /** Best-effort notification: retried with doubling waits until a 2xx, at most callbackAttemptsMax times. */
  private async sendCallback(order: SimOrder, attempt: number): Promise<void> {
    if (this.closed || order.status === 'processing') return;
    const callback: BankCallbackWire = {
      orderNo: order.request.orderNo,
      kind: order.request.kind,
      status: order.status,
      currency: order.request.currency,
      code: order.code,
      detail: order.detail,
      bankTxnId: order.bankTxnId,
      completedAt: order.completedAt as string,
    };
    const body = JSON.stringify(callback);
    const timestamp = String(Date.now());
    this.callbacksInFlight++;
    this.stats.callbacksSent++;
    let acknowledged = false;
    try {
      const response = await fetch(order.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [timestampHeader]: timestamp, [signatureHeader]: signPayload(this.config.secret, timestamp, body) },
        body,
        signal: AbortSignal.timeout(this.config.callbackTimeoutMs),
      });
      await response.arrayBuffer();
      acknowledged = response.ok;
    } catch {
      acknowledged = false;
    } finally {
      this.callbacksInFlight--;
    }
    if (acknowledged) {
      order.callbacksAcknowledged++;
      this.stats.callbacksAcknowledged++;
      return;
    }
    if (attempt >= this.config.callbackAttemptsMax) {
      this.stats.callbacksGivenUp++;
      return;
    }
    this.callbacksInFlight++;
    this.after(this.config.callbackRetryMs * 2 ** Math.min(attempt - 1, 10), () => {
      this.callbacksInFlight--;
      void this.sendCallback(order, attempt + 1);
    });
  }

  private after(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) callback();
    }, delayMs);
    this.timers.add(timer);
  }
}
