import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { messageLengthMax, StatementError } from '../../../actors/reconciliation/statement-error.js';

/** Issue 18, defect 7: hostile or broken statements are refused with a stable code and a bounded message. */
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/statements/${name}`, import.meta.url), 'utf8');

function refusal(content: string, format: Parameters<typeof parseStatement>[1] = 'auto', csv?: Parameters<typeof parseStatement>[2]): { code: string; message: string } {
  try {
    parseStatement(content, format, csv);
    return { code: 'accepted', message: '' };
  } catch (error) {
    if (error instanceof StatementError) return { code: error.code, message: error.message };
    return { code: `bug: ${String(error)}`, message: '' };
  }
}

t.test('messages quote at most ~200 characters of the input, whatever its size', async (t) => {
  const huge = 'X'.repeat(2_000_000);
  const cases: [string, ReturnType<typeof refusal>][] = [
    ['MT940 :61: line', refusal(`:20:A\n:25:1\n:60F:C260101CNY1,00\n:61:${huge}\n-`)],
    ['MT940 balance', refusal(`:20:A\n:25:1\n:60F:${huge}\n-`)],
    ['camt amount', refusal(fixture('camt053-v02.xml').replace('500.00', huge))],
    ['camt currency', refusal(fixture('camt053-v02.xml').replace('<Ccy>CNY</Ccy>', `<Ccy>${huge}</Ccy>`))],
    ['camt statement id', refusal(fixture('camt053-v02.xml').replace('STMT-2026-03-02', huge).replace('500.00', '5e2'))],
    ['CSV date', refusal(`ref,amount,date\nd-1,1.00,${huge}\n`, 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date' }, currency: 'CNY' })],
    ['CSV direction', refusal(`ref,amount,date,dc\nd-1,1.00,2026-01-01,${huge}\n`, 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date', direction: 'dc' }, currency: 'CNY' })],
  ];
  for (const [name, { code, message }] of cases) {
    t.ok(code.startsWith('statement_'), `${name}: ${code}`);
    t.ok(message.length <= messageLengthMax, `${name}: message of ${message.length} characters`);
    t.notOk(message.includes('X'.repeat(201)), `${name}: quotes at most 200 characters`);
  }
});
