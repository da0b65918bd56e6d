import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { messageLengthMax, StatementError } from '../../../actors/reconciliation/statement-error.js';
import { repoPath } from '../../helpers/repo.js';

/** Issue 18, defects 3, 7 and 8: hostile or broken statements are refused with a stable code and a bounded message. */
const fixture = (name: string) => readFileSync(repoPath(`test/fixtures/statements/${name}`), 'utf8');

function refusal(content: string, format: Parameters<typeof parseStatement>[1] = 'auto', csv?: Parameters<typeof parseStatement>[2]): { code: string; message: string } {
  try {
    parseStatement(content, format, csv);
    return { code: 'accepted', message: '' };
  } catch (error) {
    if (error instanceof StatementError) return { code: error.code, message: error.message };
    return { code: `bug: ${String(error)}`, message: '' };
  }
}

t.test('a multi-statement camt.053 cut after its first </Stmt> is statement_malformed at the end, not one statement', async (t) => {
  t.equal(parseStatement(fixture('camt053-two-statements.xml'), 'auto').length, 2, 'the whole file: two statements');
  const { code, message } = refusal(fixture('camt053-truncated.xml'));
  t.equal(code, 'statement_malformed');
  t.match(message, /^line 32, column 12: the document ends with <Document>, <BkToCstmrStmt> still open/);
});

t.test('a mismatched tag is statement_malformed with its line and column', async (t) => {
  const xml = fixture('camt053-v02.xml').replace('<AcctSvcrRef>BANK-0001</AcctSvcrRef>', '<AcctSvcrRef>BANK-0001</AcctSvcrRf>');
  const { code, message } = refusal(xml);
  t.equal(code, 'statement_malformed');
  t.match(message, /^line 35, column \d+: Expected closing tag 'AcctSvcrRef'/);
});

t.test('DOCTYPE and ENTITY declarations are refused before parsing: nothing of them reaches a report', async (t) => {
  const { code, message } = refusal(fixture('camt053-entity.xml'));
  t.equal(code, 'statement_dtd_forbidden');
  t.match(message, /^line 2, column 1: a <!DOCTYPE> declaration/);
  t.notMatch(message, /smuggled/);
  t.equal(refusal(fixture('camt053-entity.xml'), 'camt.053').code, 'statement_dtd_forbidden', 'named format too');
  t.equal(refusal('<?xml version="1.0"?><!ENTITY x "y"><Document/>').code, 'statement_dtd_forbidden', 'an entity without a DOCTYPE');
});

t.test('XML that is not camt is refused as such, not read as a CSV', async (t) => {
  const { code, message } = refusal('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>');
  t.equal(code, 'statement_unreadable');
  t.match(message, /camt/);
});

t.test('messages quote at most ~200 characters of the input, whatever its size', async (t) => {
  const huge = 'X'.repeat(2_000_000);
  const cases: [string, ReturnType<typeof refusal>][] = [
    ['MT940 :61: line', refusal(`:20:A\n:25:1\n:60F:C260101CNY1,00\n:61:${huge}\n-`)],
    ['MT940 balance', refusal(`:20:A\n:25:1\n:60F:${huge}\n-`)],
    ['camt amount', refusal(fixture('camt053-v02.xml').replace('500.00', huge))],
    ['camt currency', refusal(fixture('camt053-v02.xml').replace('<Ccy>CNY</Ccy>', `<Ccy>${huge}</Ccy>`))],
    ['camt statement id', refusal(fixture('camt053-v02.xml').replace('STMT-2026-03-02', huge).replace('500.00', '5e2'))],
    ['camt tag name', refusal(fixture('camt053-v02.xml').replace('<AcctSvcrRef>BANK-0001</AcctSvcrRef>', `<${huge}></AcctSvcrRef>`))],
    ['CSV date', refusal(`ref,amount,date\nd-1,1.00,${huge}\n`, 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date' }, currency: 'CNY' })],
    ['CSV direction', refusal(`ref,amount,date,dc\nd-1,1.00,2026-01-01,${huge}\n`, 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date', direction: 'dc' }, currency: 'CNY' })],
  ];
  for (const [name, { code, message }] of cases) {
    t.ok(code.startsWith('statement_'), `${name}: ${code}`);
    t.ok(message.length <= messageLengthMax, `${name}: message of ${message.length} characters`);
    t.notOk(message.includes('X'.repeat(201)), `${name}: quotes at most 200 characters`);
  }
});

/** Every fixture, cut, spliced or with characters dropped in, is read or refused with a StatementError: never another throw. */
t.test('property: mangled statements of every format are read or refused with a statement code, never thrown otherwise', async (t) => {
  const fixtures = ['camt053-v02.xml', 'camt053-v08.xml', 'camt054-v02.xml', 'camt054-v08-no-dates.xml', 'camt053-reversal-pending.xml', 'camt053-foreign-entry.xml', 'mt940-abnamro.sta', 'mt940-sepa.sta', 'mt940-swift-types.sta', 'bai2-two-accounts.bai'].map(fixture);
  const mangled = fc.record({
    source: fc.constantFrom(...fixtures),
    cut: fc.nat(),
    at: fc.nat(),
    insert: fc.string({ unit: fc.constantFrom('<', '>', '/', ',', ':', '"', '&', '\n', 'A', '9', '-', '.', ' ', '<Ntry>', '</Amt>', ':61:', '16,', '88,', '<Amt Ccy="JPY">', '&amp;', '\u0000'), maxLength: 8 }),
    dropped: fc.nat({ max: 40 }),
  });
  const bugs: string[] = [];
  fc.assert(
    fc.property(mangled, ({ source, cut, at, insert, dropped }) => {
      const base = source.slice(0, source.length - (cut % Math.max(1, source.length / 4)));
      const i = at % Math.max(1, base.length);
      const content = base.slice(0, i) + insert + base.slice(i + dropped);
      const { code } = refusal(content);
      if (code.startsWith('bug')) bugs.push(`${code} — ${JSON.stringify(content.slice(Math.max(0, i - 40), i + 40))}`);
      return !code.startsWith('bug');
    }),
    { numRuns: 3000 },
  );
  t.same(bugs, []);
});
