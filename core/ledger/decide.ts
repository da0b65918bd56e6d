import { assertNever } from '../rejection.js';
import type { AccountState } from './account.js';
import type { AccountCommand } from './commands.js';
import { decideCloseAccount, decideOpenAccount, decideReleaseInvestmentLien } from './decide-account.js';
import { decideCreditTransfer, decideReturnCredit, decideReverseTransfer } from './decide-credit.js';
import { decideExpirePending, decidePostPending, decideVoidPending } from './decide-pending.js';
import { decideCreateTransfer } from './decide-transfer.js';
import { decidePostBufferedCredits } from './decide-buffered.js';
import { decideReceiveFromSibling, decideReleaseToSibling } from './decide-sibling.js';
import { decideSealAccount, decideSettleSealed, decideUnsealAccount } from './decide-seal.js';
import { duplicate, type AccountDecision } from './decision.js';

/** The account decider: one pure function per command. */
export function decide(state: AccountState, command: AccountCommand): AccountDecision {
  switch (command.type) {
    case 'open_account':
      return decideOpenAccount(state, command);
    case 'create_transfer':
      return decideCreateTransfer(state, command);
    case 'post_pending':
      return decidePostPending(state, command);
    case 'void_pending':
      return decideVoidPending(state, command);
    case 'expire_pending':
      return decideExpirePending(state, command);
    case 'credit_transfer':
      return decideCreditTransfer(state, command);
    case 'return_credit':
      return decideReturnCredit(state, command);
    case 'reverse_transfer':
      return decideReverseTransfer(state, command);
    case 'close_account':
      return decideCloseAccount(state, command);
    case 'release_investment_lien':
      return decideReleaseInvestmentLien(state, command);
    case 'release_to_sibling':
      return decideReleaseToSibling(state, command);
    case 'receive_from_sibling':
      return decideReceiveFromSibling(state, command);
    case 'post_buffered_credits':
      return decidePostBufferedCredits(state, command);
    case 'seal_account':
      return decideSealAccount(state, command);
    case 'unseal_account':
      return decideUnsealAccount(state, command);
    case 'settle_sealed':
      return decideSettleSealed(state, command);
    case 'find_transfer':
      return duplicate;
    default:
      return assertNever(command, 'account command');
  }
}
