import type { Test } from 'tap';
import { HttpBankClient } from '../../actors/bank/http-bank-client.js';
import { systemClock } from '../../actors/runtime/clock.js';
import { defaultBehaviour, type BankBehaviour } from '../../bench/bank-sim/config.js';
import { BankSimulator } from '../../bench/bank-sim/simulator.js';
import { CallbackReceiver } from './callback-receiver.js';

export interface SimulatorOptions {
  readonly secret: string;
  readonly seed: number;
  readonly behaviour?: Partial<BankBehaviour>;
  /** Where it keeps its books (SQLite); absent: in memory. */
  readonly booksPath?: string;
}

/** A bank simulator on a free port, a receiver for its callbacks and a client signed with the same secret; closed with the test. */
export async function startSimulator(t: Test, options: SimulatorOptions) {
  const sim = await BankSimulator.start({
    host: '127.0.0.1',
    port: 0,
    secret: options.secret,
    seed: options.seed,
    behaviour: { ...defaultBehaviour, delayMinMs: 0, delayMaxMs: 5, ...options.behaviour },
    callbackRetryMs: 10,
    callbackAttemptsMax: 5,
    callbackTimeoutMs: 1_000,
    timestampToleranceMs: 60_000,
    ...(options.booksPath === undefined ? {} : { booksPath: options.booksPath }),
  });
  const receiver = new CallbackReceiver(options.secret);
  await receiver.start();
  const client = new HttpBankClient({ baseUrl: sim.url, secret: options.secret, clock: systemClock, requestTimeoutMs: 2_000, requestsInFlightMax: 8 });
  client.setNotifyUrl(receiver.url);
  t.teardown(async () => {
    await sim.close();
    await receiver.stop();
  });
  return { sim, receiver, client };
}
