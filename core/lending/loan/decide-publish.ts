import { reject } from '../../rejection.js';
import { lendingLimits } from '../limits.js';
import type { LoanCommand } from './commands.js';
import type { LoanDecision } from './decide-loan.js';
import { isRepaymentMethod, type LoanState, type LoanTerm } from './loan.js';
import { parseAnnualRate } from './rate.js';

type PublishLoan = Extract<LoanCommand, { type: 'publish_loan' }>;

/**
 * publish_loan, checked in this order (a refusal records nothing):
 * 1. a loan with this id: same content → duplicate, else id_reused_with_different_content
 * 2. loan_amount_out_of_range
 * 3. annual_rate_invalid, 4. annual_rate_out_of_range
 * 5. loan_term_must_be_days_or_months (exactly one of termDays, termMonths)
 * 6. loan_term_out_of_range
 * 7. repayment_method_unknown
 * 8. loan_product_unknown (no configured product has the name)
 * 9. borrower_not_found, 10. account_kind_not_allowed (not a borrower wallet, or a hot one),
 * 11. currencies_must_match (the pool books CNY), 12. borrower_account_closed
 */
export function decidePublish(state: LoanState, { data }: PublishLoan): LoanDecision {
  if (state.loan !== null) {
    return sameContent(state, data) ? [] : reject('id_reused_with_different_content', `loan ${data.id} exists with other content`);
  }
  if (data.amount < lendingLimits.loanAmountMinMinor || data.amount > lendingLimits.loanAmountMaxMinor) {
    return reject('loan_amount_out_of_range', 'a loan is between 100.00 and 50,000,000.00');
  }
  const rate = parseAnnualRate(data.annualRate);
  if (!rate.ok) return reject(rate.code, rate.detail);
  const term = termOf(data);
  if (term === null) return reject('loan_term_must_be_days_or_months', 'give exactly one of termDays and termMonths');
  const [min, max] = term.unit === 'days' ? [lendingLimits.loanTermDaysMin, lendingLimits.loanTermDaysMax] : [lendingLimits.loanTermMonthsMin, lendingLimits.loanTermMonthsMax];
  if (!Number.isInteger(term.count) || term.count < min || term.count > max) {
    return reject('loan_term_out_of_range', `term${term.unit === 'days' ? 'Days' : 'Months'} is between ${min} and ${max}`);
  }
  if (!isRepaymentMethod(data.method)) return reject('repayment_method_unknown', `unknown repayment method ${data.method}`);
  if (data.product === null) return reject('loan_product_unknown', `no loan product named ${data.productName}`);
  const account = data.borrowerAccount;
  if (account === null) return reject('borrower_not_found', `no account ${data.borrower}`);
  if (account.kind !== 'borrower_wallet') return reject('account_kind_not_allowed', `${data.borrower} is a ${account.kind}, not a borrower_wallet`);
  if (account.subAccounts > 1) return reject('account_kind_not_allowed', `${data.borrower} is a hot account (sub-accounts); a borrower wallet is a plain account`);
  if (account.currency !== 'CNY') return reject('currencies_must_match', `${data.borrower} books ${account.currency}; the capital pool books CNY`);
  if (account.closed) return reject('borrower_account_closed', `account ${data.borrower} is closed`);
  const loan = {
    id: data.id,
    borrower: data.borrower,
    amount: data.amount,
    annualRate: rate.rate,
    term,
    method: data.method,
    product: data.product,
    publishedOn: data.on,
    publishedAt: data.at,
  };
  return [{ type: 'loan_published', data: { loan } }];
}

function termOf(data: PublishLoan['data']): LoanTerm | null {
  if (data.termDays !== null && data.termMonths === null) return { unit: 'days', count: data.termDays };
  if (data.termMonths !== null && data.termDays === null) return { unit: 'months', count: data.termMonths };
  return null;
}

function sameContent(state: LoanState, data: PublishLoan['data']): boolean {
  const loan = state.loan;
  if (loan === null) return false;
  const rate = parseAnnualRate(data.annualRate);
  const term = termOf(data);
  return (
    loan.borrower === data.borrower &&
    loan.amount === data.amount &&
    rate.ok &&
    loan.annualRate === rate.rate &&
    term !== null &&
    loan.term.unit === term.unit &&
    loan.term.count === term.count &&
    loan.method === data.method &&
    loan.product.name === data.productName
  );
}
