/** Codes a statement is refused with; each is in gateway/errors.ts and docs/errors.md. */
export const statementErrorCodes = ['statement_unreadable', 'statement_amount_invalid', 'statement_currency_unknown', 'statement_malformed', 'statement_dtd_forbidden'] as const;

export type StatementErrorCode = (typeof statementErrorCodes)[number];

/** Most characters of the input a message quotes: a 2,000,000-character line is not echoed back. */
export const quotedLengthMax = 200;

/** Most characters of a whole message, whatever it quotes (ids, tags, parser messages). */
export const messageLengthMax = 1_000;

/** The input quoted for a message, cut to quotedLengthMax characters and saying how long it was. */
export function quoted(text: unknown): string {
  const whole = String(text);
  if (whole.length <= quotedLengthMax) return `"${whole}"`;
  return `"${whole.slice(0, quotedLengthMax)}…" (${whole.length} characters)`;
}

/** Cut to at most `lengthMax` characters, saying so. */
export function bounded(text: string, lengthMax: number = quotedLengthMax): string {
  return text.length <= lengthMax ? text : `${text.slice(0, lengthMax)}… (${text.length} characters)`;
}

/** A statement refused for what it holds: an operating error, answered 400 with its code. */
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    readonly code: StatementErrorCode,
    message: string,
  ) {
    super(bounded(message, messageLengthMax));
  }
}
