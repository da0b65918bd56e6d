import { Packr } from 'msgpackr';
import { assert } from '../../core/rejection.js';
import type { ReconciliationReport, ReportedFinding, ReportedStatement } from '../../core/reconciliation/report.js';
import { chunkSpan, type ChunkLayout } from '../../core/reconciliation/chunk-layout.js';

export { chunkCount, chunkOfItem, chunkSpan, type ChunkLayout, type ReportPart } from '../../core/reconciliation/chunk-layout.js';

/**
 * The items of one chunk, cut from the whole report and packed (in the statement worker): the
 * node's thread then passes bytes along (to the journal, to the read model) and never builds
 * the objects of a chunk it only stores. msgpack, bigints kept, record shapes inline (a chunk
 * reads alone).
 */
export function packChunk(report: ReconciliationReport, layout: ChunkLayout, chunk: number): { count: number; items: Uint8Array } {
  const { part, from, count } = chunkSpan(layout, chunk);
  const items = part === 'statements' ? report.statements.slice(from, from + count) : report.findings.slice(from, from + count);
  // A copy of its own, so it can be handed to another thread.
  return { count, items: new Uint8Array(new Packr({ useBigIntExtension: true }).pack(items)) };
}

export function unpackChunk(items: Uint8Array, count: number): readonly ReportedStatement[] | readonly ReportedFinding[] {
  const unpacked = new Packr({ useBigIntExtension: true }).unpack(items) as readonly ReportedStatement[] | readonly ReportedFinding[];
  // Read back as written: the chunk holds as many items as its event said.
  assert(Array.isArray(unpacked) && unpacked.length === count, `a chunk holds its ${count} items`);
  return unpacked;
}
