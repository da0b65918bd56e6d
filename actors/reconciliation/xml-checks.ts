import { XMLValidator } from 'fast-xml-parser';
import { bounded, StatementError } from './statement-error.js';

/** Line and column (1-based) of a character offset, to name a place in a message. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A DOCTYPE or entity declaration is refused before any parser sees it: no bank statement
 * needs one, and a declared entity is how a billion-laughs expansion or a name smuggled into
 * the report gets in.
 */
function refuseDtd(xml: string): void {
  const found = /<!(DOCTYPE|ENTITY)/i.exec(xml);
  if (found === null) return;
  const { line, column } = lineAndColumn(xml, found.index);
  throw new StatementError('statement_dtd_forbidden', `line ${line}, column ${column}: a <!${found[1]?.toUpperCase()}> declaration; statements are read without DTDs or entities`);
}

/** Well-formedness, before anything is read: a file cut short must not read as a shorter statement. */
function refuseMalformed(xml: string): void {
  const result = XMLValidator.validate(xml);
  if (result === true) return;
  const { code, msg, line, col } = result.err;
  // The validator names elements still open at the end as "Invalid '[ "a", "b" ]' found." at 1:1.
  if (code === 'InvalidXml' && msg.startsWith("Invalid '[")) {
    const open = [...msg.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    const end = lineAndColumn(xml, xml.trimEnd().length);
    const names = bounded(open.slice(-5).join('>, <'));
    throw new StatementError('statement_malformed', `line ${end.line}, column ${end.column}: the document ends with <${names}> still open (a truncated file?)`);
  }
  throw new StatementError('statement_malformed', `line ${line}, column ${col}: ${bounded(msg)}`);
}

/** The checks every XML statement passes before it is parsed, in this order. */
export function checkXml(xml: string): void {
  refuseDtd(xml);
  refuseMalformed(xml);
}
