import type { Nature } from '../../core/ledger/nature.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import { assertNever } from '../../core/rejection.js';
import type { BankOrderMessage } from '../bank/messages.js';
import type { Delivery } from '../runtime/behavior.js';
import { claimTransferDeliveriesOf } from './claim-transfer-deliveries.js';
import { repaymentDeliveriesOf } from './repayment-deliveries.js';
import { bankOrderActorId, disbursementTransferId, managementFeeTransferId, planActorId, poolShardActorId, systemAccounts, waitingBookActorId } from './ids.js';
import { postPendingDelivery, tell, transferDelivery, voidPendingDelivery } from './ledger-deliveries.js';
import type { LoanMessage, PlanMessage, PlanSummary, PoolMessage, ReservationReply, WaitingBookMessage } from './messages.js';

/** What each loan event obliges the node to send, at least once (receivers dedupe). */
/** `repayDraw`: the natures a borrower's payment (a repayment, the management fee) may draw from the wallet. */
export function loanDeliveriesOf(actorId: string, event: LoanEvent, repayDraw: readonly Nature[]): Delivery[] {
  const back = (message: LoanMessage) => tell(actorId, message);
  switch (event.type) {
    case 'loan_published': {
      const register: WaitingBookMessage = { type: 'register_loan', data: { loanId: event.data.loan.id } };
      return [{ to: waitingBookActorId, message: register, onRefused: null, onAccepted: () => back({ type: 'book_registered' }) }];
    }
    case 'reservation_requested': {
      const { shard, ...request } = event.data;
      const loanId = actorId.slice('loan:'.length);
      const reserve: PoolMessage = {
        type: 'reserve',
        data: { loanId, requestNo: request.requestNo, source: request.source, amount: request.amount, on: request.on, piecesMax: request.piecesMax },
      };
      return [{ to: poolShardActorId(shard), message: reserve, onRefused: null, onAccepted: (value) => back({ type: 'reservation_result', data: value as ReservationReply }) }];
    }
    case 'loan_funded':
      return [tell(waitingBookActorId, { type: 'deregister_loan', data: { loanId: event.data.loanId } } satisfies WaitingBookMessage)];
    case 'loan_approved': {
      const { loan, approval } = event.data;
      const hold = transferDelivery(
        disbursementTransferId(loan.id),
        { debit: systemAccounts.pool, credit: loan.borrower, amount: loan.amount, pending: true, timeoutMs: null, memo: `disbursement of loan ${loan.id}` },
        {
          accepted: back({ type: 'disbursement_hold_placed' }),
          refused: (code, detail) => back({ type: 'disbursement_hold_refused', data: { code, detail } }),
        },
      );
      const generate: PlanMessage = { type: 'generate_plan', data: { loan, startDate: approval.startDate } };
      const plan: Delivery = { to: planActorId(loan.id), message: generate, onRefused: null, onAccepted: (value) => back({ type: 'plan_recorded', data: value as PlanSummary }) };
      return [hold, plan];
    }
    case 'disbursement_requested': {
      const { orderNo, items } = event.data;
      const create: BankOrderMessage = { type: 'create_order', data: { orderNo, payload: { kind: 'disbursement', items }, origin: actorId } };
      return [tell(bankOrderActorId(orderNo), create)];
    }
    case 'disbursement_succeeded': {
      const { loanId, shards, borrower, managementFee } = event.data;
      const confirm = (shard: number) => tell(poolShardActorId(shard), { type: 'confirm_reservations', data: { loanId } } satisfies PoolMessage);
      const fee = borrower === undefined || managementFee === undefined ? [] : [managementFeeDelivery(loanId, borrower, managementFee, repayDraw)];
      return [postPendingDelivery(systemAccounts.pool, disbursementTransferId(loanId)), ...fee, ...shards.map(confirm)];
    }
    case 'disbursement_failed': {
      const { loanId, shards, holdPlaced } = event.data;
      const release = (shard: number) => tell(poolShardActorId(shard), { type: 'release_reservations', data: { loanId } } satisfies PoolMessage);
      return [...(holdPlaced ? [voidPendingDelivery(systemAccounts.pool, disbursementTransferId(loanId))] : []), ...shards.map(release)];
    }
    case 'loan_registered':
    case 'reservation_answered':
    case 'rescan_requested':
    case 'matching_paused':
    case 'plan_attached':
      return [];
    case 'claim_transfer_started':
    case 'transfer_reservation_requested':
    case 'transfer_reservation_answered':
    case 'transfer_rescan_requested':
    case 'transfer_waiting':
    case 'transfer_switch_deferred':
    case 'claim_transfer_sent':
    case 'claim_transfer_failed':
    case 'claim_transferred':
    case 'claim_transfer_dropped':
      return claimTransferDeliveriesOf(actorId, event);
    case 'repayment_book_opened':
    case 'repayment_requested':
    case 'repayment_sent':
    case 'repayment_failed':
    case 'repayment_succeeded':
      return repaymentDeliveriesOf(actorId, event, repayDraw);
    default:
      return assertNever(event, 'loan event');
  }
}

/**
 * The borrower pays the management fee out of what was paid out (the bank paid it the net,
 * the fee to revenue). The payout's credit comes from sys.pool's outbox once the hold is
 * posted, most often after this debit reaches the wallet: the fee waits for its funds.
 */
function managementFeeDelivery(loanId: string, borrower: string, managementFee: bigint, repayDraw: readonly Nature[]): Delivery {
  const content = { debit: borrower, credit: systemAccounts.revenue, amount: managementFee, pending: false, timeoutMs: null, memo: `management fee of loan ${loanId}`, draw: repayDraw };
  return transferDelivery(managementFeeTransferId(loanId), content, { accepted: null, refused: () => null }, { waitsForFunds: true });
}
