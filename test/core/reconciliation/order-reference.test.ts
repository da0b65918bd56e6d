import t from 'tap';
import { isOrderNo, orderNoIn, referenceAmong } from '../../../core/reconciliation/order-reference.js';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';

/** Issue 18, defect 11: our order number wherever the bank put it. */
t.test('the order-number pattern finds ours in free text and tells others apart', async (t) => {
  const cases: [string, string | null][] = [
    ['dep-1001', 'dep-1001'],
    ['PAYMENT dep-ann-7. THANK YOU', 'dep-ann-7'],
    ['/EREF/wd-0042/', 'wd-0042'],
    ['rp-loan-1-3 installment', 'rp-loan-1-3'],
    ['disb-loan_9:', 'disb-loan_9'],
    ['xfer-loan-1-2', 'xfer-loan-1-2'],
    ['INV-2026-0001', null],
    ['sidep-1', null],
    ['NONREF', null],
  ];
  for (const [text, found] of cases) t.equal(orderNoIn(text), found, text);
  t.ok(isOrderNo('open-ann'));
  t.notOk(isOrderNo('open-ann extra'));
  t.equal(referenceAmong(['E2E-OTHER-BANK', 'dep-9'], []), 'dep-9', 'ours in the instruction id beats a foreign end-to-end id');
  t.equal(referenceAmong(['E2E-OTHER-BANK', null], ['for wd-7 thanks']), 'wd-7', 'ours in the remittance text');
  t.equal(referenceAmong(['E2E-OTHER-BANK', null], ['no order here']), 'E2E-OTHER-BANK', 'none of ours: the reference as given');
  t.equal(referenceAmong([null, null], [null]), null);
});

t.test('each format: the reference from every place banks use', async (t) => {
  const camt = (refs: string) =>
    `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-01-05T10:00:00</CreDtTm></GrpHdr><Ntfctn><Id>N</Id><Acct><Id><Othr><Id>ann</Id></Othr></Id></Acct><Ntry><Amt Ccy="CNY">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls><TxDtls>${refs}</TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
  const camtReference = (refs: string) => parseStatement(camt(refs), 'auto')[0]?.entries[0]?.reference;
  t.equal(camtReference('<Refs><EndToEndId>dep-a</EndToEndId></Refs>'), 'dep-a', 'camt end-to-end id');
  t.equal(camtReference('<Refs><InstrId>dep-b</InstrId><EndToEndId>NOTPROVIDED</EndToEndId></Refs>'), 'dep-b', 'camt instruction id');
  t.equal(camtReference('<Refs><EndToEndId>THEIRS-1</EndToEndId></Refs><RmtInf><Ustrd>top-up dep-c</Ustrd></RmtInf>'), 'dep-c', 'camt Ustrd');
  const mt940 = (line61: string, line86: string) => parseStatement(`:20:A\n:25:ann\n:60F:C260105CNY0,\n:61:${line61}\n:86:${line86}\n:62F:C260105CNY1,\n-`, 'mt940')[0]?.entries[0]?.reference;
  t.equal(mt940('260105C1,NTRFdep-d', 'NOTHING'), 'dep-d', 'MT940 :61: customer reference');
  t.equal(mt940('260105C1,NTRFNONREF', '166?20EREF+dep-e'), 'dep-e', 'MT940 :86: EREF+');
  t.equal(mt940('260105C1,NTRFTHEIRS-2', 'TOP-UP FOR ORDER dep-f OF ANN'), 'dep-f', 'MT940 :86: free text');
  const [csv] = parseStatement('ref,amount,date,memo\n,1.00,2026-01-05,recharge dep-g\n', 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date', description: 'memo' }, currency: 'CNY' });
  t.equal(csv?.entries[0]?.reference, 'dep-g', 'CSV description');
});
