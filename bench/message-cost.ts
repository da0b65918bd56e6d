/**
 * (m) What one message costs: interest credits asked of investors' interest pools, on the
 * LMDB journal, `concurrency` in flight, spread over `investors`: the unit every lending flow
 * is made of (a repayment sends 20 such credits and 20 capitals). How many share an append
 * depends on how many actors serve them: one per investor before the interest pool shards,
 * one per partition (256) since.
 * Measured twice over the same flows: first journaled (decided, appended, indexed), then
 * redelivered (each answered from the flow-id index: the ask alone). Main thread from the
 * event loop's utilization; CPU of the whole process (lmdb-js's write thread included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundcoreNode } from '../actors/node.js';
import type { InterestPoolMessage } from '../actors/lending/interest-pool-messages.js';
import { interestPoolActorId } from '../actors/lending/interest-pool-messages.js';
import { Latencies, round, rssMiB } from './lib/stats.js';
import type { CaseResult } from './case.js';

export interface MessageCostSpec {
  readonly kind: 'message-cost';
  readonly messages: number;
  readonly investors: number;
  readonly concurrency: number;
}

interface Pass {
  readonly ms: number;
  readonly mainUs: number;
  readonly cpuUs: number;
  readonly appends: number;
  readonly latencies: Latencies;
}

const creditOf = (n: number, investors: number, round: string): InterestPoolMessage => ({
  type: 'credit_interest',
  data: { investor: `inv${n % investors}`, flowId: `${round}.${n}`, kind: 'repayment', amount: 1n, ref: `r${n}`, source: null },
});

/** One pass: every message asked once, `concurrency` at a time; fails on any refusal. */
async function pass(node: FundcoreNode, spec: MessageCostSpec, round: string): Promise<Pass> {
  const latencies = new Latencies();
  const positionBefore = node.journal.lastLogPosition();
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const startedAt = performance.now();
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < spec.messages) {
      const n = next++;
      const sentAt = performance.now();
      const reply = await node.system.ask(interestPoolActorId(`inv${n % spec.investors}`), creditOf(n, spec.investors, round));
      if (!reply.ok) throw new Error(`credit ${n} refused: ${reply.code}`);
      latencies.record(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, client));
  const ms = performance.now() - startedAt;
  const loop = performance.eventLoopUtilization(loopBefore);
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, mainUs: (loop.active * 1000) / spec.messages, cpuUs: (cpu.user + cpu.system) / spec.messages, appends: node.journal.lastLogPosition() - positionBefore, latencies };
}

export async function messageCost(spec: MessageCostSpec): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-message-cost-'));
  const node = FundcoreNode.start({ dataDir: dir, limits: { relayInFlightMax: 20_000, mailboxDepthMax: 100_000 } });
  try {
    await node.ready();
    // Warm-up on flows of their own: every actor live, every pool adopted, the code optimized.
    await pass(node, spec, 'warm');
    const fresh = await pass(node, spec, 'measured');
    const redelivered = await pass(node, spec, 'measured');
    if (redelivered.appends !== 0) throw new Error(`redelivered credits appended ${redelivered.appends} times`);
    return {
      transfersPerSec: Math.round((spec.messages / fresh.ms) * 1000),
      ...fresh.latencies.summary(),
      rssMiB: rssMiB(),
      completed: spec.messages,
      failed: 0,
      extra: {
        freshMainUs: round(fresh.mainUs),
        freshCpuUs: round(fresh.cpuUs),
        messagesPerAppend: round(spec.messages / fresh.appends),
        redeliveredPerSec: Math.round((spec.messages / redelivered.ms) * 1000),
        redeliveredMainUs: round(redelivered.mainUs),
        redeliveredCpuUs: round(redelivered.cpuUs),
      },
    };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
