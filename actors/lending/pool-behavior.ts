import { poolDecider, type PoolReply } from '../../core/lending/pool/pool-decider.js';
import type { LendingRejectionCode } from '../../core/lending/rejections.js';
import { assertPoolShard } from '../../core/lending/pool/pool-invariants.js';
import {
  initialPoolShardState,
  withPoolIndexes,
  type PoolCommand,
  type PoolEvent,
  type PoolShardState,
  type PullBackAnswer,
  type ReservationOutcome,
  type ReservationPiece,
} from '../../core/lending/pool/pool.js';
import { assertNever } from '../../core/rejection.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { ActorBehavior, ActorReply, Delivery, IndexLookup } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { capitalGroupShardKey, capitalShardKey, pullBackAnswerKey, pullBackTransferId, redemptionActorId, reservationOutcomeKey, reservationRequestKey, systemAccounts, waitingBookActorId } from './ids.js';
import { interestPoolActorId, type InterestPoolMessage } from './interest-pool-messages.js';
import { tell, transferDelivery } from './ledger-deliveries.js';
import type { PoolMessage, RedemptionMessage, WaitingBookMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * One pool shard = one actor (`pool:<n>`): the single authority over its capitals. Every
 * reservation, confirmation and release of them is decided here, one message after the
 * other, so concurrent loans can never reserve more than a capital holds. Answers to
 * reservation requests are kept in the `reservations` index: a redelivered request gets its
 * recorded answer and reserves nothing more.
 */
export const poolBehavior: ActorBehavior<PoolShardState, PoolEvent> = deciderBehavior<PoolShardState, PoolMessage, PoolCommand, PoolEvent, LendingRejectionCode, PoolReply>({
  type: 'pool',
  decider: poolDecider,
  initialStateOf: (actorId) => initialPoolShardState(Number(actorId.slice('pool:'.length))),
  isQuery: (message) => message.type === 'get_capital' || message.type === 'get_shard',
  query(state, message): ActorReply {
    if (message.type === 'get_capital') {
      const capital = state.capitals.get(message.data.capitalId);
      return capital === undefined ? { ok: false, code: 'capital_not_found', detail: `no capital ${message.data.capitalId}` } : { ok: true, value: capital };
    }
    return { ok: true, value: state };
  },
  commandOf: (message, { state, lookup }) => commandOf(state, message, lookup),
  indexWritesOf,
  deliveriesOf: (_actorId, event) => deliveriesOf(event),
  // The indexes are rebuilt from the capitals on waking: a snapshot's (or an older one's lack of them) is never trusted.
  recovered: withPoolIndexes,
  // A shard's snapshot writes every capital: taken once as many events came, so its cost per event stays flat.
  snapshotWeight: (state) => state.capitals.size + state.reservations.size,
  assertInvariants(state, depth) {
    // Each changed capital is checked as evolve writes it; the whole shard after replay and snapshot load.
    if (depth === 'deep') assertPoolShard(state);
  },
});

function commandOf(state: PoolShardState, message: PoolMessage, lookup: IndexLookup): PoolCommand {
  switch (message.type) {
    case 'add_capital': {
      const { capital, shard } = message.data;
      // Only a capital not live is looked up: a fully matched one left the state (see PoolShardState).
      const addedBefore = !state.capitals.has(capital.id) && lookup.get('reservations', capitalShardKey(capital.investmentId, capital.id)) === state.shard;
      return { type: 'add_capital', data: { capital, shard, addedBefore } };
    }
    case 'add_capitals': {
      const addedBefore = lookup.get('reservations', capitalGroupShardKey(message.data.group)) === state.shard;
      return { type: 'add_capitals', data: withFields(message.data, { addedBefore }) };
    }
    case 'reserve': {
      const recorded = (lookup.get('reservations', reservationRequestKey(message.data.loanId, message.data.requestNo)) as ReservationPiece[] | undefined) ?? null;
      return { type: 'reserve', data: withFields(message.data, { recorded }) };
    }
    case 'confirm_reservations':
    case 'release_reservations': {
      const outcome = (lookup.get('reservations', reservationOutcomeKey(message.data.loanId, state.shard)) as ReservationOutcome | undefined) ?? null;
      return { type: message.type, data: { loanId: message.data.loanId, outcome } };
    }
    case 'settle_transfer': {
      const outcome = (lookup.get('reservations', reservationOutcomeKey(message.data.key, state.shard)) as ReservationOutcome | undefined) ?? null;
      return { type: 'settle_transfer', data: withFields(message.data, { outcome }) };
    }
    case 'pull_back_investment': {
      const { investmentId, redemptionId, round } = message.data;
      const recorded = (lookup.get('reservations', pullBackAnswerKey(investmentId, redemptionId, round, state.shard)) as PullBackAnswer | undefined) ?? null;
      return { type: 'pull_back_investment', data: withFields(message.data, { recorded }) };
    }
    case 'get_capital':
    case 'get_shard':
      throw new Error(`${message.type} is a query`);
    default:
      return assertNever(message, 'pool message');
  }
}

function indexWritesOf(_actorId: string, event: PoolEvent, after: PoolShardState): IndexWrite[] {
  switch (event.type) {
    case 'reservation_answered':
      return [{ index: 'reservations', key: reservationRequestKey(event.data.loanId, event.data.requestNo), value: event.data.pieces }];
    case 'reservations_confirmed':
      return [{ index: 'reservations', key: reservationOutcomeKey(event.data.loanId, after.shard), value: 'confirmed' satisfies ReservationOutcome }];
    case 'reservations_released':
      return [{ index: 'reservations', key: reservationOutcomeKey(event.data.loanId, after.shard), value: 'released' satisfies ReservationOutcome }];
    case 'reservations_split':
      return [{ index: 'reservations', key: reservationOutcomeKey(event.data.loanId, after.shard), value: 'confirmed' satisfies ReservationOutcome }];
    case 'capital_pulled_back': {
      const { investmentId, redemptionId, answer } = event.data;
      return [{ index: 'reservations', key: pullBackAnswerKey(investmentId, redemptionId, answer.round, after.shard), value: answer }];
    }
    case 'capital_added':
      return [{ index: 'reservations', key: capitalShardKey(event.data.capital.investmentId, event.data.capital.id), value: after.shard }];
    case 'capitals_added':
      return [{ index: 'reservations', key: capitalGroupShardKey(event.data.group), value: after.shard }];
    default:
      return assertNever(event, 'pool event');
  }
}

/**
 * The pulled-back principal to the wallet, tied to the shard's event (a redelivery is a
 * duplicate transfer id). It may wait in the relay for sys.pool's money (see transferDelivery);
 * the redemption is told once it is booked (sys.pool debited; the credit follows from its
 * outbox) — it counts the money back only then, as it does a claim transfer's payout — or
 * refused for good (recorded there; the money stays in sys.pool).
 */
function pullBackDelivery({ answer, investor, investmentId, pullBackNo }: Extract<PoolEvent, { type: 'capital_pulled_back' }>['data']): Delivery {
  const transferId = pullBackTransferId(answer.shard, pullBackNo);
  const content = { debit: systemAccounts.pool, credit: investor, amount: answer.pulledBack, pending: false, timeoutMs: null, memo: `redemption of ${investmentId}: capital pulled back` };
  if (answer.tellsBooking !== true) return transferDelivery(transferId, content, { accepted: null, refused: () => null });
  const tellRedemption = (message: RedemptionMessage) => tell(redemptionActorId(investmentId), message);
  return transferDelivery(transferId, content, {
    accepted: tellRedemption({ type: 'pull_back_booked', data: { transferId, amount: answer.pulledBack } }),
    refused: (code, detail) => tellRedemption({ type: 'pull_back_refused', data: { transferId, code, detail } }),
  });
}

/**
 * The waiting book told that capital came free. Coalesced: one word for the book however
 * many capitals came free together — every loan it tells tries to match again, and it was
 * told once per capital (a repayment's 20).
 */
const announceToBook: Delivery = { to: waitingBookActorId, message: { type: 'announce_capital' } satisfies WaitingBookMessage, onRefused: null, coalesceKey: 'announce_capital' };

/** Capital that came free (new, or released) is announced to the waiting loans. */
function deliveriesOf(event: PoolEvent): Delivery[] {
  switch (event.type) {
    case 'capital_added':
    case 'capitals_added':
    case 'reservations_released':
      return [announceToBook];
    case 'reservations_split':
      return event.data.released.length > 0 ? [announceToBook] : [];
    case 'capital_pulled_back': {
      const { answer, investor, investmentId, pullBackNo } = event.data;
      const deliveries: Delivery[] = [];
      // The money goes back tied to this event: a redelivery is a duplicate transfer id.
      if (answer.pulledBack > 0n) deliveries.push(pullBackDelivery(event.data));
      if (answer.interestPulledBack > 0n) {
        const amount = answer.interestPulledBack;
        const flowId = `pb.${answer.shard}.${pullBackNo}`;
        const credit: InterestPoolMessage = { type: 'credit_interest', data: { investor, flowId, kind: 'interest_capital_pullback', amount, ref: investmentId, source: null } };
        // The redemption hears of it once the interest pool holds it: it reads the pool only after.
        const confirmed = tell(redemptionActorId(investmentId), { type: 'interest_pull_back_credited', data: { flowId, amount } } satisfies RedemptionMessage);
        const toPool: Delivery = { to: interestPoolActorId(investor), message: credit, onRefused: null, onAccepted: () => confirmed };
        const content = { debit: systemAccounts.pool, credit: systemAccounts.interestPool, amount, pending: false, timeoutMs: null, memo: `redemption of ${investmentId}: interest capital pulled back` };
        deliveries.push(transferDelivery(`${pullBackTransferId(answer.shard, pullBackNo)}.i`, content, { accepted: toPool, refused: () => null }));
      }
      return deliveries;
    }
    case 'reservation_answered':
    case 'reservations_confirmed':
      return [];
    default:
      return assertNever(event, 'pool event');
  }
}
