import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { encode } from '../../cluster/wire.js';
import { feedEntriesOf, packEntry, packEvents, packMessage, positionOf } from '../../cluster/log-stream.js';
import { LmdbJournal, msgpackArrayLengthOf } from '../../persistence/lmdb-journal.js';
import { tempDir } from '../helpers/ledger.js';

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

t.test('given appends of any events on disk, when a node publishes their stored bytes, then a read side reads the events the journal reads back', async (t) => {
  const journal = new LmdbJournal({ path: join(tempDir(t, 'fundcore-stream-bytes-'), 'journal') });
  t.teardown(() => journal.close());
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.bigInt(), fc.boolean(), fc.constant(null)),
    tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('tree'), { maxKeys: 5 })),
  })).tree;
  const event = fc.record({ type: fc.constantFrom('transfer_debited', 'capital_added', 'repayment_requested'), data: value });
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 20 }), async (events) => {
      const actorId = `prop:${runs++}`;
      const { firstSeq } = await journal.append({ actorId, expectedSeq: 0, events, indexWrites: [] }).durable;
      const bytes = journal.appendedEventBytes(actorId, firstSeq);
      if (bytes === undefined || msgpackArrayLengthOf(bytes) !== events.length) return false;
      const entry = packEntry({ actorId, firstSeq, businessDate: null, causes: [], at: null });
      const [read] = feedEntriesOf(1, packMessage('node-0', [entry], [bytes]));
      t.strictSame(read?.events, [...journal.readEvents(actorId, 1)].map((stored) => stored.event));
      return true;
    }),
    { numRuns: 150 },
  );
  t.equal(journal.appendedEventBytes('prop:0', 2), undefined, 'no record starts there: nothing');
  t.equal(journal.appendedEventBytes('nobody:1', 1), undefined, 'no such actor: nothing');
});
