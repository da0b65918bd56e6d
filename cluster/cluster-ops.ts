import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ActorListing, ActorListQuery, ActorSystem } from '../actors/runtime/actor-system.js';
import type { Logger } from '../actors/runtime/clock.js';
import { decode, encode } from './wire.js';

/** How long a gateway gathers the nodes' answers to an ops listing. */
export const opsGatherMs = 500;

export type OpsListRequest = { readonly kind: 'page'; readonly query: ActorListQuery } | { readonly kind: 'busiest'; readonly count: number; readonly type: string | null };

export interface OpsListReply {
  readonly nodeId: string;
  readonly rows: readonly ActorListing[];
}

export const opsListSubject = (prefix: string) => `${prefix}.ops.actors`;

/** A node's side: every node answers with its own actors (those of the partitions it holds the data of). */
export function serveOpsListings(nc: NatsConnection, prefix: string, nodeId: string, system: ActorSystem, logger: Logger): Subscription {
  return nc.subscribe(opsListSubject(prefix), {
    callback: (error: Error | null, msg: Msg) => {
      if (error !== null) return;
      try {
        const request = decode<OpsListRequest>(msg.data);
        const rows = request.kind === 'page' ? system.listActors(request.query) : system.busiestActors(request.count, request.type ?? undefined);
        msg.respond(encode({ nodeId, rows } satisfies OpsListReply));
      } catch (err) {
        logger.warn({ err }, 'ops listing not answered');
      }
    },
  });
}

/**
 * A gateway's side of GET /ops/actors: asks every node, gathers for `opsGatherMs`, merges.
 * A page: every node's first `limit` ids after the cursor, merged in id order, cut to
 * `limit` — the cluster's first `limit`. The busiest: merged by mailbox depth. A node that
 * does not answer in time is missing from the answer (its partitions show in /health).
 */
export class ClusterOps {
  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
  ) {}

  async listActors(query: ActorListQuery): Promise<ActorListing[]> {
    const rows = await this.gather({ kind: 'page', query });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, query.limit);
  }

  async busiestActors(count: number, type?: string): Promise<ActorListing[]> {
    const rows = await this.gather({ kind: 'busiest', count, type: type ?? null });
    return rows.sort((a, b) => b.mailboxDepth - a.mailboxDepth || (a.id < b.id ? -1 : 1)).slice(0, count);
  }

  private async gather(request: OpsListRequest): Promise<ActorListing[]> {
    const rows: ActorListing[] = [];
    try {
      const replies = await this.nc.requestMany(opsListSubject(this.prefix), encode(request), { strategy: 'timer', maxWait: opsGatherMs });
      for await (const msg of replies) rows.push(...decode<OpsListReply>(msg.data).rows);
    } catch {
      // No node answered (no responders): an empty listing.
    }
    return rows;
  }
}
