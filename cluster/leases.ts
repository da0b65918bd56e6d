import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { Logger } from '../actors/runtime/clock.js';
import { decode, encode, type LeaseValue } from './wire.js';

/** Limits of partition ownership. Relations are checked at start-up. */
const nodeStoppingReason = 'node stopping';

export interface LeaseLimits {
  /** A lease not renewed for this long expires in NATS (the lease bucket's max age). */
  readonly leaseTtlMs: number;
  /** How often a holder renews (and a waiting node tries to acquire): well within the TTL. */
  readonly leaseRenewEveryMs: number;
  /**
   * Taken off the TTL when a holder computes how long its lease is valid, against clock-rate
   * differences: the holder stops serving this long before NATS could let another node in.
   */
  readonly leaseSafetyMarginMs: number;
  /** How often the holder checks its leases' validity, so a pause is noticed within this (and logged). */
  readonly leaseCheckEveryMs: number;
}

export const defaultLeaseLimits: LeaseLimits = { leaseTtlMs: 5_000, leaseRenewEveryMs: 1_000, leaseSafetyMarginMs: 500, leaseCheckEveryMs: 100 };

export function checkLeaseLimits(limits: LeaseLimits): void {
  const bad = Object.entries(limits).filter(([, value]) => !(Number.isInteger(value) && value > 0));
  if (bad.length > 0) throw new RangeError(`lease limits must be positive integers: ${bad.map(([k]) => k).join(', ')}`);
  // At least two renewal attempts fit in what is left of the TTL after the margin.
  if (limits.leaseRenewEveryMs * 2 > limits.leaseTtlMs - limits.leaseSafetyMarginMs) {
    throw new RangeError('leaseRenewEveryMs must be at most half of (leaseTtlMs - leaseSafetyMarginMs)');
  }
  if (limits.leaseCheckEveryMs > limits.leaseRenewEveryMs) throw new RangeError('leaseCheckEveryMs must not exceed leaseRenewEveryMs');
}

/** One partition's ownership as this node sees it. */
interface Lease {
  readonly partition: number;
  status: 'serving' | 'waiting';
  /** The revision of the lease key this node last wrote: the next renewal's compare-and-set. */
  revision: number;
  /** The revision at which this ownership term began: the fencing epoch stamped on journal writes. */
  epoch: number;
  /** Monotonic ms until which this node may write for the partition, unless renewed. */
  validUntil: number;
  /** Why not serving (waiting), for logs and /health. */
  reason: string;
}

export interface LeaseView {
  readonly partition: number;
  readonly serving: boolean;
  readonly epoch: number | null;
  readonly reason: string | null;
}

export type LeaseCheck = { readonly ok: true; readonly epoch: number } | { readonly ok: false; readonly reason: string };

export interface LeaseManagerOptions {
  /** The lease bucket: its max age is the TTL (see `leaseBucketOptions`). */
  readonly leases: KV;
  /** Which node each partition's data lives on: written once, never expires (LMDB is node-local). */
  readonly homes: KV;
  readonly nodeId: string;
  readonly partitions: readonly number[];
  readonly limits: LeaseLimits;
  readonly logger: Logger;
  /** Monotonic time in ms; a paused process sees it jump. */
  readonly now?: () => number;
  /** Called when this node starts serving a partition (a new epoch) and when it stops. */
  readonly onChange: (partition: number, serving: boolean, epoch: number | null) => void;
}

export function leaseKey(partition: number): string {
  return `p${partition}`;
}

/** The partition a lease key names (leaseKey's inverse), or null for another key. */
export function partitionOfLeaseKey(key: string): number | null {
  const match = /^p(\d+)$/.exec(key);
  return match === null ? null : Number(match[1]);
}

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/**
 * Ownership of partitions by leases in NATS JetStream KV (DESIGN §7). A lease is acquired
 * with `create` and renewed with `update(revision)`; the revision where a term began is its
 * fencing epoch. The lease is valid, for the holder, until the send time of its last
 * successful write + TTL − safety margin on the monotonic clock: NATS removes the key no
 * earlier than TTL after it received that write, so the holder stops before anyone else
 * could start. `check` is asked before every journal append; a watchdog notices a pause
 * (SIGSTOP, a long GC) on resume and stops serving what expired meanwhile.
 *
 * Partitions are pinned to the node that holds their data: the first holder writes its id
 * under the partition in the homes bucket, and no other node serves it while that stands.
 * A restarted node recognises its own previous lease by its node id and takes it back at once.
 */
