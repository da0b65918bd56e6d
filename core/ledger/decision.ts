import type { Rejection } from '../rejection.js';
import type { AccountEvent } from './events.js';
import type { LedgerRejectionCode } from './rejections.js';

/** A decision: the events to journal (none for a duplicate), or a rejection. */
export type AccountDecision = readonly AccountEvent[] | Rejection<LedgerRejectionCode>;

/** Nothing to journal: the command repeats one already applied; the reply restates its result. */
export const duplicate: readonly AccountEvent[] = Object.freeze([]);
