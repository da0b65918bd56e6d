import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { AccountInfo } from '../core/ledger/account.js';
import type { TransferRecord } from '../core/ledger/transfer.js';
import type { AccountBalances, LedgerApi, OpenAccountInput, TransferInput, TransferStatus } from '../actors/ledger/ledger-api.js';
import type { ActorInspection } from '../actors/runtime/actor-system.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import { findSubject } from './command-server.js';
import { answeredOrOwnerLost, type LeaseWatch } from './lease-watch.js';
import { isNoResponders, natsFailure } from './nats-errors.js';
import { commandSubject, partitionOfAccount, partitionOfActor } from './partitions.js';
import { commandIdHeader, decode, encode, resultOf, type ClusterCommand, type TransferFindReply, type WireReply } from './wire.js';

/** Limits of the gateway's routing. */
export interface RoutingLimits {
  /** How long a command keeps being retried while its partition is unowned, before 503 partition_unavailable. */
  readonly routeDeadlineMs: number;
  /** First wait between two tries; doubled each time up to `routeRetryDelayMaxMs`. */
  readonly routeRetryDelayFirstMs: number;
  readonly routeRetryDelayMaxMs: number;
  /** Wait for a node's answer: longer than the node's askTimeoutMs, so the node's own timeout answers first. */
  readonly requestTimeoutMs: number;
  /** How long a transfer look-up waits for the nodes' answers (one round). */
  readonly findWaitMs: number;
  /** Transfers of a batch sent in one request (NATS caps a message at 1 MiB by default). */
  readonly batchItemsPerRequestMax: number;
}

export const defaultRoutingLimits: RoutingLimits = {
  routeDeadlineMs: 5_000,
  routeRetryDelayFirstMs: 10,
  routeRetryDelayMaxMs: 500,
  requestTimeoutMs: 11_000,
  findWaitMs: 1_000,
  batchItemsPerRequestMax: 1_000,
};

export interface ClusterLedgerOptions {
  readonly nc: NatsConnection;
  readonly subjectPrefix: string;
  readonly partitionCount: number;
  readonly limits?: Partial<RoutingLimits>;
  /** Told of every NATS request to a node that failed (metrics), with the failure's code. */
  readonly onRequestFailed?: (code: string) => void;
  /** Ends a request whose partition's owner died meanwhile (partition_unavailable) instead of waiting out its timeout. */
  readonly leaseWatch?: LeaseWatch;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(code: string, detail: string): { ok: false; code: string; detail: string } {
  return { ok: false, code, detail };
}

/**
 * The ledger as a gateway process sees it in cluster mode: it owns no partition and only
 * routes. Each command goes as one NATS request to the partition of the account that
 * decides it (the debit account for a transfer, the original credit account for a
 * reversal), where that node's LedgerService handles it in process. A partition nobody
 * serves (NoResponders, or a node that just lost its lease) is retried with backoff until
 * `routeDeadlineMs`, then refused partition_unavailable (503: retry with the same id).
 *
 * Commands named by a transfer id (post, void, reverse, GET) first find the transfer: every
 * node answers what its journal holds and which partitions it serves; the record is on the
 * debit account's node, the credit and reversal on the credit account's.
 */
export class ClusterLedger implements LedgerApi {
  readonly limits: RoutingLimits;

  constructor(private readonly options: ClusterLedgerOptions) {
    this.limits = { ...defaultRoutingLimits, ...options.limits };
  }

  openAccount(input: OpenAccountInput): Promise<ActorReply<AccountInfo>> {
    return this.send(partitionOfAccount(input.id, this.options.partitionCount), input.id, { op: 'open_account', input }) as Promise<ActorReply<AccountInfo>>;
  }

  getAccount(id: string): Promise<ActorReply<AccountBalances>> {
    return this.send(partitionOfAccount(id, this.options.partitionCount), id, { op: 'get_account', id }) as Promise<ActorReply<AccountBalances>>;
  }

  closeAccount(id: string): Promise<ActorReply<{ closedAt: number }>> {
    return this.send(partitionOfAccount(id, this.options.partitionCount), id, { op: 'close_account', id }) as Promise<ActorReply<{ closedAt: number }>>;
  }

