import { natures } from '../core/ledger/nature.js';
import { accountKinds } from '../core/ledger/account.js';
import { ledgerLimits } from '../core/ledger/limits.js';
import { currencies } from '../core/money/currency.js';
import { subAccountsMax } from '../core/ledger/routing.js';

/** Limits of the HTTP contract. */
export const gatewayLimits = {
  batchTransfersMax: 8_000,
  /** Default body limit of every route. */
  bodyLimitBytes: 64 * 1024,
  /** The batch route's body limit: 8,000 transfers of ~500 bytes. */
  batchBodyLimitBytes: 4 * 1024 * 1024,
  /** The router's limit on one path parameter: above every id's own limit (≤ 200), so a schema names the error first. */
  pathParamLengthMax: 256,
} as const;

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' } as const;
/** Amounts travel as strings; their format is checked by core/money (with precise error codes). */
const amount = { type: 'string', minLength: 1, maxLength: 40, description: 'decimal string, e.g. "1234.56"' } as const;
const memo = { type: ['string', 'null'], maxLength: ledgerLimits.memoLengthMax } as const;
const isoTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const idParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } } as const;

/** A transfer id in a path may also name a reversal: `<id>~reversal`. */
export const transferIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}(~reversal)?$' } },
} as const;

export const openAccountBody = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    id,
    kind: { type: 'string', enum: accountKinds },
    currency: { type: 'string', enum: currencies },
    overdraft: { type: 'boolean' },
    subAccounts: { type: 'integer', minimum: 1, maximum: subAccountsMax, description: 'split a hot account into this many sub-accounts' },
    bufferCredits: { type: 'boolean', description: 'non-real-time: buffer credits and post them aggregated' },
  },
} as const;

export const transferBody = {
  type: 'object',
  required: ['debit', 'credit', 'amount'],
  additionalProperties: false,
  properties: {
    id,
    debit: id,
    credit: id,
    amount,
    pending: { type: 'boolean' },
    timeoutMs: { type: 'integer', minimum: 1, maximum: ledgerLimits.timeoutMsMax },
    memo,
    // Checked by the ledger (unknown_nature), so a wrong one gets its own code.
    nature: { type: 'string', maxLength: 32 },
  },
} as const;

export const batchBody = {
  type: 'object',
  required: ['transfers'],
  additionalProperties: false,
  properties: {
    // Items are checked one by one, so one bad item fails alone.
    transfers: { type: 'array', minItems: 1, maxItems: gatewayLimits.batchTransfersMax, items: { type: 'object' } },
  },
} as const;

export const postPendingBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { amount },
} as const;

export const reverseBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { memo },
} as const;

export const errorResponse = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
} as const;

const accountCreated = {
  id: { type: 'string' },
  kind: { type: 'string' },
  currency: { type: 'string' },
  overdraft: { type: 'boolean' },
  subAccounts: { type: 'integer' },
  bufferCredits: { type: 'boolean' },
  openedAt: isoTime,
} as const;

const balances = {
  available: amount,
  frozen: amount,
  total: amount,
  debitsPosted: amount,
  creditsPosted: amount,
  pendingTransfers: { type: 'integer' },
  buffered: amount,
  bufferedCredits: { type: 'integer' },
} as const;

export const accountCreatedResponse = { type: 'object', properties: accountCreated } as const;

export const accountResponse = {
  type: 'object',
  properties: {
    ...accountCreated,
    closed: { type: 'boolean' },
    closedAt: isoTime,
    ...balances,
    openInvestments: { type: 'array', items: { type: 'string' } },
    parts: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, ...balances } } },
    natures: {
      type: 'object',
      properties: Object.fromEntries(natures.map((nature) => [nature, { type: 'object', properties: { total: amount, available: amount } }])),
    },
  },
} as const;

const transferContent = {
  id: { type: 'string' },
  debit: { type: 'string' },
  credit: { type: 'string' },
  amount,
  currency: { type: 'string' },
  pending: { type: 'boolean' },
  timeoutMs: { type: ['integer', 'null'] },
  memo,
  reverses: { type: ['string', 'null'] },
  createdAt: isoTime,
  expiresAt: isoTime,
  status: { type: 'string', enum: ['pending', 'posted', 'voided', 'reversed', 'returned'] },
  creditInFlight: { type: 'boolean' },
  nature: { type: 'string' },
} as const;

export const transferCreatedResponse = { type: 'object', properties: transferContent } as const;

const transferUpdated = {
  ...transferContent,
  postedAmount: { type: ['string', 'null'] },
  voidReason: { type: ['string', 'null'] },
  updatedAt: isoTime,
  natures: { type: 'array', items: { type: 'object', properties: { nature: { type: 'string' }, amount } } },
} as const;

export const transferUpdatedResponse = { type: 'object', properties: transferUpdated } as const;

export const transferResponse = {
  type: 'object',
  properties: {
    ...transferUpdated,
    creditedAt: isoTime,
    reversedBy: { type: ['string', 'null'] },
    returnCode: { type: ['string', 'null'] },
    legs: {
      type: 'array',
      items: { type: 'object', properties: { account: { type: 'string' }, side: { type: 'string' }, amount } },
    },
  },
} as const;
