import type { Decider } from '../decider.js';
import { assert, assertNever, reject, type Rejection } from '../rejection.js';
import { balanceOf, initialAccountState, type AccountInfo, type AccountState } from './account.js';
import type { AccountCommand } from './commands.js';
import { decide } from './decide.js';
import type { AccountEvent } from './events.js';
import { evolve } from './evolve.js';
import type { SealedPartReport } from './hot-close.js';
import type { LedgerRejectionCode } from './rejections.js';
import type { CreditRecord, TransferRecord } from './transfer.js';

/** The answer to find_transfer. */
export interface TransferFinding {
  readonly record: TransferRecord | null;
  readonly credit: CreditRecord | null;
  readonly reversedBy: string | null;
}

/**
 * What an account answers an accepted command (or a duplicate: no events). A transfer's
 * answer is its record; a transfer refused and recorded answers its refusal, again for a
 * duplicate (the adapter turns a rejection here into a refusal on the wire).
 */
export type AccountReply =
  | AccountInfo
  | TransferRecord
  | CreditRecord
  | TransferFinding
  | SealedPartReport
  | { readonly given: bigint; readonly moveId: string | null }
  | { readonly closedAt: number | null }
  | number
  | null
  | Rejection<LedgerRejectionCode>;

/** The ledger's account decider (one per account or sub-account), run by the generic adapter. */
export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent, LedgerRejectionCode, AccountReply> = {
  initialState: initialAccountState,
  decide,
  evolve,
  reply: replyOf,
};

function replyOf(after: AccountState, command: AccountCommand, events: readonly AccountEvent[]): AccountReply {
  const first = events[0];
  const recorded = first !== undefined && 'transfer' in first.data ? first.data.transfer : null;
  switch (command.type) {
    case 'open_account':
      return after.info;
    case 'create_transfer': {
      const record = recorded ?? command.data.existing;
      assert(record !== null, 'create_transfer decided nothing and found nothing');
      return record.rejection !== null ? reject(record.rejection.code as LedgerRejectionCode, record.rejection.detail) : record;
    }
    case 'post_pending':
    case 'void_pending':
    case 'return_credit':
      return recorded ?? command.data.existing;
    case 'reverse_transfer':
      return recorded ?? command.data.existingReversal;
    case 'credit_transfer':
      return first?.type === 'transfer_credited' ? first.data.credit : command.data.existing;
    case 'receive_from_sibling':
      return first?.type === 'sibling_received' ? first.data.credit : command.data.existing;
    case 'release_to_sibling':
      return first?.type === 'sibling_sent' ? { given: first.data.amount, moveId: first.data.moveId } : { given: 0n, moveId: null };
    case 'expire_pending':
      return events.length;
    case 'close_account':
      return { closedAt: after.closedAt };
    case 'seal_account':
      return { part: after.info?.subIndex ?? 0, sealedBy: after.sealedBy, balance: balanceOf(after), siblingNet: after.siblingNet, holds: after.holds.size, closedAt: after.closedAt };
    case 'find_transfer':
      return { record: command.data.record, credit: command.data.credit, reversedBy: command.data.reversedBy };
    case 'release_investment_lien':
    case 'post_buffered_credits':
    case 'unseal_account':
    case 'settle_sealed':
      return null;
    default:
      return assertNever(command, 'account command');
  }
}
