import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { FundcoreNode } from '../actors/node.js';
import { buildGateway } from './app.js';
import type { ApiKeys } from './auth.js';
import type { RequestLimits } from './request-limits.js';
import { FundcoreMetrics } from './metrics/fundcore-metrics.js';
import { bankOrdersPending } from '../persistence/projections/ops-queries.js';

/** Callbacks older or newer than this (against the wall clock) are refused as stale. */
export const callbackTimestampToleranceMs = 5 * 60_000;

/** The gateway over one embedded node: every service of the node behind its routes. */
export function nodeGateway(
  node: FundcoreNode,
  options: {
    readonly keys: ApiKeys;
    readonly bankSecret: string;
    readonly now?: () => number;
    readonly logger?: FastifyServerOptions['logger'];
    /** The metrics whose observer the node was booted with; without them, only the node's gauges and HTTP are measured. */
    readonly metrics?: FundcoreMetrics;
    readonly requestLimits?: Partial<RequestLimits>;
  },
): Promise<FastifyInstance> {
  const metrics = options.metrics ?? new FundcoreMetrics({ processMetrics: false });
  metrics.watch({
    actors: () => node.system.stats(),
    mailboxes: () => node.system.mailboxes(),
    relayBacklog: () => node.system.relay.stats().backlog,
    relayRefusedForNow: () => node.system.relay.stats().refusedForNow,
    projectionLag: () => node.projections.lag(),
    bankOrdersPending: () => bankOrdersPending(node.readModel.db),
  });
  return buildGateway({
    metrics,
    ledger: node.ledger,
    lending: {
      lending: node.lending,
      flows: node.flows,
      bank: node.bank,
      clock: node.clock,
      callbacks: { secret: options.bankSecret, timestampToleranceMs: callbackTimestampToleranceMs, now: options.now ?? (() => Date.now()) },
    },
    fx: node.fx,
    amendments: node.amendments,
    records: { readSide: node.projections, queries: node.queries, eod: node.eod, reconciliations: node.reconciliations, archiving: node.archiving },
    ops: {
      inspectActor: (id) => node.system.inspect(id),
      health: () => node.health(),
      listActors: (query) => node.system.listActors(query),
      busiestActors: (count, type) => node.system.busiestActors(count, type),
    },
    opsViews: { readSide: node.projections, ledger: node.ledger, eod: node.eod, reconciliations: node.reconciliations },
    keys: options.keys,
    ...(options.requestLimits !== undefined ? { requestLimits: options.requestLimits } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
}