export class LeaseManager {
  private readonly leases = new Map<number, Lease>();
  private readonly now: () => number;
  private renewTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;
  private readonly value: Uint8Array;

  constructor(private readonly options: LeaseManagerOptions) {
    checkLeaseLimits(options.limits);
    this.now = options.now ?? (() => performance.now());
    for (const partition of options.partitions) {
      this.leases.set(partition, { partition, status: 'waiting', revision: 0, epoch: 0, validUntil: 0, reason: 'not acquired yet' });
    }
    const value: LeaseValue = { nodeId: options.nodeId, host: hostname(), pid: process.pid, acquiredAt: new Date().toISOString(), instance: randomUUID() };
    this.value = encode(value);
  }

  /** One acquisition round, then renewals and the watchdog on timers. */
  async start(): Promise<void> {
    await this.runRound();
    this.renewTimer = setInterval(() => void this.runRound(), this.options.limits.leaseRenewEveryMs);
    this.checkTimer = setInterval(() => this.expireOverdue(), this.options.limits.leaseCheckEveryMs);
  }

  /** May this node write for the partition now? Asked before every append. */
  check(partition: number): LeaseCheck {
    const lease = this.leases.get(partition);
    if (lease === undefined) return { ok: false, reason: `partition ${partition} is not one of this node's` };
    if (lease.status !== 'serving') return { ok: false, reason: lease.reason };
    if (this.now() >= lease.validUntil) {
      this.lose(lease, `lease expired: not renewed for ${Math.round(this.now() - lease.validUntil + this.validityMs())} ms`);
      return { ok: false, reason: lease.reason };
    }
    return { ok: true, epoch: lease.epoch };
  }

  isServing(partition: number): boolean {
    return this.check(partition).ok;
  }

  serving(): number[] {
    return [...this.leases.keys()].filter((p) => this.isServing(p));
  }

  views(): LeaseView[] {
    return [...this.leases.values()].map((lease) => {
      const check = this.check(lease.partition);
      return { partition: lease.partition, serving: check.ok, epoch: check.ok ? check.epoch : null, reason: check.ok ? null : check.reason };
    });
  }

  /** Stops renewing. The leases expire after the TTL (or this node takes them back on restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    if (this.checkTimer !== null) clearInterval(this.checkTimer);
    await this.round;
    for (const lease of this.leases.values()) if (lease.status === 'serving') this.lose(lease, nodeStoppingReason);
  }

  /** Most of a renewal period: a round given up in time does not make the next tick skip. */
  private requestTimeoutMs(): number {
    return Math.max(1, Math.floor(this.options.limits.leaseRenewEveryMs * 0.8));
  }

  private validityMs(): number {
    return this.options.limits.leaseTtlMs - this.options.limits.leaseSafetyMarginMs;
  }

  /** Renewals and acquisitions run one round at a time; a round still running skips the next. */
  private runRound(): Promise<void> {
    if (this.stopped || this.round !== null) return this.round ?? Promise.resolve();
    this.round = Promise.all([...this.leases.values()].map((lease) => this.step(lease))).then(
      () => {
        this.round = null;
      },
      (error: unknown) => {
        this.round = null;
        this.options.logger.error({ err: error }, 'lease round failed');
      },
    );
    return this.round;
  }

  private async step(lease: Lease): Promise<void> {
    if (lease.status === 'serving' && this.check(lease.partition).ok) await this.renew(lease);
    else await this.acquire(lease);
  }

  private async renew(lease: Lease): Promise<void> {
    const sentAt = this.now();
    try {
      // Answered within a renewal period, or given up: a request lost in a NATS restart held
      // the round — every partition's next renewal — for the client's 5 s default, past the
      // lease's validity, and a 300 ms restart cost the node all its partitions for seconds.
      const revision = await this.options.leases.update(leaseKey(lease.partition), this.value, lease.revision, this.requestTimeoutMs());
      if (this.stopped || lease.status !== 'serving') return;
      lease.revision = revision;
      lease.validUntil = sentAt + this.validityMs();
    } catch (error) {
      // Refused for its revision: the term may be over (see renewalRefused). Anything else (NATS
      // unreachable, a timeout) leaves the lease valid until validUntil, and we try again.
      if (isWrongLastSequence(error)) await this.renewalRefused(lease);
      else this.options.logger.warn({ partition: lease.partition, err: error }, 'lease renewal failed; retrying while the lease is valid');
    }
  }

