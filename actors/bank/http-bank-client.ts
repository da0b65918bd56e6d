import type { BankItem, BankOrderKind } from '../../core/bank/bank-order.js';
import { formatAmount } from '../../core/money/amount.js';
import type { Currency } from '../../core/money/currency.js';
import type { Clock } from '../runtime/clock.js';
import { BankUnavailableError, type BankDepository, type BankRequestHeader, type BankSubmitAnswer } from './bank-port.js';
import type { BankOrderStatusAnswer } from './messages.js';
import { requestPayload, signPayload } from './signature.js';
import { signatureHeader, timestampHeader, type BankItemWire, type BankOrderRequestWire, type BankOrderStatusWire } from './wire.js';

export interface HttpBankClientOptions {
  readonly baseUrl: string;
  readonly secret: string;
  readonly clock: Clock;
  /** One request's limit, connection included. */
  readonly requestTimeoutMs: number;
  /** Requests to the bank at once; more wait here (the outbox holds them meanwhile). */
  readonly requestsInFlightMax: number;
}

/** The bank depository over HTTP (Node's fetch), signed both ways. */
export class HttpBankClient implements BankDepository {
  private notifyUrl: string | null = null;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: HttpBankClientOptions) {}

  /** Where the bank sends its callbacks: known once the gateway listens. Until then requests wait in the outbox. */
  setNotifyUrl(url: string): void {
    this.notifyUrl = url;
  }

  openAccount(header: BankRequestHeader, request: { account: string }): Promise<BankSubmitAnswer> {
    return this.submit('open_account', header, { account: request.account });
  }

  deposit(header: BankRequestHeader, request: { account: string; amount: bigint }): Promise<BankSubmitAnswer> {
    return this.submit('deposit', header, { account: request.account, amount: formatAmount(request.amount, header.currency) });
  }

  withdraw(header: BankRequestHeader, request: { account: string; amount: bigint; fee?: bigint; feeAccount?: string }): Promise<BankSubmitAnswer> {
    const fee = request.fee !== undefined && request.feeAccount !== undefined ? { fee: formatAmount(request.fee, header.currency), feeAccount: request.feeAccount } : {};
    return this.submit('withdrawal', header, { account: request.account, amount: formatAmount(request.amount, header.currency), ...fee });
  }

  refund(header: BankRequestHeader, request: { account: string; amount: bigint; original: string }): Promise<BankSubmitAnswer> {
    return this.submit('refund', header, { account: request.account, amount: formatAmount(request.amount, header.currency), original: request.original });
  }

  convert(header: BankRequestHeader, request: { account: string; amount: bigint; toAccount: string; toAmount: bigint; toCurrency: Currency; rate: string }): Promise<BankSubmitAnswer> {
    const { account, toAccount, toCurrency, rate } = request;
    return this.submit('conversion', header, { account, amount: formatAmount(request.amount, header.currency), toAccount, toAmount: formatAmount(request.toAmount, toCurrency), toCurrency, rate });
  }

  disburse(header: BankRequestHeader, request: { items: readonly BankItem[] }): Promise<BankSubmitAnswer> {
    return this.submit('disbursement', header, { items: request.items.map((item) => itemWire(item, header.currency)) });
  }

  repay(header: BankRequestHeader, request: { items: readonly BankItem[] }): Promise<BankSubmitAnswer> {
    return this.submit('repayment', header, { items: request.items.map((item) => itemWire(item, header.currency)) });
  }

  transfer(header: BankRequestHeader, request: { items: readonly BankItem[] }): Promise<BankSubmitAnswer> {
    return this.submit('transfer', header, { items: request.items.map((item) => itemWire(item, header.currency)) });
  }

  async query(orderNo: string): Promise<BankOrderStatusAnswer> {
    const response = await this.send('GET', `/orders/${encodeURIComponent(orderNo)}`, '');
    if (response.status === 404) return { status: 'not_found', code: null, detail: null, bankTxnId: null, completedAt: null };
    if (response.status !== 200) throw new BankUnavailableError(`bank query of ${orderNo} answered ${response.status}`);
    const body = response.body as BankOrderStatusWire;
    return { status: body.status, code: body.code, detail: body.detail, bankTxnId: body.bankTxnId, completedAt: body.completedAt, ...(typeof body.currency === 'string' ? { currency: body.currency } : {}) };
  }

  private async submit(kind: BankOrderKind, header: BankRequestHeader, fields: Partial<BankOrderRequestWire>): Promise<BankSubmitAnswer> {
    if (this.notifyUrl === null) throw new BankUnavailableError('the callback address is not known yet');
    const request: BankOrderRequestWire = { orderNo: header.orderNo, kind, businessDate: header.businessDate, notifyUrl: this.notifyUrl, currency: header.currency, ...fields };
    const response = await this.send('POST', '/orders', JSON.stringify(request));
    if (response.status === 202 || response.status === 200) return { accepted: true };
    if (response.status >= 400 && response.status < 500) {
      const body = response.body as { code?: unknown; detail?: unknown } | null;
      const code = typeof body?.code === 'string' ? body.code : 'bank_refused';
      return { accepted: false, code, detail: typeof body?.detail === 'string' ? body.detail : `the bank refused the order (${response.status})` };
    }
    throw new BankUnavailableError(`the bank answered ${response.status}`);
  }

  private async send(method: 'GET' | 'POST', path: string, body: string): Promise<{ status: number; body: unknown }> {
    await this.slot();
    try {
      const timestamp = String(this.options.clock.now());
      const response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          [timestampHeader]: timestamp,
          [signatureHeader]: signPayload(this.options.secret, timestamp, requestPayload(method, path, body)),
        },
        ...(method === 'POST' ? { body } : {}),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        parsed = null;
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      throw new BankUnavailableError(`the bank at ${this.options.baseUrl} cannot be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.inFlight < this.options.requestsInFlightMax) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.inFlight--;
  }
}

function itemWire(item: BankItem, currency: Currency): BankItemWire {
  return { ref: item.ref, from: item.from, to: item.to, amount: formatAmount(item.amount, currency) };
}
