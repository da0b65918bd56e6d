import type { ClaimTransferEvent } from '../../core/lending/loan/events.js';
import { claimTransferOrderNo, claimTransferTransferId, loanIdOfReservationKey } from '../../core/lending/loan/claim-transfer.js';
import { assertNever } from '../../core/rejection.js';
import type { BankOrderMessage } from '../bank/messages.js';
import type { Delivery } from '../runtime/behavior.js';
import { bankOrderActorId, poolShardActorId, systemAccounts, waitingBookActorId } from './ids.js';
import { interestPoolActorId, type InterestPoolMessage } from './interest-pool-messages.js';
import { tell, transferDelivery } from './ledger-deliveries.js';
import type { LoanMessage, PoolMessage, ReservationReply, TransferProgressMessage, WaitingBookMessage } from './messages.js';

/**
 * What each claim-transfer event obliges the node to send, at least once. The switch pays
 * the old holder from the pool account under an id derived from (loan, transfer number), so
 * a redelivery is a duplicate; the origin (the redemption) hears of it once that payment is
 * accepted. The depository side goes to the bank as a transfer batch (new holder → old).
 */
export function claimTransferDeliveriesOf(actorId: string, event: ClaimTransferEvent): Delivery[] {
  switch (event.type) {
    case 'transfer_reservation_requested': {
      const { transferNo, key, requestNo, source, amount, on, piecesMax, shard } = event.data;
      const reserve: PoolMessage = { type: 'reserve', data: { loanId: key, requestNo, source, amount, on, piecesMax } };
      const result = (value: unknown): Delivery => tell(actorId, { type: 'transfer_reservation_result', data: { transferNo, ...(value as ReservationReply) } } satisfies LoanMessage);
      return [{ to: poolShardActorId(shard), message: reserve, onRefused: null, onAccepted: result }];
    }
    case 'transfer_waiting':
      return [tell(waitingBookActorId, { type: 'register_loan', data: { loanId: event.data.loanId } } satisfies WaitingBookMessage)];
    case 'claim_transferred': {
      const { loanId, transferNo, key, payee, property, amount, settlements, items, deregister, origin, progress, finished } = event.data;
      const settle = settlements.map(({ shard, confirmed }) => tell(poolShardActorId(shard), { type: 'settle_transfer', data: { key, confirmed } } satisfies PoolMessage));
      const told = origin === null ? null : tell(origin, { type: 'transfers_progress', data: progress } satisfies TransferProgressMessage);
      // A principal claim pays the old holder's wallet; an interest claim their interest pool (flow 14), then its sub-ledger.
      const toPool = property === 'interest';
      const credit: InterestPoolMessage = {
        type: 'credit_interest',
        data: { investor: payee, flowId: `xfer.${loanId}.${transferNo}`, kind: 'interest_claim_pullback', amount, ref: finished.orderNo, source: null },
      };
      const pool: Delivery = { to: interestPoolActorId(payee), message: credit, onRefused: null, onAccepted: () => told };
      const pay = transferDelivery(
        claimTransferTransferId(loanId, transferNo),
        { debit: systemAccounts.pool, credit: toPool ? systemAccounts.interestPool : payee, amount, pending: false, timeoutMs: null, memo: `claim transfer ${key}: ${finished.orderNo} paid out` },
        { accepted: toPool ? pool : told, refused: () => told },
      );
      // Switches journaled before the bank came first carry their batch (sent with no origin, as then).
      const orderNo = claimTransferOrderNo(loanId, transferNo);
      const bank = items.length === 0 ? [] : [tell(bankOrderActorId(orderNo), { type: 'create_order', data: { orderNo, payload: { kind: 'transfer', items }, origin: null } } satisfies BankOrderMessage)];
      const leave = deregister ? [tell(waitingBookActorId, { type: 'deregister_loan', data: { loanId } } satisfies WaitingBookMessage)] : [];
      return [...settle, pay, ...bank, ...leave];
    }
    case 'claim_transfer_sent': {
      // The loan hears the result (origin): the switch waits for the bank's success.
      const { orderNo, items } = event.data;
      return [tell(bankOrderActorId(orderNo), { type: 'create_order', data: { orderNo, payload: { kind: 'transfer', items }, origin: actorId } } satisfies BankOrderMessage)];
    }
    case 'claim_transfer_failed':
    case 'claim_transfer_dropped': {
      // Failed or dropped, nothing moved: the reservations go back and the origin hears the claim is still there (or gone).
      const { key, shards, origin, progress, deregister } = event.data;
      const release = shards.map((shard) => tell(poolShardActorId(shard), { type: 'release_reservations', data: { loanId: key } } satisfies PoolMessage));
      const told = origin === null ? [] : [tell(origin, { type: 'transfers_progress', data: progress } satisfies TransferProgressMessage)];
      const leave = deregister ? [tell(waitingBookActorId, { type: 'deregister_loan', data: { loanId: loanIdOfReservationKey(key) } } satisfies WaitingBookMessage)] : [];
      return [...release, ...told, ...leave];
    }
    case 'claim_transfer_started':
    case 'transfer_reservation_answered':
    case 'transfer_rescan_requested':
    case 'transfer_switch_deferred':
      return [];
    default:
      return assertNever(event, 'claim transfer event');
  }
}
