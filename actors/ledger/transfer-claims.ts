import { keepsNatures, type AccountSettings } from '../../core/ledger/account.js';
import type { Nature } from '../../core/ledger/nature.js';
import { validateTransferContent } from '../../core/ledger/decide-transfer.js';
import type { IdClaimOutcome, IdOwnerBatchReply } from '../../core/ledger/id-owner.js';
import { partFor } from '../../core/ledger/routing.js';
import type { TransferContent } from '../../core/ledger/transfer.js';
import { parseAmount } from '../../core/money/amount.js';
import { isRuntimeError } from '../runtime/errors.js';
import { indexesBy } from '../runtime/indexes-by.js';
import type { Bus } from '../runtime/relay.js';
import type { AccountSettingsLookup } from './account-settings.js';
import type { TransferInput } from './ledger-api.js';
import { claimId, claimIds, idClaimsPerMessageMax, transferOwnerActorId, type IdClaimItem } from './id-owners.js';
import type { Cause } from '../../core/audit/cause.js';

export type Refusal = { readonly ok: false; readonly code: string; readonly detail: string };

/** A transfer ready for its id's owner and then its debit (sub-)account. */
export interface PreparedTransfer {
  readonly ok: true;
  readonly id: string;
  readonly content: TransferContent;
  readonly debit: AccountSettings;
  readonly part: number | null;
  /**
   * Bind the id to the debit account — or, for content the debit account will refuse without
   * recording it, only check that the id is not another account's (a refusal that records
   * nothing binds nothing).
   */
  readonly bind: boolean;
}

/** The steps before the id's owner, in the debit account's order of refusals: no debit account, an amount it cannot hold. */
export async function prepareTransfer(settings: AccountSettingsLookup, input: TransferInput): Promise<PreparedTransfer | Refusal> {
  return preparedWith(await settings.of(input.debit), input);
}

/** The same steps, with the debit account's settings at hand (null: there is no such account). */
export function preparedWith(debit: AccountSettings | null, input: TransferInput): PreparedTransfer | Refusal {
  if (debit === null) return { ok: false, code: 'debit_account_not_found', detail: `no account ${input.debit}` };
  const amount = parseAmount(input.amount, debit.currency);
  if (!amount.ok) return { ok: false, code: amount.code, detail: amount.detail };
  const { id, credit, pending, timeoutMs, memo, nature, draw } = input;
  const plain: TransferContent = { debit: input.debit, credit, amount: amount.minor, pending, timeoutMs, memo };
  // Only a wallet that keeps natures reads a strategy: other records stay as they were (and
  // the hot path builds one plain object).
  const drawn = draw !== undefined && keepsNatures(debit);
  const content: TransferContent = nature === undefined && !drawn ? plain : { ...plain, ...(nature === undefined ? {} : { nature: nature as Nature }), ...(drawn ? { draw } : {}) };
  return { ok: true, id, content, debit, part: partFor(id, debit.subAccounts), bind: validateTransferContent(content) === null };
}

/** The id claimed at its owner: null once it is the debit account's, else the refusal. */
export async function claimTransfer(bus: Bus, transfer: PreparedTransfer): Promise<Refusal | null> {
  const claim = await bus.ask(transferOwnerActorId(transfer.id), claimId(transfer.id, transfer.content.debit, transfer.bind));
  return claim.ok ? null : claim;
}

/**
 * A batch's ids claimed with one message per owner (and per idClaimsPerMessageMax claims),
 * all at once: per transfer, null or the refusal — a runtime failure of one owner is the
 * refusal of its claims alone. `causes`: per transfer, who its claim is on behalf of (the
 * binding event names it); absent: the asker's cause.
 */
export async function claimTransfers(bus: Bus, transfers: readonly (PreparedTransfer | null)[], causes?: readonly (Cause | undefined)[]): Promise<(Refusal | null)[]> {
  const byOwner = indexesBy(transfers, (transfer) => (transfer === null ? null : transferOwnerActorId(transfer.id)));
  const refusals: (Refusal | null)[] = transfers.map(() => null);
  const asks: Promise<void>[] = [];
  for (const [owner, indexes] of byOwner) {
    for (let from = 0; from < indexes.length; from += idClaimsPerMessageMax) {
      const chunk = indexes.slice(from, from + idClaimsPerMessageMax);
      const claims = chunk.map((i): IdClaimItem<string> => {
        const { id, content, bind } = transfers[i] as PreparedTransfer;
        const cause = causes?.[i];
        return cause === undefined ? { id, value: content.debit, bind } : { id, value: content.debit, bind, cause };
      });
      asks.push(
        askOwner(bus, owner, claims).then((outcomes) => {
          chunk.forEach((i, k) => (refusals[i] = refusalOf(outcomes[k])));
        }),
      );
    }
  }
  await Promise.all(asks);
  return refusals;
}

async function askOwner(bus: Bus, owner: string, claims: readonly IdClaimItem<string>[]): Promise<readonly (IdClaimOutcome<string> | Refusal)[]> {
  try {
    // The debits come after the claims, to the same journal where the bus has askOnceIssued:
    // a debit lands only if its claim did, so the claim's commit need not be waited for.
    const message = claimIds(claims);
    const reply = await (bus.askOnceIssued !== undefined ? bus.askOnceIssued(owner, message) : bus.ask(owner, message));
    if (!reply.ok) return claims.map(() => reply);
    return (reply.value as IdOwnerBatchReply<string>).outcomes;
  } catch (error) {
    if (!isRuntimeError(error)) throw error;
    return claims.map(() => ({ ok: false, code: error.code, detail: error.message }));
  }
}

function refusalOf(outcome: IdClaimOutcome<string> | Refusal | undefined): Refusal | null {
  if (outcome === undefined) return { ok: false, code: 'internal_error', detail: 'a claim went unanswered' };
  return outcome.ok ? null : { ok: false, code: outcome.code, detail: outcome.detail };
}
