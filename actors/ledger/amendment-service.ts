import type { AmendmentState } from '../../core/amendment/amendment.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import { formatAmount, parseAmount } from '../../core/money/amount.js';
import type { Currency } from '../../core/money/currency.js';
import { isSystemId } from '../lending/ids.js';
import type { ActorReply } from '../runtime/behavior.js';
import { currentCause } from '../runtime/cause.js';
import type { Bus } from '../runtime/relay.js';
import { amendmentActorId, type AmendmentMessage } from './amendment-behavior.js';
import type { LedgerApi } from './ledger-api.js';

/** What an operator asks: the corrected transfer's id and what differs from the original. */
export interface AmendInput {
  readonly id: string;
  readonly debit?: string;
  readonly credit?: string;
  readonly amount?: string;
  readonly memo?: string;
  readonly reason: string;
}

export interface AmendmentApi {
  amend(originalId: string, input: AmendInput): Promise<ActorReply<AmendmentState>>;
  getAmendment(originalId: string): Promise<ActorReply<AmendmentState>>;
}

/**
 * Order amendments (改单): records the amendment with its reason and who asked, reverses
 * the original, posts the corrected transfer under the amendment's id, and records how it
 * ended. Every step is idempotent by its id (the reversal is `<original>~reversal`), so an
 * amendment whose answer was lost (a crash, a timeout) is asked again with the same id and
 * goes on from where it stood; nothing happens twice.
 */
export class AmendmentService implements AmendmentApi {
  constructor(
    private readonly bus: Bus,
    private readonly ledger: LedgerApi,
  ) {}

  async amend(originalId: string, input: AmendInput): Promise<ActorReply<AmendmentState>> {
    const found = await this.ledger.getTransfer(originalId);
    if (!found.ok) return found;
    const { record, reversedBy } = found.value;
    const corrected = {
      debit: input.debit ?? record.debit,
      credit: input.credit ?? record.credit,
      amount: input.amount ?? formatAmount(record.postedAmount ?? record.amount, record.currency),
      memo: input.memo ?? `amends ${originalId}: ${input.reason}`,
    };
    // Bad content is refused before anything is recorded or reversed: a correction the ledger would refuse never reverses its original.
    const refused = await this.correctionRefusal(record.currency, corrected);
    if (refused !== null) return refused;
    // A reversed transfer is not amended — unless by this same amendment asked again (the decider sees the duplicate first).
    const originalStatus = reversedBy !== null ? 'reversed' : record.status;
    const request = { id: input.id, original: originalId, corrected, reason: input.reason, by: currentCause().who };
    const begun = (await this.ask({ type: 'amend', data: { request, originalStatus } })) as ActorReply<AmendmentState>;
    if (!begun.ok || begun.value.status !== 'amending' || begun.value.amendment?.id !== input.id) return begun;
    // The amendment's id names the corrected transfer: one taken by another transfer fails the amendment before anything is reversed.
    const taken = await this.ledger.getTransfer(input.id);
    if (taken.ok && !isCorrection(taken.value.record, corrected)) {
      return this.settle(originalId, null, { ok: false, code: 'id_reused_with_different_content', detail: `transfer ${input.id} exists with other content: name the amendment with a new id` });
    }
    const reversal = await this.ledger.reverseTransfer(originalId, `amended by ${input.id}: ${input.reason}`);
    if (!reversal.ok) return this.settle(originalId, null, reversal);
    const posted = await this.ledger.createTransfer({ id: input.id, ...corrected, pending: false, timeoutMs: null });
    return this.settle(originalId, reversal.value.id, posted);
  }

  /** What the ledger would refuse of the corrected transfer as such (its amount, its accounts), or null. */
  private async correctionRefusal(currency: Currency, corrected: { debit: string; credit: string; amount: string }): Promise<{ ok: false; code: string; detail: string } | null> {
    const amount = parseAmount(corrected.amount, currency);
    if (!amount.ok) return { ok: false, code: amount.code, detail: amount.detail };
    if (corrected.debit === corrected.credit) return { ok: false, code: 'accounts_must_be_different', detail: 'the corrected transfer names one account twice' };
    const system = [corrected.debit, corrected.credit].find(isSystemId);
    if (system !== undefined) return { ok: false, code: 'system_account_protected', detail: `${system} is a system account; only fundcore's own processes move its money` };
    for (const id of [corrected.debit, corrected.credit]) {
      const account = await this.ledger.getAccount(id);
      if (!account.ok) return { ok: false, code: account.code, detail: account.detail };
      if (account.value.info.currency !== currency) return { ok: false, code: 'currencies_must_match', detail: `${id} books ${account.value.info.currency}; the transfer ${currency}` };
    }
    return null;
  }

  getAmendment(originalId: string): Promise<ActorReply<AmendmentState>> {
    return this.ask({ type: 'get_amendment' }, originalId) as Promise<ActorReply<AmendmentState>>;
  }

  private settle(originalId: string, reversalId: string | null, outcome: ActorReply): Promise<ActorReply<AmendmentState>> {
    const failure = outcome.ok ? null : { code: outcome.code, detail: outcome.detail };
    return this.ask({ type: 'settle', data: { reversalId, failure } }, originalId) as Promise<ActorReply<AmendmentState>>;
  }

  private ask(message: AmendmentMessage, originalId?: string): Promise<ActorReply> {
    const id = originalId ?? (message.type === 'amend' ? message.data.request.original : '');
    return this.bus.ask(amendmentActorId(id), message);
  }
}

/** A transfer that is this amendment's correction (posted by an earlier try of it). */
function isCorrection(record: TransferRecord, corrected: { debit: string; credit: string; amount: string; memo: string }): boolean {
  return record.debit === corrected.debit && record.credit === corrected.credit && formatAmount(record.amount, record.currency) === corrected.amount && record.memo === corrected.memo;
}
