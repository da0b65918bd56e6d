import { auditProjector } from './audit-projector.js';
import { dayCutProjector } from './day-cut-projector.js';
import { eodProjector } from './eod-projector.js';
import { interestPoolProjector } from './interest-pool-projector.js';
import { bankOrderProjector, investmentProjector, loanProjector } from './lending-projectors.js';
import { poolProjector } from './pool-projector.js';
import { ledgerProjector } from './ledger-projector.js';
import type { Projector } from './projector.js';
import { reconciliationProjector } from './reconciliation-projector.js';

/** Every read model the node keeps. */
export const allProjectors: readonly Projector[] = [
  eodProjector,
  dayCutProjector,
  ledgerProjector,
  investmentProjector,
  poolProjector,
  loanProjector,
  bankOrderProjector,
  interestPoolProjector,
  reconciliationProjector,
  auditProjector,
];
