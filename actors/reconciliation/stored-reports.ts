import { assert } from '../../core/rejection.js';
import type { ReportedFinding, ReportedStatement } from '../../core/reconciliation/report.js';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import type { ReconciliationState, StoredReport } from './reconciliation-behavior.js';
import { chunkCount, chunkOfItem, chunkSpan, unpackChunk, type ReportPart } from './report-chunks.js';

type Items<P extends ReportPart> = P extends 'statements' ? ReportedStatement : ReportedFinding;

/** Chunks kept unpacked, so that walking a report page by page unpacks each chunk once. */
const unpackedChunksMax = 16;

/**
 * Reads recorded reports back a page at a time, each page from the one or two chunks it
 * spans (report-chunks.ts) as the read model keeps them. Only complete reports.
 */
export class StoredReports {
  private readonly unpacked = new Map<string, readonly unknown[]>();

  constructor(private readonly queries: ReadModelQueries) {}

  /** Items [from, from + limit) of one list; `next` is where the following page starts (null: none). */
  page<P extends ReportPart>(id: string, state: ReconciliationState, part: P, from: number, limit: number): { items: Items<P>[]; next: number | null } {
    if (state.legacy !== null) {
      const all = (part === 'statements' ? state.legacy.statements : state.legacy.findings) as readonly Items<P>[];
      return { items: all.slice(from, from + limit), next: from + limit < all.length ? from + limit : null };
    }
    const stored = completeReport(state);
    const count = part === 'statements' ? stored.header.statementCount : stored.header.findingCount;
    const items: Items<P>[] = [];
    for (let index = from; index < Math.min(count, from + limit); ) {
      const chunk = chunkOfItem(stored.layout, part, index);
      const span = chunkSpan(stored.layout, chunk);
      const taken = (this.chunk(id, stored, chunk) as readonly Items<P>[]).slice(index - span.from, Math.min(span.count, from + limit - span.from));
      assert(taken.length > 0, `chunk ${chunk} holds item ${index}`);
      items.push(...taken);
      index += taken.length;
    }
    return { items, next: from + limit < count ? from + limit : null };
  }

  /** One item, or undefined beyond the list. */
  item<P extends ReportPart>(id: string, state: ReconciliationState, part: P, index: number): Items<P> | undefined {
    return this.page(id, state, part, index, 1).items[0];
  }

  private chunk(id: string, stored: StoredReport, chunk: number): readonly unknown[] {
    const key = `${id}/${stored.attempt}/${chunk}`;
    const cached = this.unpacked.get(key);
    if (cached !== undefined) return cached;
    const row = this.queries.reconciliationChunk(id, stored.attempt, chunk);
    // Read back where it was written: the actor says the attempt is complete, so each of its chunks is there, whole.
    assert(row !== null && row.count === chunkSpan(stored.layout, chunk).count, `the read model holds chunk ${chunk} of reconciliation ${id} (attempt ${stored.attempt})`);
    const items = unpackChunk(row.items, row.count);
    this.unpacked.set(key, items);
    if (this.unpacked.size > unpackedChunksMax) this.unpacked.delete(this.unpacked.keys().next().value as string);
    return items;
  }
}

function completeReport(state: ReconciliationState): StoredReport {
  const stored = state.stored;
  assert(stored !== null && stored.complete && stored.chunksRecorded === chunkCount(stored.layout), 'only a complete report is read');
  return stored;
}
