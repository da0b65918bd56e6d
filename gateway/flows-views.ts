import type { InterestPoolPage } from '../actors/lending/flows-api.js';
import type { InterestFlow } from '../core/lending/interest-pool/interest-pool.js';
import { formatAmount } from '../core/money/amount.js';

const money = (minor: bigint) => formatAmount(minor, 'CNY');

export function interestFlowView(flow: InterestFlow) {
  return {
    seq: flow.seq,
    id: flow.flowId,
    type: flow.code,
    kind: flow.kind,
    amount: money(flow.amount),
    balanceAfter: money(flow.balanceAfter),
    ref: flow.ref,
    on: flow.on,
    at: new Date(flow.at).toISOString(),
  };
}

/** The pool, and one page of its flows (`next`: the `after` of the next page, null at the end). */
export function interestPoolView(page: InterestPoolPage) {
  const { pool, afterSeq, limit } = page;
  const flows = pool.flows.slice(afterSeq, afterSeq + limit);
  const last = flows.at(-1);
  return {
    investor: page.investor,
    balance: money(pool.balance),
    reinvestOn: pool.reinvestOn,
    credited: money(pool.credited),
    debited: money(pool.debited),
    flowCount: pool.flows.length,
    flows: flows.map(interestFlowView),
    next: last !== undefined && last.seq < pool.flows.length ? last.seq : null,
  };
}
