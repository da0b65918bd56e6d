import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { FundcoreNode, type NodeOptions } from '../../actors/node.js';
import { nodeGateway } from '../../gateway/node-gateway.js';
import { indexNames, type Journal } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { signPayload } from '../../actors/bank/signature.js';
import { signatureHeader, timestampHeader } from '../../actors/bank/wire.js';
import { quiescent } from './ledger.js';

export const apiKey = 'test-api-key';
export const opsKey = 'test-ops-key';
export const bankSecret = 'test-bank-secret';

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

export async function gateway(t: Test, options: Partial<NodeOptions> & { readonly now?: () => number } = {}): Promise<GatewayHarness> {
  const journal = options.journal ?? new MemoryJournal();
  const node = await FundcoreNode.boot({ ...options, journal });
  const app = await nodeGateway(node, { keys: { apiKey, opsKey }, bankSecret, ...(options.now !== undefined ? { now: options.now } : {}) });
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
  const parts: unknown[] = [...journal.readLog(1)].map((entry) => [entry, [...journal.readEvents(entry.actorId, entry.firstSeq)].slice(0, entry.count)]);
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

/** A callback signed as the bank signs it (or with a wrong secret, or an old timestamp). */
export function signedCallback(body: object | string, options: { secret?: string; timestampMs?: number } = {}): { payload: string; headers: Record<string, string> } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(options.timestampMs ?? Date.now());
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      [timestampHeader]: timestamp,
      [signatureHeader]: signPayload(options.secret ?? bankSecret, timestamp, payload),
    },
  };
}
