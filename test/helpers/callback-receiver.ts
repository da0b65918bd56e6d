import { createServer, type Server } from 'node:http';
import { checkSignature } from '../../actors/bank/signature.js';
import type { BankCallbackWire } from '../../actors/bank/wire.js';

export interface Received {
  readonly callback: BankCallbackWire;
  readonly valid: boolean;
}

/** A bare HTTP endpoint that takes the simulator's callbacks: checks their signature, records them, answers as told. */
export class CallbackReceiver {
  readonly received: Received[] = [];
  /** Status to answer with; a function may refuse the first attempts. */
  answer: (callback: BankCallbackWire) => number = () => 200;
  url = '';
  private server: Server | null = null;

  constructor(private readonly secret: string) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const header = (name: string) => request.headers[name] as string | undefined;
        const valid = checkSignature(this.secret, { timestamp: header('x-bank-timestamp'), signature: header('x-bank-signature') }, body, Date.now(), 60_000) === 'valid';
        const callback = JSON.parse(body) as BankCallbackWire;
        this.received.push({ callback, valid });
        response.statusCode = this.answer(callback);
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server?.address();
    if (address === null || typeof address !== 'object') throw new Error('no address');
    this.url = `http://127.0.0.1:${address.port}/callbacks`;
  }

  of(orderNo: string): Received[] {
    return this.received.filter((r) => r.callback.orderNo === orderNo);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Polls (real time) until the condition holds: a bounded wait, never a timed assertion. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
