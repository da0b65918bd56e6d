import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { reconcileStatements, type BankOrderSource } from '../../../actors/reconciliation/reconcile-statements.js';
import { defaultMatchOptions } from '../../../core/reconciliation/match.js';
import { buildReport } from '../../../core/reconciliation/report.js';
import { repoPath } from '../../helpers/repo.js';

/** Issue 18, defect 9: the report shows the reversal flag, the entry status and the transaction details; non-booked entries are listed. */
const fixture = (name: string) => readFileSync(repoPath(`test/fixtures/statements/${name}`), 'utf8');
const source: BankOrderSource = {
  byDates: () => ({ orders: [{ order_no: 'dep-rv-1', kind: 'deposit', account: 'ann', amount: 6000n, status: 'succeeded', business_date: '2026-09-01', posting_refusal: null }], items: [] }),
  byNumbers: () => ({ orders: [], items: [] }),
};

t.test('camt: a reversal, a pending and an information entry, and transaction details, all in the report', async (t) => {
  const statements = parseStatement(fixture('camt053-reversal-pending.xml'), 'auto');
  const reconciled = await reconcileStatements(statements, source, defaultMatchOptions);
  const report = buildReport('rec-rv', 'camt.053', reconciled.statements, reconciled.findings, 0);
  t.equal(report.trusted, true, 'it foots: the reversal counts, pending and info do not');
  t.same(
    report.findings.map((f) => [f.kind, f.entry?.index, f.entry?.status, f.entry?.reversal]),
    [
      ['not_booked', 2, 'pending', false],
      ['not_booked', 3, 'info', false],
      ['matched', 0, 'booked', false],
      ['missing_internally', 1, 'booked', true],
    ],
  );
  t.match(report.summary, { matched: 1, not_booked: 2, missing_internally: 1 });
  const credit = report.findings.find((f) => f.entry?.index === 0)?.entry;
  t.same(credit?.transactions, [{ reference: 'dep-rv-1', instruction: 'INSTR-77', remittance: 'top-up wallet ann', amountMinor: null }]);
  t.equal(credit?.instruction, 'INSTR-77');
  t.equal(report.findings.find((f) => f.entry?.index === 1)?.entry?.description, 'RETURN OF CREDIT RV-1');
});

t.test('MT940: RC and RD marks are reversals', async (t) => {
  const [statement] = parseStatement(fixture('mt940-swift-types.sta'), 'auto');
  t.same(statement?.entries.map((e) => [e.direction, e.reversal]), [
    ['credit', false],
    ['credit', false],
    ['debit', false],
    ['debit', true],
    ['credit', false],
  ]);
  const [sepa] = parseStatement(fixture('mt940-sepa.sta'), 'auto');
  t.same(sepa?.entries.map((e) => e.reversal), [false, true], 'RD in the SEPA sample');
});
