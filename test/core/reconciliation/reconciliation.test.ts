import t from 'tap';
import type { ReconciliationEvent } from '../../../core/reconciliation/events.js';
import { findingKinds } from '../../../core/reconciliation/match.js';
import { reconciliationDecider as decider, type ReconciliationCommand } from '../../../core/reconciliation/reconciliation.js';
import type { ReportHeader } from '../../../core/reconciliation/report.js';
import { deciderOf } from '../lending/given.js';

const given = deciderOf(decider.decide, decider.evolve, decider.initialState);
const summary = Object.fromEntries(findingKinds.map((kind) => [kind, 0])) as ReportHeader['summary'];
const header = (findingCount: number): ReportHeader => ({ id: 'r1', format: 'camt.053', trusted: true, summary, statementCount: 1, findingCount, createdAt: 0 });
const begin = (digest: string): ReconciliationCommand => ({ type: 'begin_report', data: { digest, header: header(1), chunkItemsMax: 10 } });
const begun = (digest: string, attempt = 1): ReconciliationEvent => ({ type: 'report_begun', data: { digest, attempt, header: header(1), chunkItemsMax: 10 } });
const chunk = (n: number, attempt = 1): ReconciliationCommand => ({ type: 'record_chunk', data: { attempt, chunk: n, count: 1, items: new Uint8Array([n]) } });
const recorded = (n: number, attempt = 1): ReconciliationEvent => ({ type: 'report_chunk_recorded', data: { attempt, chunk: n, count: 1, items: new Uint8Array([n]) } });
const completed: ReconciliationEvent = { type: 'report_completed', data: { attempt: 1 } };

t.test('begin_report: precedence — another statement under the id is refused before a finished report is answered', async (t) => {
  given(begun('d1'), recorded(0), recorded(1), completed).when(begin('d2')).rejects(t, 'id_reused_with_different_content', '1.');
  given(begun('d1'), recorded(0), recorded(1), completed).when(begin('d1')).then(t, [], '2. finished: nothing');
  given(begun('d1')).when(begin('d1')).then(t, [begun('d1', 2)], 'an unfinished report is begun again as the next attempt');
});

t.test('record_chunk: precedence — an attempt taken over, then a chunk already recorded, then order and count', async (t) => {
  given(begun('d1'), begun('d1', 2)).when(chunk(0, 1)).rejects(t, 'reconciliation_busy', '1. a later attempt took over');
  given(begun('d1'), recorded(0)).when(chunk(0)).then(t, [], '2. recorded already');
  given(begun('d1')).when(chunk(1)).rejects(t, 'statement_job_failed', '3. out of order');
  given(begun('d1'), recorded(0)).when(chunk(1)).then(t, [recorded(1), completed], 'the last chunk completes the report');
  t.same(decider.reply(given(begun('d1'), recorded(0), recorded(1), completed).state, chunk(1), []).stored?.complete, true, 'the reply is the state after');
});

t.test('repairs: the same action again is nothing; the other action is refused; a recorded repair stands', async (t) => {
  const start: ReconciliationCommand = { type: 'begin_repair', data: { finding: 3, action: 'reverse', at: 5 } };
  const started: ReconciliationEvent = { type: 'repair_begun', data: { finding: 3, action: 'reverse', at: 5 } };
  given(started).when(start).then(t, []);
  given(started).when({ type: 'begin_repair', data: { finding: 3, action: 'supplement', at: 6 } }).rejects(t, 'repair_not_applicable');
  const repair = { finding: 3, action: 'reverse' as const, via: 'reversal of t1', at: 7 };
  given(started, { type: 'repair_recorded', data: { repair } }).when({ type: 'record_repair', data: { repair: { ...repair, via: 'other' } } }).then(t, []);
});
