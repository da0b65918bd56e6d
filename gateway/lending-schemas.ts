import { bankOrderKinds } from '../core/bank/bank-order.js';
import { currencies } from '../core/money/currency.js';
import { errorResponse } from './schemas.js';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' } as const;
/** Investments, loans, deposits, withdrawals: at most 48 characters, so derived ids (`sys.inv.<id>`) fit 64. */
const entityId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,47}$' } as const;
const amount = { type: 'string', minLength: 1, maxLength: 40, description: 'decimal string, e.g. "1234.56"' } as const;

export const entityIdParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: entityId } } as const;
export const accountParams = { type: 'object', required: ['account'], additionalProperties: false, properties: { account: id } } as const;

export const investmentBody = {
  type: 'object',
  required: ['investor', 'amount', 'termDays'],
  additionalProperties: false,
  properties: { id: entityId, investor: id, amount, termDays: { type: 'integer' }, expectedRate: { type: 'string', minLength: 1, maxLength: 20, description: 'the annual rate the investor expects, e.g. "0.08" (optional)' } },
} as const;

/** The body is optional: the redemption's id defaults to `rdm-<investmentId>`. */
export const redeemBody = { type: ['object', 'null'], additionalProperties: false, properties: { id: entityId } } as const;

/** Ranges and the method are checked by core (named codes); the schema checks types only. */
export const loanBody = {
  type: 'object',
  required: ['borrower', 'amount', 'annualRate', 'method'],
  additionalProperties: false,
  properties: {
    id: entityId,
    borrower: id,
    amount,
    annualRate: { type: 'string', minLength: 1, maxLength: 20, description: 'decimal string, e.g. "0.0825" = 8.25 % a year' },
    termDays: { type: 'integer' },
    termMonths: { type: 'integer' },
    method: { type: 'string', minLength: 1, maxLength: 40, description: 'equal_installment | equal_principal | interest_first | bullet | flat' },
    product: { type: 'string', minLength: 1, maxLength: 40, description: 'the loan product (its schedule conventions); default: the configured default, `standard`' },
  },
} as const;

export const moneyOrderBody = {
  type: 'object',
  required: ['account', 'amount'],
  additionalProperties: false,
  properties: { id: entityId, account: id, amount, currency: { type: 'string', enum: currencies } },
} as const;

/** A deposit may say what its money is (a credit-card recharge: refund_only); checked by the service (unknown_nature). */
export const depositBody = {
  ...moneyOrderBody,
  properties: { ...moneyOrderBody.properties, nature: { type: 'string', maxLength: 32 } },
} as const;

/** A refund names the deposit (its id) it pays back along the original path. */
export const refundBody = {
  type: 'object',
  required: ['deposit', 'amount'],
  additionalProperties: false,
  properties: { id: entityId, deposit: entityId, amount },
} as const;

export const depositoryAccountBody = {
  type: 'object',
  required: ['account'],
  additionalProperties: false,
  properties: { id: entityId, account: id },
} as const;

const nullableText = { type: ['string', 'null'], maxLength: 500 } as const;

export const bankCallbackBody = {
  type: 'object',
  required: ['orderNo', 'kind', 'status', 'completedAt'],
  additionalProperties: false,
  properties: {
    orderNo: { type: 'string', minLength: 1, maxLength: 120 },
    kind: { type: 'string', enum: bankOrderKinds },
    status: { type: 'string', enum: ['succeeded', 'failed'] },
    code: nullableText,
    detail: nullableText,
    bankTxnId: { type: ['string', 'null'], maxLength: 120 },
    completedAt: { type: 'string', maxLength: 40 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
} as const;

export const clockBody = {
  type: 'object',
  additionalProperties: false,
  properties: { date: { type: 'string', maxLength: 10 }, advanceDays: { type: 'integer' } },
} as const;

export const lendingErrorResponses = { '4xx': errorResponse } as const;
