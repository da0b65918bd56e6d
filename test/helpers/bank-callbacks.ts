import t from 'tap';
import type { BankCallbackWire } from '../../actors/bank/wire.js';
import type { FakeBank } from './fake-bank.js';
import { signedCallback, type GatewayHarness } from './gateway.js';

/** A gateway whose bank is a FakeBank the test answers for, at a fixed time. */
export type FakeBankHarness = GatewayHarness & { bank: FakeBank };

/** Waits (bounded) until the order has reached the fake bank. */
export async function untilOrder(h: FakeBankHarness, orderNo: string): Promise<void> {
  for (let i = 0; i < 500 && !h.bank.orders.has(orderNo); i++) {
    await h.quiescent();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The bank's signed callback, delivered over HTTP as the bank would, signed at `nowMs`. */
export async function deliver(h: FakeBankHarness, callback: BankCallbackWire, nowMs: number): Promise<void> {
  const { payload, headers } = signedCallback(callback, { timestampMs: nowMs });
  t.equal((await h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload, headers })).statusCode, 200);
  await h.quiescent();
}
