import { quoted, StatementError } from './statement-error.js';

/** One logical BAI2 record: its type code, its fields (the code removed), the line it starts on. */
export interface Bai2Record {
  readonly code: string;
  readonly fields: readonly string[];
  /** Physical records it was made of (itself and its 88 continuations): trailers count them. */
  readonly physical: number;
  readonly line: number;
}

/**
 * Splits a BAI2 file into logical records. A record ends with '/'; an 88 record continues the
 * one before it (a 16's text continues with a space, any other record's fields with a comma).
 * The 16 record's text, its last field, may itself hold commas and slashes: it is kept whole.
 */
export function bai2Records(text: string): Bai2Record[] {
  const records: { code: string; body: string; physical: number; line: number }[] = [];
  text.replace(/\r\n?/g, '\n').split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const code = line.slice(0, 2);
    const body = line.slice(3);
    if (!/^\d\d,/.test(line) && line !== '99') throw new StatementError('statement_unreadable', `BAI2 line ${index + 1}: ${quoted(line)} does not start with a record code and a comma`);
    const last = records[records.length - 1];
    if (code === '88') {
      if (last === undefined) throw new StatementError('statement_unreadable', `BAI2 line ${index + 1}: a continuation (88) with nothing to continue`);
      last.body = `${withoutSlash(last.body)}${last.code === '16' ? ' ' : ','}${body}`;
      last.physical++;
      return;
    }
    records.push({ code, body, physical: 1, line: index + 1 });
  });
  return records.map(({ code, body, physical, line }) => ({ code, fields: fieldsOf(code, body), physical, line }));
}

const withoutSlash = (body: string) => body.replace(/\/\s*$/, '');

/** Comma-separated fields; a 16 keeps everything after its sixth field as the text. */
function fieldsOf(code: string, body: string): string[] {
  if (code !== '16') return withoutSlash(body).split(',').map((field) => field.trim());
  return withoutSlash(body).split(',');
}
