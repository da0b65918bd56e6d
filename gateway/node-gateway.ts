import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { FundcoreNode } from '../actors/node.js';
import { buildGateway } from './app.js';
import type { ApiKeys } from './auth.js';

/** Callbacks older or newer than this (against the wall clock) are refused as stale. */
export const callbackTimestampToleranceMs = 5 * 60_000;

/** The gateway over one embedded node: every service of the node behind its routes. */
export function nodeGateway(
  node: FundcoreNode,
  options: { readonly keys: ApiKeys; readonly bankSecret: string; readonly now?: () => number; readonly logger?: FastifyServerOptions['logger'] },
): Promise<FastifyInstance> {
  return buildGateway({
    ledger: node.ledger,
    lending: {
      lending: node.lending,
      flows: node.flows,
      bank: node.bank,
      clock: node.clock,
      callbacks: { secret: options.bankSecret, timestampToleranceMs: callbackTimestampToleranceMs, now: options.now ?? (() => Date.now()) },
    },
    records: { queries: node.queries, eod: node.eod, reconciliations: node.reconciliations },
    ops: { inspectActor: (id) => node.system.inspect(id), health: () => node.health() },
    keys: options.keys,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
}
