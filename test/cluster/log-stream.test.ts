import t from 'tap';
import { encode } from '../../cluster/wire.js';
import { feedEntriesOf, packEntry, packEvents, packMessage, positionOf } from '../../cluster/log-stream.js';

const causes = [{ who: 'system', requestId: 'req-1', orderId: null, count: 2 }];
const events = [
  { type: 'transfer_debited', data: { id: 't1', amount: 12_345n, memo: null } },
  { type: 'capital_added', data: { capital: { id: 'c1', principal: 10n ** 20n, shares: [1, 2, 3] } } },
];

t.test('given a message of this version, when a read side takes it apart, then each entry gets the events packed beside it', async (t) => {
  const entry = packEntry({ actorId: 'acct:a', firstSeq: 4, businessDate: '2030-01-01', causes, at: 17 });
  const other = packEntry({ actorId: 'pool:1', firstSeq: 1, businessDate: null, causes: [], at: null });
  const [first, second] = feedEntriesOf(9, packMessage('node-0', [entry, other], [packEvents(events), packEvents([])]));
  t.strictSame(first, { position: positionOf(9, 0), actorId: 'acct:a', firstSeq: 4, businessDate: '2030-01-01', events, causes, at: 17 });
  t.strictSame(second, { position: positionOf(9, 1), actorId: 'pool:1', firstSeq: 1, businessDate: null, events: [], causes: [], at: null });
});

t.test('given a message published before (events inside each entry), when a read side takes it apart, then it reads them as it did', async (t) => {
  const before = encode({ nodeId: 'node-0', entries: [encode({ actorId: 'acct:a', firstSeq: 4, businessDate: null, events, causes, at: 17 })] });
  t.strictSame(feedEntriesOf(3, before), [{ position: positionOf(3, 0), actorId: 'acct:a', firstSeq: 4, businessDate: null, events, causes, at: 17 }]);
  const beforeTheAudit = encode({ nodeId: 'node-0', entries: [encode({ actorId: 'acct:a', firstSeq: 1, businessDate: null, events })] });
  t.strictSame(feedEntriesOf(3, beforeTheAudit)[0]?.causes, [], 'an entry from before the audit trail: no causes');
});
