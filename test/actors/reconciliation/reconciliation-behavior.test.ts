import t from 'tap';
import { headerOfState, reconciliationBehavior as behavior, type ReconciliationMessage, type ReconciliationState } from '../../../actors/reconciliation/reconciliation-behavior.js';
import { replyOf, type ActorReply } from '../../../actors/runtime/behavior.js';
import type { ReconciliationEvent } from '../../../core/reconciliation/events.js';
import { findingKinds } from '../../../core/reconciliation/match.js';
import type { ReconciliationReport, ReportHeader } from '../../../core/reconciliation/report.js';

const summary = Object.fromEntries(findingKinds.map((kind) => [kind, 0])) as ReportHeader['summary'];
const header = (statementCount: number, findingCount: number): ReportHeader => ({ id: 'r1', format: 'mt940', trusted: true, summary, statementCount, findingCount, createdAt: 0 });
const bytes = new Uint8Array([1, 2, 3]);

/** Given these events, when the message comes: the events it journals and its reply. */
function when(given: readonly ReconciliationEvent[], message: ReconciliationMessage): { events: readonly ReconciliationEvent[]; reply: ActorReply; state: ReconciliationState } {
  const state = given.reduce(behavior.evolve, behavior.initialState('recon:r1'));
  const handled = behavior.handle(state, message, { get: () => undefined }, 0, []);
  const after = handled.events.reduce(behavior.evolve, state);
  return { events: handled.events, reply: replyOf(handled.reply, after) as ActorReply, state: after };
}

const begin = (digest = 'd1', statements = 2, findings = 5): ReconciliationMessage => ({ type: 'begin_report', data: { digest, header: header(statements, findings), chunkItemsMax: 2 } });
const chunk = (n: number, count: number, attempt = 1): ReconciliationMessage => ({ type: 'record_chunk', data: { attempt, chunk: n, count, items: bytes } });
const begun = (attempt = 1, digest = 'd1'): ReconciliationEvent => ({ type: 'report_begun', data: { digest, attempt, header: header(2, 5), chunkItemsMax: 2 } });
const recorded = (n: number, count: number, attempt = 1): ReconciliationEvent => ({ type: 'report_chunk_recorded', data: { attempt, chunk: n, count, items: bytes } });
// 2 statements and 5 findings in chunks of 2: [s0 s1] [f0 f1] [f2 f3] [f4]
const allChunks = [recorded(0, 2), recorded(1, 2), recorded(2, 2), recorded(3, 1)];

t.test('a report is begun, its chunks recorded in order, and it completes with its last chunk', async (t) => {
  t.same(when([], begin()).events, [begun()]);
  t.same(when([begun()], chunk(0, 2)).events, [recorded(0, 2)]);
  t.same(when([begun(), recorded(0, 2), recorded(1, 2), recorded(2, 2)], chunk(3, 1)).events, [recorded(3, 1), { type: 'report_completed', data: { attempt: 1 } }]);
  const done = when([begun(), ...allChunks.slice(0, 3)], chunk(3, 1)).state;
  t.same(headerOfState(done), header(2, 5), 'complete: its header is the report');
  t.equal(headerOfState(when([begun(), recorded(0, 2)], chunk(1, 2)).state), null, 'not before');
  t.same(when([], begin('d1', 0, 0)).events, [{ type: 'report_begun', data: { digest: 'd1', attempt: 1, header: header(0, 0), chunkItemsMax: 2 } }, { type: 'report_completed', data: { attempt: 1 } }], 'nothing to record: complete at once');
});

t.test('chunks: one recorded already is answered as it is; out of order, miscounted or of an attempt taken over, refused', async (t) => {
  const again = when([begun(), recorded(0, 2)], chunk(0, 2));
  t.same([again.events, again.reply.ok], [[], true]);
  t.match(when([begun()], chunk(1, 2)).reply, { ok: false, code: 'statement_job_failed', detail: /chunk 1 came before chunk 0/ });
  t.match(when([begun()], chunk(0, 1)).reply, { ok: false, code: 'statement_job_failed', detail: /holds 1 items, not 2/ });
  t.match(when([begun(), begun(2)], chunk(0, 2, 1)).reply, { ok: false, code: 'reconciliation_busy' }, 'a later attempt took over');
  t.match(when([], chunk(0, 2)).reply, { ok: false, code: 'reconciliation_busy' }, 'nothing begun');
});

t.test('begun again: the same statement, unfinished, is recorded anew as the next attempt; finished, answered as it is; another statement, refused', async (t) => {
  t.same(when([begun(), recorded(0, 2)], begin()).events, [begun(2)], 'a job a crash cut short');
  const finished = when([begun(), ...allChunks, { type: 'report_completed', data: { attempt: 1 } }], begin());
  t.same([finished.events, finished.reply.ok], [[], true]);
  t.match(when([begun(), ...allChunks, { type: 'report_completed', data: { attempt: 1 } }], begin('d2')).reply, { ok: false, code: 'id_reused_with_different_content' });
  t.match(when([begun(), recorded(0, 2)], begin('d2')).reply, { ok: false, code: 'id_reused_with_different_content' }, 'also while unfinished');
});

t.test('a report journaled whole before chunks, and a snapshot of that time, still read', async (t) => {
  const report: ReconciliationReport = { id: 'r1', format: 'mt940', statements: [], trusted: true, findings: [], summary, createdAt: 0 };
  const legacy = when([{ type: 'reconciliation_recorded', data: { report, digest: 'd1' } }], begin());
  t.same([legacy.events, legacy.reply.ok], [[], true], 'the same statement: answered');
  t.same(headerOfState(legacy.state), { ...header(0, 0) });
  const snapshot = { report, digest: 'd1', repairs: new Map([[0, { finding: 0, action: 'supplement' as const, via: 'x', at: 1 }]]) } as unknown as ReconciliationState;
  const upgraded = behavior.query(snapshot, { type: 'get_reconciliation' }, []);
  t.match(upgraded, { ok: true, value: { digest: 'd1', legacy: report, stored: null } });
  t.equal((upgraded as { value: ReconciliationState }).value.repairs.size, 1);
  t.same(replyOf(behavior.handle(snapshot, begin('d2'), { get: () => undefined }, 0, []).reply, snapshot), { ok: false, code: 'id_reused_with_different_content', detail: 'reconciliation r1 was made from another statement' });
});

t.test('the actor snapshots with every append: waking it never reads its chunks back', async (t) => {
  t.equal(behavior.snapshotEveryAppend, true);
});
