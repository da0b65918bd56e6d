import { assert } from '../rejection.js';

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

