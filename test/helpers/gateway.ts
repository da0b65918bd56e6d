import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { buildGateway } from '../../gateway/app.js';
import { indexNames, type Journal } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { quiescent } from './ledger.js';

export const apiKey = 'test-api-key';
export const opsKey = 'test-ops-key';

export interface GatewayHarness {
  readonly app: FastifyInstance;
  readonly node: FundcoreNode;
  readonly journal: Journal;
  /** A request as a client (API key) unless headers say otherwise. */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  quiescent(): Promise<void>;
}

export async function gateway(t: Test): Promise<GatewayHarness> {
  const journal = new MemoryJournal();
  const node = FundcoreNode.start({ journal });
  const app = await buildGateway({
    ledger: node.ledger,
    ops: { inspectActor: (id) => node.system.inspect(id), health: () => node.health() },
    keys: { apiKey, opsKey },
  });
  t.teardown(async () => {
    await app.close();
    await node.stop();
  });
  const call = (options: InjectOptions) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${apiKey}`, ...(options.headers as Record<string, string> | undefined) } });
  return {
    app,
    node,
    journal,
    call,
    post: (url, payload, headers = {}) => call({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }), headers }),
    get: (url, headers = {}) => call({ method: 'GET', url, headers }),
    quiescent: () => quiescent(node),
  };
}

/** Everything the journal holds, as one string: equal before and after means nothing changed. */
export function journalFingerprint(journal: Journal): string {
  const parts: unknown[] = [...journal.readLog(1)];
  for (const index of indexNames) parts.push([...journal.scanIndex(index)]);
  return JSON.stringify(parts, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Opens bank (overdraft) and wallets, and funds the wallets from the bank. */
export async function fundedWallets(h: GatewayHarness, wallets: Record<string, string>): Promise<void> {
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  for (const [id, amount] of Object.entries(wallets)) {
    await h.post('/v1/accounts', { id, kind: 'investor_wallet' });
    if (amount !== '0') await h.post('/v1/transfers', { id: `fund-${id}`, debit: 'bank', credit: id, amount });
  }
  await h.quiescent();
}
