import type { ReconciliationReport, ReportHeader } from './report.js';

export type RepairAction = 'supplement' | 'reverse';

export interface RepairRecord {
  readonly finding: number;
  readonly action: RepairAction;
  /** The command the repair went through (a transfer, a reversal or a bank order's result); null while it is under way. */
  readonly via: string | null;
  readonly at: number;
}

/**
 * What the reconciliation actor journals. A report is recorded as its header (report_begun),
 * then its items in chunks (report_chunk_recorded: `count` statements or findings, packed as
 * msgpack), then report_completed; the read model keeps the chunks for pages.
 */
export type ReconciliationEvent =
  | { readonly type: 'report_begun'; readonly data: { readonly digest: string; readonly attempt: number; readonly header: ReportHeader; readonly chunkItemsMax: number } }
  | { readonly type: 'report_chunk_recorded'; readonly data: { readonly attempt: number; readonly chunk: number; readonly count: number; readonly items: Uint8Array } }
  | { readonly type: 'report_completed'; readonly data: { readonly attempt: number } }
  /** Written before reports were chunked (the whole report in one event); still replayed. */
  | { readonly type: 'reconciliation_recorded'; readonly data: { readonly report: ReconciliationReport; readonly digest: string } }
  | { readonly type: 'repair_begun'; readonly data: { readonly finding: number; readonly action: RepairAction; readonly at: number } }
  | { readonly type: 'repair_recorded'; readonly data: { readonly repair: RepairRecord } };
