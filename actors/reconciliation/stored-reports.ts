import { assert } from '../../core/rejection.js';
import type { ReportedFinding, ReportedStatement } from '../../core/reconciliation/report.js';
import type { JournalReader } from '../../persistence/journal.js';
import { reconciliationActorId, type ReconciliationEvent, type ReconciliationState, type StoredReport } from './reconciliation-behavior.js';
import { chunkCount, chunkOfItem, chunkSpan, type ReportPart } from './report-chunks.js';

type Items<P extends ReportPart> = P extends 'statements' ? ReportedStatement : ReportedFinding;

/** Chunks kept decoded, so that walking a report page by page reads each chunk once. */
const cachedChunksMax = 16;

/**
 * Reads recorded reports back, a page at a time: each page from the one or two chunk events
 * it spans in the reconciliation actor's journal (report-chunks.ts). Only complete reports.
 */
export class StoredReports {
  private readonly cache = new Map<string, readonly unknown[]>();

  constructor(private readonly journal: JournalReader) {}

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
      const held = this.chunk(id, stored, chunk) as readonly Items<P>[];
      const taken = held.slice(index - span.from, Math.min(span.count, from + limit - span.from));
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
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const seq = stored.firstChunkSeq + chunk;
    let items: readonly unknown[] | null = null;
    for (const { seq: at, event } of this.journal.readEvents(reconciliationActorId(id), seq)) {
      const recorded = event as ReconciliationEvent;
      // Read back where it was written: the chunk, of this attempt, at the seq the state says.
      assert(at === seq && recorded.type === 'report_chunk_recorded' && recorded.data.chunk === chunk && recorded.data.attempt === stored.attempt, `recon:${id} holds chunk ${chunk} at seq ${seq}`);
      items = recorded.data.items;
      break;
    }
    assert(items !== null && items.length === chunkSpan(stored.layout, chunk).count, `recon:${id} holds chunk ${chunk} whole`);
    this.cache.set(key, items);
    if (this.cache.size > cachedChunksMax) this.cache.delete(this.cache.keys().next().value as string);
    return items;
  }
}

function completeReport(state: ReconciliationState): StoredReport {
  const stored = state.stored;
  assert(stored !== null && stored.complete && stored.chunksRecorded === chunkCount(stored.layout), 'only a complete report is read');
  return stored;
}