  createTransfer(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    return this.send(partitionOfAccount(input.debit, this.options.partitionCount), input.id, { op: 'create_transfers', inputs: [input] }) as Promise<ActorReply<TransferRecord>>;
  }

  /** Grouped by the debit account's partition (order kept within a group), a request per group and chunk. */
  async createTransfers(inputs: readonly TransferInput[]): Promise<ActorReply<TransferRecord>[]> {
    const groups = new Map<number, number[]>();
    inputs.forEach((input, index) => {
      const partition = partitionOfAccount(input.debit, this.options.partitionCount);
      const group = groups.get(partition) ?? [];
      group.push(index);
      groups.set(partition, group);
    });
    const results: ActorReply<TransferRecord>[] = new Array(inputs.length);
    await Promise.all(
      [...groups].map(async ([partition, indexes]) => {
        // Chunks of one partition go one after another, so items on one account keep their order.
        for (let from = 0; from < indexes.length; from += this.limits.batchItemsPerRequestMax) {
          const chunk = indexes.slice(from, from + this.limits.batchItemsPerRequestMax);
          const chunkInputs = chunk.map((i) => inputs[i] as TransferInput);
          let replies: ActorReply<TransferRecord>[];
          try {
            const answer = await this.send(partition, chunkInputs[0]?.id ?? '', { op: 'create_transfers', inputs: chunkInputs });
            replies = chunkInputs.length === 1 ? [answer as ActorReply<TransferRecord>] : (answer as ActorReply<TransferRecord>[]);
          } catch (error) {
            if (!isRuntimeError(error)) throw error;
            replies = chunk.map(() => refuse(error.code, error.message));
          }
          chunk.forEach((i, k) => (results[i] = replies[k] ?? refuse('internal_error', 'missing item reply')));
        }
      }),
    );
    return results;
  }

  /** fundcore's own posting (an accrual, a reconciliation's supplement): system accounts allowed. */
  transferAnyAccount(input: TransferInput): Promise<ActorReply<TransferRecord>> {
    return this.send(partitionOfAccount(input.debit, this.options.partitionCount), input.id, { op: 'create_transfers', inputs: [input], system: true }) as Promise<ActorReply<TransferRecord>>;
  }

  /** A reconciliation's reversal: system accounts allowed. */
  async reverseAnyTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const original = await this.findRecord(transferId);
    if (original === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.send(partitionOfAccount(original.credit, this.options.partitionCount), transferId, { op: 'reverse_transfer', original, memo, system: true }) as Promise<ActorReply<TransferRecord>>;
  }

