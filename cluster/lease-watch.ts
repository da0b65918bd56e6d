import type { KV } from '@nats-io/kv';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import type { Logger } from '../actors/runtime/clock.js';
import { partitionOfLeaseKey } from './leases.js';
import { decode, type LeaseValue } from './wire.js';

export interface LeaseWatchOptions {
  /**
   * Opens the cluster's lease bucket (every renewal of a partition's lease is a write there);
   * retried until it exists — a gateway may start before any node created it.
   */
  readonly openLeases: () => Promise<KV>;
  /** How long to wait between two tries to open the bucket. */
  readonly openRetryMs: number;
  /** How often waiting requests are checked against the leases. */
  readonly checkEveryMs: number;
  readonly logger: Logger;
  /** Monotonic time in ms. */
  readonly now?: () => number;
}

interface Waiter {
  readonly partition: number;
  readonly reject: (error: ActorRuntimeError) => void;
}

/**
 * What a requester knows of partition owners' liveness: it follows the lease bucket (each
 * renewal is a write) and remembers when each partition's lease was last renewed. A request
 * already delivered to a node that dies is never answered, and NATS cannot say so; racing it
 * against `untilOwnerLost` ends it `partition_unavailable` once the owner's lease has gone
 * unrenewed for the TTL — within the TTL of the death, instead of the ask timeout — and the
 * client retries with the same id. A partition whose lease was never seen is not judged.
 */
export class LeaseWatch {
  private readonly renewedAt = new Map<number, number>();
  /** Who holds each partition's lease, as last renewed (null: a value this version cannot read). */
  private readonly owners = new Map<number, string | null>();
  private readonly waiters = new Set<Waiter>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private stopWatching: (() => void) | null = null;
  private stopped = false;
  /** The bucket's TTL, once it is open: until then nothing is judged. */
  private leaseTtlMs: number | null = null;

  constructor(private readonly options: LeaseWatchOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts following the bucket in the background (opening it as soon as it exists). */
  start(): void {
    this.timer = setInterval(() => this.checkWaiters(), this.options.checkEveryMs);
    this.timer.unref();
    void this.follow().catch((error: unknown) => this.options.logger.warn({ err: error }, 'lease watch ended'));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.stopWatching?.();
  }

  private async follow(): Promise<void> {
    let leases: KV | null = null;
    while (leases === null && !this.stopped) {
      leases = await this.openedWithTtl().catch(() => null);
      if (leases === null) await new Promise((resolve) => setTimeout(resolve, this.options.openRetryMs).unref());
    }
    if (leases === null) return;
    const entries = await leases.watch();
    this.stopWatching = () => entries.stop();
    if (this.stopped) entries.stop();
    for await (const entry of entries) {
      const partition = partitionOfLeaseKey(entry.key);
      if (partition === null) continue;
      if (entry.operation === 'PUT') {
        this.renewedAt.set(partition, this.now());
        this.owners.set(partition, ownerOfLease(entry.value));
      } else {
        this.renewedAt.delete(partition);
        this.owners.delete(partition);
      }
    }
  }

  /** The bucket once it exists (opening it does not check that; reading its status does), and its TTL. */
  private async openedWithTtl(): Promise<KV> {
    const leases = await this.options.openLeases();
    this.leaseTtlMs = (await leases.status()).ttl;
    return leases;
  }

  /** True when the partition's lease was seen and has not been renewed for the TTL: its owner is gone. */
  isOwnerLost(partition: number): boolean {
    const renewedAt = this.renewedAt.get(partition);
    return renewedAt !== undefined && this.leaseTtlMs !== null && this.now() - renewedAt > this.leaseTtlMs;
  }

  /** The node holding the partition's lease as last seen, unless it is lost; null when not known. */
  ownerOf(partition: number): string | null {
    return this.isOwnerLost(partition) ? null : (this.owners.get(partition) ?? null);
  }

  /** Rejects (partition_unavailable) once the partition's owner is lost; `cancel` when the request is answered. */
  untilOwnerLost(partition: number): { readonly lost: Promise<never>; readonly cancel: () => void } {
    let waiter: Waiter | null = null;
    const lost = new Promise<never>((_, reject) => {
      waiter = { partition, reject };
      this.waiters.add(waiter);
    });
    lost.catch(() => {});
    return { lost, cancel: () => void (waiter !== null && this.waiters.delete(waiter)) };
  }

  private checkWaiters(): void {
    for (const waiter of this.waiters) {
      if (!this.isOwnerLost(waiter.partition)) continue;
      this.waiters.delete(waiter);
      const detail = `the owner of partition ${waiter.partition} stopped renewing its lease (down?); the outcome is unknown, retry with the same id`;
      waiter.reject(new ActorRuntimeError('partition_unavailable', detail));
    }
  }
}

/** A request raced against its partition's owner being lost (when a watch is at hand). */
export async function answeredOrOwnerLost<T>(request: Promise<T>, partition: number, watch: LeaseWatch | null): Promise<T> {
  if (watch === null) return request;
  const owner = watch.untilOwnerLost(partition);
  try {
    return await Promise.race([request, owner.lost]);
  } finally {
    owner.cancel();
  }
}

function ownerOfLease(value: Uint8Array): string | null {
  try {
    const nodeId = decode<LeaseValue>(value).nodeId;
    return typeof nodeId === 'string' ? nodeId : null;
  } catch {
    return null;
  }
}
