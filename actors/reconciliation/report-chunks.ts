import { Packr } from 'msgpackr';
import { assert } from '../../core/rejection.js';
import type { ReconciliationReport, ReportedFinding, ReportedStatement } from '../../core/reconciliation/report.js';

/** A report's two lists, each stored and read in pages. */
export type ReportPart = 'statements' | 'findings';

/**
 * How a report is journaled: in chunks of at most `chunkItemsMax` items, its statements'
 * chunks first, then its findings'. Each chunk is one event of the reconciliation actor, so
 * no event grows with the statement; the read model keeps each chunk as one row, and a page
 * is read from the one or two chunks it spans.
 */
export interface ChunkLayout {
  readonly chunkItemsMax: number;
  readonly statementCount: number;
  readonly findingCount: number;
}

const chunksFor = (count: number, chunkItemsMax: number) => Math.ceil(count / chunkItemsMax);

export function chunkCount(layout: ChunkLayout): number {
  return chunksFor(layout.statementCount, layout.chunkItemsMax) + chunksFor(layout.findingCount, layout.chunkItemsMax);
}

/** Which part chunk `chunk` holds, from which item, and how many. */
export function chunkSpan(layout: ChunkLayout, chunk: number): { readonly part: ReportPart; readonly from: number; readonly count: number } {
  assert(Number.isSafeInteger(chunk) && chunk >= 0 && chunk < chunkCount(layout), `chunk ${chunk} is in the report`);
  const statementChunks = chunksFor(layout.statementCount, layout.chunkItemsMax);
  const [part, index, total] = chunk < statementChunks ? (['statements', chunk, layout.statementCount] as const) : (['findings', chunk - statementChunks, layout.findingCount] as const);
  const from = index * layout.chunkItemsMax;
  return { part, from, count: Math.min(layout.chunkItemsMax, total - from) };
}

/** The chunk holding item `index` of a part. */
export function chunkOfItem(layout: ChunkLayout, part: ReportPart, index: number): number {
  const within = Math.floor(index / layout.chunkItemsMax);
  return part === 'statements' ? within : chunksFor(layout.statementCount, layout.chunkItemsMax) + within;
}

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
