import type { Nature } from '../../core/ledger/nature.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import { reinvestedSharesOf } from '../../core/lending/repayment/decide-repayment-result.js';
import { excessOf, heldAmountOf, reinvestGroupIdOf, repaymentLegIdOf, type ReinvestedShare, type Repayment } from '../../core/lending/repayment/repayment.js';
import type { BankOrderMessage } from '../bank/messages.js';
import type { Delivery } from '../runtime/behavior.js';
import { bankOrderActorId, planActorId, poolShardActorId, systemAccounts } from './ids.js';
import { interestPoolActorId, type InterestPoolMessage } from './interest-pool-messages.js';
import { postPendingDelivery, tell, transferDelivery, voidPendingDelivery } from './ledger-deliveries.js';
import type { LoanMessage, PlanMessage, PoolMessage } from './messages.js';

type RepaymentEvent = Extract<LoanEvent, { type: 'repayment_book_opened' | 'repayment_requested' | 'repayment_sent' | 'repayment_failed' | 'repayment_succeeded' }>;

/**
 * What each payment event obliges the node to send, at least once; every receiver dedupes
 * (the ledger by transfer id, the bank order by number, the shards by capital id, the
 * interest pools by flow id).
 *
 * The books of one payment `n` of loan L: the hold `sys.rp.L.n` (payer → sys.transit),
 * posted on the bank's success and voided on failure; then out of sys.transit: `.p` the
 * principal to sys.pool, `.i` principal claims' interest to sys.ipool, `.v` interest claims'
 * interest to sys.revenue — or, for a compensated period repaid, `.g` all to sys.guarantee;
 * and `.x` an overpayment's excess back to the payer's wallet (held with the rest, never sent
 * to the bank: it stays in the payer's account there).
 */
export function repaymentDeliveriesOf(actorId: string, event: RepaymentEvent, draw: readonly Nature[]): Delivery[] {
  const back = (message: LoanMessage) => tell(actorId, message);
  switch (event.type) {
    case 'repayment_requested': {
      const { repayment, loanId } = event.data;
      return [
        transferDelivery(
          repayment.holdTransferId,
          { debit: repayment.payerAccount, credit: systemAccounts.transit, amount: heldAmountOf(repayment), pending: true, timeoutMs: null, memo: `${repayment.kind} ${repayment.id} of loan ${loanId}`, draw },
          {
            accepted: back({ type: 'repayment_hold_placed', data: { id: repayment.id } }),
            refused: (code, detail) => back({ type: 'repayment_hold_refused', data: { id: repayment.id, code, detail } }),
          },
        ),
      ];
    }
    case 'repayment_sent': {
      const { orderNo, items } = event.data;
      const create: BankOrderMessage = { type: 'create_order', data: { orderNo, payload: { kind: 'repayment', items }, origin: actorId } };
      return [tell(bankOrderActorId(orderNo), create)];
    }
    case 'repayment_failed':
      return event.data.holdPlaced ? [voidPendingDelivery(event.data.repayment.payerAccount, event.data.repayment.holdTransferId)] : [];
    case 'repayment_succeeded': {
      const { loanId, repayment } = event.data;
      const reinvested = reinvestedSharesOf(event);
      const capitals = capitalDeliveriesOf(event, reinvested);
      const credits = reinvested.flatMap(({ interestFlow, orderNo }) => {
        if (interestFlow === null) return [];
        const kind = repayment.payer === 'guarantee' ? 'compensation' : 'repayment';
        const credit: InterestPoolMessage = { type: 'credit_interest', data: { investor: interestFlow.investor, flowId: interestFlow.flowId, kind, amount: interestFlow.amount, ref: orderNo, source: interestFlow.source } };
        return [tell(interestPoolActorId(interestFlow.investor), credit)];
      });
      return [postPendingDelivery(repayment.payerAccount, repayment.holdTransferId), ...legsOf(loanId, repayment), ...capitals, ...credits, planDelivery(loanId, repayment)];
    }
    case 'repayment_book_opened':
      return [];
  }
}

/**
 * The payment's reinvest capitals: one group to one shard (one message, one event there), or
 * — for an event written before groups — one message per capital to its own shard.
 */
function capitalDeliveriesOf(event: Extract<RepaymentEvent, { type: 'repayment_succeeded' }>, reinvested: readonly ReinvestedShare[]): Delivery[] {
  const capitals = reinvested.flatMap(({ capital }) => (capital === null ? [] : [capital]));
  if (event.data.capitalsGrouped !== true) return capitals.map(({ content, shard }) => tell(poolShardActorId(shard), { type: 'add_capital', data: { capital: content, shard } } satisfies PoolMessage));
  const first = capitals[0];
  if (first === undefined) return [];
  const group = reinvestGroupIdOf(event.data.loanId, event.data.repayment.no);
  const add: PoolMessage = { type: 'add_capitals', data: { group, capitals: capitals.map(({ content }) => content), shard: first.shard } };
  return [tell(poolShardActorId(first.shard), add)];
}

/**
 * The plan (plan:<loanId>, the schedule the borrower sees) records what the loan decided:
 * a period settled by the borrower or the guarantee (a compensated period repaid is the
 * borrower's), or an early repayment recomputing the open periods. Both are idempotent by
 * the payment's id; the loan's own book is the one the next payment is decided on.
 */
function planDelivery(loanId: string, repayment: Repayment): Delivery {
  const message: PlanMessage =
    repayment.kind === 'early'
      ? { type: 'reschedule_after_early_repayment', data: { repaymentId: repayment.id, on: repayment.requestedOn, amount: repayment.total } }
      : { type: 'settle_period', data: { period: repayment.period, by: repayment.payer, repaymentId: repayment.id, on: repayment.requestedOn, penalty: repayment.penalty } };
  return tell(planActorId(loanId), message);
}

/** The split's transfers out of sys.transit (sys.transit may run ahead of the hold's credit: it is a clearing account). */
function legsOf(loanId: string, repayment: Repayment): Delivery[] {
  const leg = (code: 'p' | 'i' | 'v' | 'g' | 'f', credit: string, amount: bigint): Delivery[] =>
    amount === 0n
      ? []
      : [
          transferDelivery(
            repaymentLegIdOf(loanId, repayment.no, code),
            { debit: systemAccounts.transit, credit, amount, pending: false, timeoutMs: null, memo: `split of ${repayment.id} of loan ${loanId}` },
            { accepted: null, refused: () => null },
          ),
        ];
  const excess = excessOf(repayment);
  const returned =
    excess === 0n
      ? []
      : [
          transferDelivery(
            repaymentLegIdOf(loanId, repayment.no, 'x'),
            { debit: systemAccounts.transit, credit: repayment.payerAccount, amount: excess, pending: false, timeoutMs: null, memo: `excess of ${repayment.id} of loan ${loanId} returned` },
            { accepted: null, refused: () => null },
          ),
        ];
  const split = repayment.split;
  if (split === null) return [...leg('g', systemAccounts.guarantee, repayment.total), ...returned];
  const guaranteeFee = leg('f', systemAccounts.guarantee, repayment.guaranteeFee ?? 0n);
  return [...leg('p', systemAccounts.pool, split.toPool), ...leg('i', systemAccounts.interestPool, split.toInterestPools), ...leg('v', systemAccounts.revenue, split.toRevenue), ...guaranteeFee, ...returned];
}
