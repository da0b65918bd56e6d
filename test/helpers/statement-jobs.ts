import type { Test } from 'tap';
import { FakeTime, settle } from './fake-time.js';
import { gateway, opsKey, type GatewayHarness } from './gateway.js';
import { pumped } from './lending.js';
import { helperModuleUrl } from './repo.js';

export const ops = { authorization: `Bearer ${opsKey}` };
/** test/helpers/misbehaving-statement-worker.ts: misbehaves when the statement says how. */
export const misbehavingWorker = helperModuleUrl('misbehaving-statement-worker');
export const smallMt940 = `:20:A\n:25:w1\n:28C:1\n:60F:C320105CNY1,00\n:61:320105C2,00NTRFdep-x\n:62F:C320105CNY3,00\n-\n`;

/** A node whose statement worker misbehaves on cue, on fake time (jobs time out after 60 s of it). */
export async function misbehavingNode(t: Test, jobs: { jobsRunningMax: number; jobsWaitingMax: number; workerHeapMiBMax?: number }) {
  const time = new FakeTime();
  const h = await pumped(gateway(t, { clock: time, timers: time, statementWorkerUrl: misbehavingWorker, statementJobs: { jobTimeoutMs: 60_000, ...jobs } }), time, 0);
  return { h, time };
}

export const reconcile = (h: GatewayHarness, id: string, content: string) => h.post('/v1/reconciliations', { id, format: 'mt940', content }, ops);

/** Waits, without fake time passing (a worker answers in real time), until the node's statement jobs are as asked. */
export async function jobsAre(h: GatewayHarness, running: number, waiting = 0, named = 0): Promise<void> {
  for (let rounds = 0; ; rounds++) {
    const stats = h.node.reconciliations.jobStats();
    if (stats.running === running && stats.waiting === waiting && stats.named >= named) return;
    if (rounds > 1_000_000) throw new Error(`jobs stayed ${JSON.stringify(stats)}`);
    await settle(1);
  }
}

/** Each way of misbehaving fails its job with 503 statement_job_failed (saying why) and frees the worker's slot. */
export async function failsEachJob(t: Test, h: GatewayHarness, time: FakeTime, cases: readonly (readonly [string, RegExp])[]): Promise<void> {
  for (const [how, message] of cases) {
    const answer = await pumped(reconcile(h, `bad-${how}`, how), time, 0);
    t.equal(answer.statusCode, 503, how);
    t.match(answer.json().error, { code: 'statement_job_failed', message }, how);
    t.same(h.node.reconciliations.jobStats(), { running: 0, waiting: 0, idle: 0, named: 0 }, `${how}: the worker is gone, its slot free`);
  }
}
