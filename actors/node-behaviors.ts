import { createAccountBehavior, defaultAccountLimits, type AccountLimits } from './account/account-behavior.js';
import { bankOrderBehavior } from './bank/bank-order-behavior.js';
import { refundBookBehavior } from './bank/refund-book-behavior.js';
import type { BusinessClock } from './clock/business-clock.js';
import { dayCutBehavior } from './eod/day-cut-behavior.js';
import { eodBehavior } from './eod/eod-behavior.js';
import { conversionBehavior } from './fx/conversion-behavior.js';
import { indexBehavior } from './index/index-behavior.js';
import { interestPoolBehavior } from './lending/interest-pool-behavior.js';
import { investmentBehavior } from './lending/investment-behavior.js';
import type { LendingConfig } from './lending/lending-config.js';
import { loanBehavior } from './lending/loan-behavior.js';
import { planBehavior } from './lending/plan-behavior.js';
import { poolBehavior } from './lending/pool-behavior.js';
import { redemptionBehavior } from './lending/redemption-behavior.js';
import { settingsBehavior } from './lending/settings-behavior.js';
import { waitingBookBehavior } from './lending/waiting-book-behavior.js';
import { hotCloseBehavior } from './ledger/hot-close-behavior.js';
import { amendmentBehavior } from './ledger/amendment-behavior.js';
import { accountOwnerBehavior, transferOwnerBehavior } from './ledger/id-owners.js';
import { reconciliationBehavior } from './reconciliation/reconciliation-behavior.js';
import type { ActorBehavior } from './runtime/behavior.js';

/** Every actor type a node runs: the node's system, and a point-in-time restore's replay, take the same list. */
export function nodeBehaviors(
  deps: { readonly config: LendingConfig; readonly clock: BusinessClock; readonly partitionCount: number },
  accountLimits: Partial<AccountLimits> = {},
): ActorBehavior<any, any>[] {
  return [
    createAccountBehavior({ ...defaultAccountLimits, ...accountLimits }),
    investmentBehavior(deps),
    poolBehavior,
    loanBehavior(deps),
    waitingBookBehavior(deps),
    planBehavior,
    redemptionBehavior(deps),
    interestPoolBehavior(deps, deps.partitionCount),
    settingsBehavior,
    bankOrderBehavior(deps),
    eodBehavior,
    dayCutBehavior,
    reconciliationBehavior,
    indexBehavior,
    transferOwnerBehavior,
    hotCloseBehavior,
    accountOwnerBehavior,
    conversionBehavior(deps.config.paymentStrategies.convert),
    amendmentBehavior,
    refundBookBehavior,
  ];
}
