/** Codes a repayment or compensation of a loan can be refused with (precedence in core/lending/repayment/decide-repayment.ts). */
export const repaymentRejectionCodes = [
  'loan_not_repaying',
  'repayment_in_progress',
  'claim_transfer_in_progress',
  'repayment_amount_below_due',
  'repayment_amount_above_due',
  'guarantee_debt_open',
  'period_not_found',
  'period_already_settled',
  'period_not_overdue',
  'earlier_period_open',
  'early_repayment_date_outside_period',
  'early_repayment_amount_above_balance',
] as const;
export type RepaymentRejectionCode = (typeof repaymentRejectionCodes)[number];
