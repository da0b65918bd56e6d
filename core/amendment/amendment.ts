import type { Decider } from '../decider.js';
import { assertNever, reject, type Rejection } from '../rejection.js';

/**
 * An order amendment (改单): a posted transfer is never edited. It is reversed, and the
 * corrected transfer is posted under the amendment's own id, linked to it, with the reason
 * and who asked — so every figure derived from postings (statements, cashflow, the close of
 * a day still open) follows. One amendment per transfer (a transfer is reversed once); one
 * that failed may be asked again under another id.
 */
export interface AmendmentRequest {
  /** The amendment's id, which is also the corrected transfer's. */
  readonly id: string;
  readonly original: string;
  readonly corrected: { readonly debit: string; readonly credit: string; readonly amount: string; readonly memo: string | null };
  readonly reason: string;
  /** Who asked (an ops key's fingerprint). */
  readonly by: string;
}

export type AmendmentStatus = 'amending' | 'completed' | 'failed';

export interface AmendmentState {
  readonly amendment: (AmendmentRequest & { readonly requestedAt: number }) | null;
  readonly status: AmendmentStatus | null;
  readonly reversalId: string | null;
  readonly failure: { readonly code: string; readonly detail: string } | null;
}

export const initialAmendmentState: AmendmentState = { amendment: null, status: null, reversalId: null, failure: null };

export type AmendmentCommand =
  | { readonly type: 'amend'; readonly data: { readonly request: AmendmentRequest; readonly originalStatus: string; readonly at: number } }
  | { readonly type: 'settle'; readonly data: { readonly reversalId: string | null; readonly failure: { readonly code: string; readonly detail: string } | null } };

export type AmendmentEvent =
  | { readonly type: 'amendment_requested'; readonly data: { readonly amendment: AmendmentRequest & { readonly requestedAt: number } } }
  | { readonly type: 'amendment_completed'; readonly data: { readonly reversalId: string } }
  | { readonly type: 'amendment_failed'; readonly data: { readonly code: string; readonly detail: string } };

export const amendmentRejectionCodes = ['amendment_exists', 'transfer_not_amendable', 'amendment_not_found'] as const;
export type AmendmentRejectionCode = (typeof amendmentRejectionCodes)[number];

type Decision = readonly AmendmentEvent[] | Rejection<AmendmentRejectionCode>;

/**
 * amend, checked in this order:
 * 1. the same amendment again (same id and content) → duplicate, answered as it stands
 * 2. amendment_exists — the transfer has an amendment under another id (or other content) that did not fail
 * 3. transfer_not_amendable — only a posted transfer is amended (a pending one is posted or voided; a voided or returned one moved nothing)
 */
function decideAmend(state: AmendmentState, data: Extract<AmendmentCommand, { type: 'amend' }>['data']): Decision {
  const current = state.amendment;
  if (current !== null && sameRequest(current, data.request)) return [];
  if (current !== null && state.status !== 'failed') return reject('amendment_exists', `transfer ${data.request.original} is amended by ${current.id}`);
  if (data.originalStatus !== 'posted') return reject('transfer_not_amendable', `transfer ${data.request.original} is ${data.originalStatus}: only a posted transfer is amended`);
  return [{ type: 'amendment_requested', data: { amendment: { ...data.request, requestedAt: data.at } } }];
}

function sameRequest(a: AmendmentRequest, b: AmendmentRequest): boolean {
  const [x, y] = [a.corrected, b.corrected];
  return a.id === b.id && a.reason === b.reason && x.debit === y.debit && x.credit === y.credit && x.amount === y.amount && x.memo === y.memo;
}

export function decideAmendment(state: AmendmentState, command: AmendmentCommand): Decision {
  switch (command.type) {
    case 'amend':
      return decideAmend(state, command.data);
    case 'settle': {
      if (state.status !== 'amending') return [];
      const { failure, reversalId } = command.data;
      if (failure !== null) return [{ type: 'amendment_failed', data: failure }];
      return reversalId === null ? [] : [{ type: 'amendment_completed', data: { reversalId } }];
    }
    default:
      return assertNever(command, 'amendment command');
  }
}

export function evolveAmendment(state: AmendmentState, event: AmendmentEvent): AmendmentState {
  switch (event.type) {
    case 'amendment_requested':
      return { amendment: event.data.amendment, status: 'amending', reversalId: null, failure: null };
    case 'amendment_completed':
      return { ...state, status: 'completed', reversalId: event.data.reversalId };
    case 'amendment_failed':
      return { ...state, status: 'failed', failure: event.data };
    default:
      return assertNever(event, 'amendment event');
  }
}

export const amendmentDecider: Decider<AmendmentState, AmendmentCommand, AmendmentEvent, AmendmentRejectionCode, AmendmentState> = {
  initialState: initialAmendmentState,
  decide: decideAmendment,
  evolve: evolveAmendment,
  reply: (after) => after,
};
