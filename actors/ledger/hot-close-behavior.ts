import { hotCloseDecider } from '../../core/ledger/decide-hot-close.js';
import { ledgerLimits } from '../../core/ledger/limits.js';
import {
  hotCloseViewOf,
  isHotCloseSettled,
  type CloseStep,
  type HotCloseCommand,
  type HotCloseEvent,
  type HotCloseState,
  type PartStep,
  type SealedPartReport,
} from '../../core/ledger/hot-close.js';
import { assertNever } from '../../core/rejection.js';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { withSettleWaits } from '../runtime/settle-waits.js';
import { withFields } from '../../core/with-fields.js';

export const hotClosePrefix = 'hclose';

/** The longest a close's asker waits for it to end (closed or refused) before hearing it is under way. */
export const hotCloseWaitMs = 2_000;

/** `hclose:<accountId>`: the process that closes one hot account (core/ledger/hot-close.ts). */
export function hotCloseActorId(accountId: string): string {
  return `${hotClosePrefix}:${accountId}`;
}

/** What the process takes: a close from the ledger service, the parts' answers from its own outbox. */
export type HotCloseMessage =
  | { readonly type: 'close_account'; readonly data: { readonly accountId: string; readonly subAccounts: number } }
  | { readonly type: 'part_reported'; readonly data: { readonly closeNo: number; readonly round: number; readonly report: SealedPartReport } }
  | { readonly type: 'part_done'; readonly data: { readonly closeNo: number; readonly round: number; readonly part: number; readonly step: PartStep; readonly closedAt: number | null } }
  | { readonly type: 'part_refused'; readonly data: { readonly closeNo: number; readonly round: number; readonly part: number; readonly code: string; readonly detail: string } }
  | { readonly type: 'recheck' }
  | { readonly type: 'get_close' };

export const hotCloseBehavior: ActorBehavior<HotCloseState, HotCloseEvent> = withSettleWaits(
  deciderBehavior<HotCloseState, HotCloseMessage, HotCloseCommand, HotCloseEvent, never, unknown>({
    type: hotClosePrefix,
    decider: hotCloseDecider,
    isQuery: (message) => message.type === 'get_close',
    query: (state) => ({ ok: true, value: hotCloseViewOf(state) }),
    commandOf,
    deliveriesOf: (actorId, event) => deliveriesOf(actorId, event),
    wakeAt: (state) => (state.phase === 'sealing' ? state.recheckAt : null),
    wakeMessage: (): HotCloseMessage => ({ type: 'recheck' }),
  }),
  { answersNow: isHotCloseSettled, answerQuery: { type: 'get_close' } satisfies HotCloseMessage, holdMs: hotCloseWaitMs },
);

function commandOf(message: HotCloseMessage, { at }: { at: number }): HotCloseCommand {
  switch (message.type) {
    case 'close_account':
      return { type: 'close_account', data: withFields(message.data, { at }) };
    case 'part_reported':
      return { type: 'part_reported', data: withFields(message.data, { at, recheckMs: ledgerLimits.hotCloseRecheckMs }) };
    case 'part_done':
      return { type: 'part_done', data: message.data };
    case 'part_refused':
      return { type: 'part_refused', data: message.data };
    case 'recheck':
      return { type: 'recheck', data: { at } };
    case 'get_close':
      throw new Error('get_close is a query');
    default:
      return assertNever(message, 'hot close message');
  }
}

/**
 * A step asked of a part, through the outbox (at least once; the part dedupes), its answer
 * told back to the process, which journals it before the next step.
 */
function stepDelivery(processId: string, step: CloseStep, part: number, message: AccountMessage, answered: (value: unknown) => HotCloseMessage): Delivery {
  const tell = (answer: HotCloseMessage): Delivery => ({ to: processId, message: answer, onRefused: null });
  const { closeNo, round } = step;
  return {
    to: accountActorId(step.accountId, part),
    message,
    onAccepted: (value) => tell(answered(value)),
    onRefused: (code, detail) => tell({ type: 'part_refused', data: { closeNo, round, part, code, detail } }),
  };
}

function seals(processId: string, step: CloseStep, subAccounts: number): Delivery[] {
  const { closeNo, round } = step;
  return Array.from({ length: subAccounts }, (_, part) =>
    stepDelivery(processId, step, part, { type: 'seal_account', data: { closeNo } }, (value) => ({ type: 'part_reported', data: { closeNo, round, report: value as SealedPartReport } })),
  );
}

function partSteps(processId: string, step: CloseStep, parts: readonly number[], message: AccountMessage, done: PartStep): Delivery[] {
  const { closeNo, round } = step;
  const closedAtOf = (value: unknown) => (done === 'closed' ? (value as { closedAt: number }).closedAt : null);
  return parts.map((part) => stepDelivery(processId, step, part, message, (value) => ({ type: 'part_done', data: { closeNo, round, part, step: done, closedAt: closedAtOf(value) } })));
}

function deliveriesOf(processId: string, event: HotCloseEvent): Delivery[] {
  switch (event.type) {
    case 'close_started':
    case 'round_started':
      return seals(processId, event.data, event.data.subAccounts);
    case 'settlement_started':
      return partSteps(processId, event.data, event.data.parts, { type: 'settle_sealed', data: { closeNo: event.data.closeNo, round: event.data.round, toSubIndex: 0 } }, 'settled');
    case 'closing_started':
      return partSteps(processId, event.data, event.data.parts, { type: 'close_account' }, 'closed');
    case 'close_refused': {
      const parts = Array.from({ length: event.data.subAccounts }, (_, part) => part);
      return partSteps(processId, event.data, parts, { type: 'unseal_account', data: { closeNo: event.data.closeNo } }, 'unsealed');
    }
    case 'part_sealed':
    case 'moves_awaited':
    case 'part_finished':
    case 'close_completed':
    case 'close_ended':
      return [];
    default:
      return assertNever(event, 'hot close event');
  }
}
