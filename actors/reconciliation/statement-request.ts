import { Ajv } from 'ajv';
import secureJson from 'secure-json-parse';
import type { CsvOptions } from './parse-csv.js';
import type { StatementFormat } from './parse-statement.js';

/**
 * The body of POST /v1/reconciliations. It is read in the statement worker, not on the node's
 * thread: a 15 MiB statement is never a string there (JSON.parse, the copy to the worker and
 * the schema's length check of it took ~0.2 s of the event loop). The gateway documents it
 * (OpenAPI) and maps a refusal exactly as it maps its own validation (error-handler.ts).
 */
const columnMap = {
  type: 'object',
  required: ['reference', 'amount', 'date'],
  additionalProperties: false,
  properties: Object.fromEntries(['reference', 'instruction', 'account', 'amount', 'date', 'direction', 'currency', 'status', 'bankReference', 'description'].map((k) => [k, { type: 'string', minLength: 1, maxLength: 64 }])),
} as const;

const balance = { type: 'object', required: ['amount', 'date'], additionalProperties: false, properties: { amount: { type: 'string', maxLength: 40 }, date: { type: 'string', maxLength: 10 } } } as const;

export const statementRequestSchema = {
  type: 'object',
  required: ['format', 'content'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' },
    format: { type: 'string', enum: ['auto', 'camt.053', 'camt.054', 'mt940', 'csv', 'bai2'] },
    content: { type: 'string', minLength: 1 },
    dateWindowDays: { type: 'integer', minimum: 0, maximum: 31 },
    csv: {
      type: 'object',
      required: ['columns', 'currency'],
      additionalProperties: false,
      properties: {
        columns: columnMap,
        currency: { type: 'string', maxLength: 3 },
        delimiter: { type: 'string', minLength: 1, maxLength: 1 },
        decimalSeparator: { type: 'string', enum: ['.', ','] },
        account: { type: 'string', maxLength: 64 },
        opening: balance,
        closing: balance,
      },
    },
  },
} as const;

export interface StatementRequest {
  readonly id?: string;
  readonly format: StatementFormat | 'auto';
  readonly content: string;
  readonly dateWindowDays?: number;
  readonly csv?: CsvOptions;
}

/** The request without its statement: what the node's thread needs to name the command. */
export type StatementRequestFields = Omit<StatementRequest, 'content'>;

/** A schema violation as ajv reports it (the gateway names it, error-handler.ts validationError). */
export interface RequestIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** Why a body is not a statement request: not JSON (or prototype poisoning), empty, or off the schema. */
export type RequestProblem = { readonly kind: 'malformed' } | { readonly kind: 'empty' } | { readonly kind: 'invalid'; readonly issue: RequestIssue | null };

// The gateway's own options: unknown fields refused, nothing coerced.
let validate: ReturnType<Ajv['compile']> | null = null;

/** Reads a body as the gateway would: JSON (prototype poisoning refused), then the schema. */
export function readStatementRequest(body: Uint8Array): { ok: true; request: StatementRequest } | { ok: false; problem: RequestProblem } {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text === '') return { ok: false, problem: { kind: 'empty' } };
  let parsed: unknown;
  try {
    parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return { ok: false, problem: { kind: 'malformed' } };
  }
  if (parsed === null) return { ok: false, problem: { kind: 'empty' } };
  validate ??= new Ajv({ removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false }).compile(statementRequestSchema);
  if (!validate(parsed)) {
    const [first] = validate.errors ?? [];
    return { ok: false, problem: { kind: 'invalid', issue: first === undefined ? null : { keyword: first.keyword, instancePath: first.instancePath, params: { ...first.params }, ...(first.message !== undefined ? { message: first.message } : {}) } } };
  }
  return { ok: true, request: parsed as StatementRequest };
}
