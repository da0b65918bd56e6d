import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { FundcoreNode, type NodeOptions } from '../../actors/node.js';
import { HttpClient } from '../../bench/flood/http-client.js';
import { FundcoreMetrics } from '../../gateway/metrics/fundcore-metrics.js';
import { nodeGateway } from '../../gateway/node-gateway.js';
import type { RequestLimits } from '../../gateway/request-limits.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { apiKey, bankSecret, opsKey } from './gateway.js';

/** A second client key, to show that limits are per key. */
export const otherApiKey = 'test-api-key-2';

export interface ListeningGateway {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly node: FundcoreNode;
  readonly metrics: FundcoreMetrics;
  /** A request with a key (the client key unless told), JSON in and out. */
  call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any; headers: Headers }>;
}

/** A node booted with metrics wired as `npm start` wires them, its gateway listening on a free port. */
export async function listeningGateway(t: Test, options: { readonly requestLimits?: Partial<RequestLimits>; readonly node?: Partial<NodeOptions> } = {}): Promise<ListeningGateway> {
  const metrics = new FundcoreMetrics({ processMetrics: false });
  const node = await FundcoreNode.boot({ journal: new MemoryJournal(), ...options.node, observer: metrics.observer });
  const app = await nodeGateway(node, {
    keys: { apiKey, opsKey, moreApiKeys: [otherApiKey] },
    bankSecret,
    metrics,
    ...(options.requestLimits !== undefined ? { requestLimits: options.requestLimits } : {}),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // A bounded pool: the tests load the server, and an unbounded client would overflow its accept backlog.
  const client = new HttpClient(url, 32);
  t.teardown(async () => {
    client.close();
    await app.close();
    await node.stop();
  });
  const call = async (method: string, path: string, body?: unknown, key = apiKey) => {
    const answer = await client.send(method, path, key, body);
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) if (typeof value === 'string') headers.set(name, value);
    const type = headers.get('content-type') ?? '';
    return { status: answer.status, body: type.includes('json') ? JSON.parse(answer.text) : answer.text, headers };
  };
  return { url, app, node, metrics, call };
}