  /**
   * A renewal refused for its revision. If the key still holds this process's own value, an
   * earlier renewal landed though its answer was lost (given up as a timeout): nobody else
   * wrote in between, so the term goes on under the key's revision (the validity is not
   * extended: it still counts from the last answered renewal). Otherwise someone else wrote
   * the key, or it expired: the term is over.
   */
  private async renewalRefused(lease: Lease): Promise<void> {
    const entry = await withinMs(this.options.leases.get(leaseKey(lease.partition)), this.requestTimeoutMs()).catch(() => null);
    if (this.stopped || lease.status !== 'serving') return;
    const ours = entry !== null && entry.operation === 'PUT' && entry.revision > lease.revision && Buffer.from(entry.value).equals(this.value);
    if (!ours) return this.lose(lease, 'lease lost: the key changed or expired in NATS');
    this.options.logger.warn({ partition: lease.partition, revision: entry.revision }, 'a lease renewal landed though its answer was lost; the term goes on');
    lease.revision = entry.revision;
  }

  private async acquire(lease: Lease): Promise<void> {
    const { leases, nodeId } = this.options;
    const key = leaseKey(lease.partition);
    const sentAt = this.now();
    let revision: number;
    try {
      revision = await leases.create(key, this.value);
    } catch (error) {
      if (!isWrongLastSequence(error)) return this.wait(lease, `cannot reach the lease bucket: ${(error as Error).message}`);
      // The key exists: ours from before a restart (take it back), or another node's.
      try {
        const entry = await leases.get(key);
        if (entry === null || entry.operation !== 'PUT') return this.wait(lease, 'lease changing hands; retrying');
        const holder = decode<LeaseValue>(entry.value);
        if (holder.nodeId !== nodeId) return this.wait(lease, `lease held by node ${holder.nodeId} (pid ${holder.pid} on ${holder.host})`);
        revision = await leases.update(key, this.value, entry.revision);
      } catch (inner) {
        return this.wait(lease, `lease not acquired: ${(inner as Error).message}`);
      }
    }
    if (this.stopped) return;
    const home = await this.claimHome(lease.partition);
    if (home !== null) {
      // Not ours to serve: give the lease back at once, so the home node is not kept out.
      await leases.delete(key, { previousSeq: revision }).catch(() => {});
      return this.wait(lease, `partition ${lease.partition} is homed on node ${home} (its data is there)`);
    }
    lease.status = 'serving';
    lease.revision = revision;
    lease.epoch = revision;
    lease.validUntil = sentAt + this.validityMs();
    lease.reason = '';
    this.options.logger.info({ partition: lease.partition, epoch: revision }, 'serving partition');
    this.options.onChange(lease.partition, true, revision);
  }

  /** Null when the partition is (now) homed here; otherwise the node it is homed on. */
  private async claimHome(partition: number): Promise<string | null> {
    const { homes, nodeId } = this.options;
    const key = leaseKey(partition);
    try {
      await homes.create(key, new TextEncoder().encode(nodeId));
      return null;
    } catch (error) {
      if (!isWrongLastSequence(error)) return `unknown (homes bucket unreachable: ${(error as Error).message})`;
      const entry = await homes.get(key).catch(() => null);
      const home = entry === null ? 'unknown' : entry.string();
      return home === nodeId ? null : home;
    }
  }

  private wait(lease: Lease, reason: string): void {
    if (lease.reason !== reason) this.options.logger.warn({ partition: lease.partition, reason }, 'not serving partition');
    lease.status = 'waiting';
    lease.reason = reason;
  }

  private lose(lease: Lease, reason: string): void {
    if (lease.status !== 'serving') return;
    lease.status = 'waiting';
    lease.reason = reason;
    // A planned stop is routine; a lease lost while running is what ops must see.
    const log = reason === nodeStoppingReason ? this.options.logger.info : this.options.logger.error;
    log.call(this.options.logger, { partition: lease.partition, epoch: lease.epoch, reason }, 'stopped serving partition');
    this.options.onChange(lease.partition, false, null);
  }

  /** The watchdog: after a pause, the first tick finds what expired and stops serving it. */
  private expireOverdue(): void {
    for (const lease of this.leases.values()) if (lease.status === 'serving') this.check(lease.partition);
  }
}

/** The promise, or a rejection once `ms` have passed (the KV's get takes no timeout of its own). */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The lease bucket's settings: one value per key, expiring TTL after its last write. */
export function leaseBucketOptions(limits: LeaseLimits): { history: number; ttl: number } {
  return { history: 1, ttl: limits.leaseTtlMs };
}
