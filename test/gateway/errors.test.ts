import { readFileSync } from 'node:fs';
import t from 'tap';
import { runtimeErrorCodes } from '../../actors/runtime/errors.js';
import { bankRejectionCodes } from '../../core/bank/rejections.js';
import { dayCutRejectionCodes } from '../../core/eod/day-cut.js';
import { eodCloseRefusalCodes, eodRejectionCodes } from '../../core/eod/eod.js';
import { statementErrorCodes } from '../../actors/reconciliation/statement-amount.js';
import { statementJobCodes } from '../../actors/reconciliation/statement-job-limits.js';
import { fxRejectionCodes } from '../../core/fx/rejections.js';
import { amendmentRejectionCodes } from '../../core/amendment/amendment.js';
import { refundBookRejectionCodes } from '../../core/bank/refund-book.js';
import { ledgerRejectionCodes } from '../../core/ledger/rejections.js';
import { lendingRejectionCodes } from '../../core/lending/rejections.js';
import { interestPoolRejectionCodes } from '../../core/lending/interest-pool/rejections.js';
import { repaymentRejectionCodes } from '../../core/lending/repayment/rejections.js';
import { errorRegistry } from '../../gateway/errors.js';
import { repoPath } from '../helpers/repo.js';

/** Like Fastify's own test of lib/errors.js against its docs: the registry and docs/errors.md, both ways. */
t.test('the error registry and docs/errors.md list the same codes with the same statuses', async (t) => {
  const docs = readFileSync(repoPath('docs/errors.md'), 'utf8');
  const documented = new Map<string, number>();
  for (const match of docs.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) documented.set(match[1] as string, Number(match[2]));
  for (const [code, { status }] of Object.entries(errorRegistry)) {
    t.equal(documented.get(code), status, `${code} is documented with status ${status}`);
  }
  for (const code of documented.keys()) t.ok(Object.hasOwn(errorRegistry, code), `documented ${code} is in the registry`);
});

t.test('every code the ledger, lending, the bank orders and the runtime produce is registered', async (t) => {
  const amountCodes = ['amount_invalid_format', 'amount_too_precise', 'amount_must_be_positive', 'amount_too_large'];
  const serviceCodes = ['currency_not_configured', 'conversion_account_not_plain', 'refund_of_refund', 'deposit_not_refundable', 'refund_not_found', 'id_reserved', 'system_account_protected', 'plan_not_found', 'capital_not_found', 'clock_not_simulated', 'depository_account_not_open', 'deposit_not_found', 'withdrawal_not_found', 'wallet_currency_mismatch'];
  const readModelCodes = ['invalid_cursor', 'reconciliation_not_found', 'finding_not_found', 'repair_not_applicable', 'repair_account_not_found', 'eod_day_not_closed'];
  for (const code of [...ledgerRejectionCodes, ...fxRejectionCodes, ...amendmentRejectionCodes, ...refundBookRejectionCodes, ...lendingRejectionCodes, ...interestPoolRejectionCodes, ...repaymentRejectionCodes, ...bankRejectionCodes, ...runtimeErrorCodes, ...amountCodes, ...serviceCodes, ...eodRejectionCodes, ...eodCloseRefusalCodes, ...dayCutRejectionCodes, ...statementErrorCodes, ...statementJobCodes, ...readModelCodes]) {
    t.ok(Object.hasOwn(errorRegistry, code), code);
  }
});

// A statement job's full queue or failed worker is like the runtime's failures: the command did not run to its end; retry it.
t.test('codes are snake_case; statuses are 4xx, or 5xx for the runtime and the statement jobs only', async (t) => {
  for (const [code, { status }] of Object.entries(errorRegistry)) {
    t.match(code, /^[a-z]+(_[a-z]+)*$/, code);
    t.ok(status >= 400 && status < 600, `${code}: ${status}`);
    if (status >= 500) t.ok([...runtimeErrorCodes, ...statementJobCodes].includes(code as never), `${code} may be a 5xx only as a runtime or statement job failure`);
  }
});
