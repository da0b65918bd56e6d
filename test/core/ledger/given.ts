import type { Test } from 'tap';
import { initialAccountState, type AccountDirectoryEntry, type AccountState } from '../../../core/ledger/account.js';
import type { AccountCommand } from '../../../core/ledger/commands.js';
import { decide } from '../../../core/ledger/decide.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { evolve } from '../../../core/ledger/evolve.js';
import { isRejection } from '../../../core/rejection.js';
import type { TransferContent, TransferRecord } from '../../../core/ledger/transfer.js';

export const t0 = 1_700_000_000_000;

/** given(events).when(command).then(events) — or .rejects(code). */
export function given(...events: AccountEvent[]) {
  const state = events.reduce<AccountState>(evolve, initialAccountState);
  return {
    state,
    when(command: AccountCommand) {
      const decision = decide(state, command);
      return {
        decision,
        then(t: Test, expected: readonly AccountEvent[], message?: string) {
          t.same(decision, expected, message ?? 'the expected events');
        },
        /** Accepted with events of these types, in order. */
        emits(t: Test, types: readonly string[], message?: string) {
          t.same(isRejection(decision) ? `rejected: ${decision.code}` : decision.map((e) => e.type), types, message ?? types.join(', '));
        },
        /** The state after the decided events (the decision must be accepted). */
        get after(): AccountState {
          if (isRejection(decision)) throw new Error(`rejected: ${decision.code}`);
          return decision.reduce(evolve, state);
        },
        /** A refusal: returned as a rejection, or recorded as a transfer_rejected event. */
        rejects(t: Test, code: string, message?: string) {
          t.equal(refusalCodeOf(decision), code, message ?? code);
        },
      };
    },
  };
}

function refusalCodeOf(decision: ReturnType<typeof decide>): string {
  if (isRejection(decision)) return decision.code;
  const [first] = decision;
  if (decision.length === 1 && first?.type === 'transfer_rejected') return `${first.data.transfer.rejection?.code} (recorded)`;
  return `accepted: ${JSON.stringify(decision, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
}

export function opened(id: string, overdraft = false): AccountEvent {
  return { type: 'account_opened', data: { account: { id, kind: 'investor_wallet', currency: 'CNY', overdraft, openedAt: t0, subAccounts: 1, subIndex: 0, bufferCredits: false } } };
}

export function directory(id: string, patch: Partial<AccountDirectoryEntry> = {}): AccountDirectoryEntry {
  return { id, kind: 'investor_wallet', currency: 'CNY', overdraft: false, closed: false, subAccounts: 1, bufferCredits: false, ...patch };
}

export function content(patch: Partial<TransferContent> = {}): TransferContent {
  return { debit: 'A', credit: 'B', amount: 100n, pending: false, timeoutMs: null, memo: null, ...patch };
}

export function record(id: string, patch: Partial<TransferRecord> = {}): TransferRecord {
  return {
    id,
    ...content(),
    currency: 'CNY',
    status: 'posted',
    createdAt: t0,
    updatedAt: t0,
    expiresAt: null,
    postedAmount: null,
    voidReason: null,
    reverses: null,
    rejection: null,
    returnCode: null,
    debitPart: null,
    creditPart: null,
    ...patch,
  };
}

export function credited(id: string, amount: bigint, account = 'A', debit = 'bank'): AccountEvent {
  return {
    type: 'transfer_credited',
    data: { credit: { transferId: id, account, debit, amount, currency: 'CNY', reverses: null, creditedAt: t0 } },
  };
}

export function createTransfer(id: string, patch: Partial<TransferContent> = {}, extra: Partial<Extract<AccountCommand, { type: 'create_transfer' }>['data']> = {}): AccountCommand {
  return { type: 'create_transfer', data: { id, content: content(patch), at: t0 + 1, existing: null, creditAccount: directory('B'), final: true, ...extra } };
}