  async postPending(transferId: string, amount: string | null): Promise<ActorReply<TransferRecord>> {
    const record = await this.findRecord(transferId);
    if (record === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.send(partitionOfAccount(record.debit, this.options.partitionCount), transferId, { op: 'post_pending', transferId, amount }) as Promise<ActorReply<TransferRecord>>;
  }

  async voidPending(transferId: string): Promise<ActorReply<TransferRecord>> {
    const record = await this.findRecord(transferId);
    if (record === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.send(partitionOfAccount(record.debit, this.options.partitionCount), transferId, { op: 'void_pending', transferId }) as Promise<ActorReply<TransferRecord>>;
  }

  async reverseTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>> {
    const original = await this.findRecord(transferId);
    if (original === null) return refuse('transfer_not_found', `no transfer ${transferId}`);
    return this.send(partitionOfAccount(original.credit, this.options.partitionCount), transferId, { op: 'reverse_transfer', original, memo }) as Promise<
      ActorReply<TransferRecord>
    >;
  }

  async getTransfer(id: string): Promise<ActorReply<TransferStatus>> {
    const found = await this.find(id, true);
    if (found.record === null) return refuse('transfer_not_found', `no transfer ${id}`);
    return { ok: true, value: { record: found.record, credit: found.credit, reversedBy: found.reversedBy } };
  }

  async inspectActor(actorId: string): Promise<ActorInspection | undefined> {
    const inspection = await this.send(partitionOfActor(actorId, this.options.partitionCount), actorId, { op: 'inspect_actor', actorId });
    return (inspection ?? undefined) as ActorInspection | undefined;
  }

  /** One command to the node serving `partition`, retried while nobody serves it. */
  private async send(partition: number, commandId: string, command: ClusterCommand): Promise<unknown> {
    const { nc, subjectPrefix } = this.options;
    const deadline = Date.now() + this.limits.routeDeadlineMs;
    const h = headers();
    h.set(commandIdHeader, commandId);
    const payload = encode(command);
    for (let attempt = 0; ; attempt++) {
      let failure: ActorRuntimeError;
      try {
        const request = nc.request(commandSubject(subjectPrefix, partition), payload, { timeout: this.limits.requestTimeoutMs, headers: h });
        const msg = await answeredOrOwnerLost(request, partition, this.options.leaseWatch ?? null);
        return resultOf(decode<WireReply>(msg.data));
      } catch (error) {
        failure = isRuntimeError(error) ? error : natsFailure(error, `partition ${partition}`);
        this.options.onRequestFailed?.(failure.code);
      }
      // Only "nobody serves it" is worth waiting out — not once its owner's lease has lapsed (it is down,
      // not moving); a timeout's outcome is unknown and the client decides.
      const ownerLost = this.options.leaseWatch?.isOwnerLost(partition) ?? false;
      if (failure.code !== 'partition_unavailable' || ownerLost || Date.now() >= deadline) throw failure;
      await sleep(Math.min(this.limits.routeRetryDelayFirstMs * 2 ** Math.min(attempt, 16), this.limits.routeRetryDelayMaxMs, Math.max(0, deadline - Date.now())));
    }
  }

  private async findRecord(transferId: string): Promise<TransferRecord | null> {
    return (await this.find(transferId, false)).record;
  }

  /**
   * Asks every node what it knows of the transfer, until the answers are complete: the
   * record found (and, when `withCredit`, the credit account's partition heard from), or
   * every partition heard from (it does not exist). Retried while partitions are silent,
   * until the routing deadline; then partition_unavailable.
   */
  private async find(transferId: string, withCredit: boolean): Promise<{ record: TransferRecord | null; credit: TransferFindReply['credit']; reversedBy: string | null }> {
    const { nc, subjectPrefix, partitionCount } = this.options;
    const deadline = Date.now() + this.limits.routeDeadlineMs;
    for (let attempt = 0; ; attempt++) {
      const heard = new Set<number>();
      let record: TransferRecord | null = null;
      let credit: TransferFindReply['credit'] = null;
      let reversedBy: string | null = null;
      const complete = (): boolean => {
        // The record is authoritative where it is found (a rejected one: no such transfer).
        if (record !== null) return record.status === 'rejected' || !withCredit || heard.has(partitionOfAccount(record.credit, partitionCount));
        return heard.size === partitionCount;
      };
      try {
        const replies = await nc.requestMany(findSubject(subjectPrefix), encode({ transferId }), { strategy: 'timer', maxWait: this.limits.findWaitMs });
        for await (const msg of replies) {
          const reply = decode<TransferFindReply>(msg.data);
          for (const p of reply.partitions) heard.add(p);
          record ??= reply.record;
          credit ??= reply.credit;
          reversedBy ??= reply.reversedBy;
          if (complete()) break;
        }
      } catch (error) {
        this.options.onRequestFailed?.(isNoResponders(error) ? 'no_responders' : 'find_failed');
        if (!isNoResponders(error) && nc.isClosed()) throw natsFailure(error, 'the cluster');
      }
      if (complete()) return { record: record !== null && record.status === 'rejected' ? null : record, credit, reversedBy };
      if (Date.now() >= deadline) {
        const silent = partitionCount - heard.size;
        throw new ActorRuntimeError('partition_unavailable', `transfer ${transferId}: ${silent} partition(s) not served right now; retry`);
      }
      await sleep(Math.min(this.limits.routeRetryDelayFirstMs * 2 ** Math.min(attempt, 16), this.limits.routeRetryDelayMaxMs));
    }
  }
}
