import type { ReportHeader } from '../../core/reconciliation/report.js';
import type { ItemRow, OrderRow } from './expected-entries.js';
import type { StatementErrorCode } from './statement-error.js';
import type { RequestProblem, StatementRequestFields } from './statement-request.js';

/**
 * The conversation between the node (main thread) and a statement worker, one job at a time:
 *
 *   main → body (the request's bytes, handed over)
 *                         worker → fields | body_refused   (the request without its statement)
 *   main → job | done     (done: the gateway refused the request, e.g. no id)
 *                         worker → digest        (sha256 of the statement and its options)
 *   main → go | done      (done: the report is recorded already, or the id holds another)
 *                         worker → query …        main → answer …   (the read model, in steps)
 *                         worker → report | refused
 *   main → chunk k …      worker → chunk k …     (the report's items, packed, one chunk at a time)
 *   main → done
 *
 * A worker that throws answers `failed`; one that dies, runs out of memory or out of time is
 * stopped by the node. Either way the job fails (statement_job_failed), and the node goes on.
 */
export interface StatementJob {
  /** The command id (the body's id or the Idempotency-Key header). */
  readonly id: string;
  readonly createdAt: number;
  readonly chunkItemsMax: number;
  readonly answerOrdersMax: number;
}

/** What a worker asks of the read model; each answer is one bounded step of the main thread. */
export type OrderQuery =
  /** Orders sent on [fromDay, toDay], after (day, order no), at most `limit`, with their items. */
  | { readonly name: 'dated'; readonly fromDay: string; readonly toDay: string; readonly after: OrderKey | null; readonly limit: number }
  /** Orders by number (at most answerOrdersMax numbers), with their items. */
  | { readonly name: 'numbered'; readonly orderNos: readonly string[] }
  | { readonly name: 'holding'; readonly account: string; readonly day: string; readonly currency: string };

export interface OrderKey {
  readonly day: string;
  readonly orderNo: string;
}

export interface OrderRows {
  readonly orders: OrderRow[];
  readonly items: ItemRow[];
}

export type QueryAnswer = OrderRows | { readonly holding: bigint | null };

export type ToWorker =
  | { readonly type: 'body'; readonly body: Uint8Array }
  | { readonly type: 'job'; readonly job: StatementJob }
  | { readonly type: 'go' }
  | { readonly type: 'answer'; readonly n: number; readonly value: QueryAnswer }
  | { readonly type: 'answer_failed'; readonly n: number; readonly message: string }
  | { readonly type: 'chunk'; readonly chunk: number }
  | { readonly type: 'done' };

export type FromWorker =
  | { readonly type: 'fields'; readonly fields: StatementRequestFields }
  | { readonly type: 'body_refused'; readonly problem: RequestProblem }
  | { readonly type: 'digest'; readonly digest: string }
  | { readonly type: 'query'; readonly n: number; readonly query: OrderQuery }
  | { readonly type: 'refused'; readonly code: StatementErrorCode; readonly message: string }
  | { readonly type: 'report'; readonly header: ReportHeader }
  | { readonly type: 'chunk'; readonly chunk: number; readonly count: number; readonly items: Uint8Array }
  | { readonly type: 'failed'; readonly message: string };
