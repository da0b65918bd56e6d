import type { Test } from 'tap';
import { JournalConflictError, type Journal } from '../../persistence/journal.js';

/** Opens a journal; `reopen` closes it and opens the same store again, as a restart would. */
export interface JournalHarness {
  open(): Promise<Journal>;
  reopen(journal: Journal): Promise<Journal>;
}

const event = (n: number) => ({ type: 'thing_happened', data: { n, amount: 10n ** 20n + BigInt(n) } });

/** The contract every Journal keeps. Run by memory-journal.test.ts and lmdb-journal.test.ts. */
export function journalContract(t: Test, harness: JournalHarness): void {
  t.test('appends get consecutive seqs and read back in order, bigints intact', async (t) => {
    const journal = await harness.open();
    const first = await journal.append({ actorId: 'a:1', expectedSeq: 0, events: [event(1), event(2)], indexWrites: [] }).durable;
    const second = await journal.append({ actorId: 'a:1', expectedSeq: 2, events: [event(3)], indexWrites: [] }).durable;
    t.same([first.firstSeq, first.lastSeq, second.firstSeq, second.lastSeq], [1, 2, 3, 3]);
    t.equal(journal.headSeq('a:1'), 3);
    const all = [...journal.readEvents('a:1', 1)];
    t.same(all.map((e) => e.seq), [1, 2, 3]);
    t.same(all[2]?.event, event(3));
    t.same([...journal.readEvents('a:1', 2)].map((e) => e.seq), [2, 3], 'reading from inside a batch record');
    t.same([...journal.readEvents('a:10', 1)], [], 'an actor whose id extends another has its own range');
    await journal.close();
  });

  t.test('a log entry keeps who caused its events (runs over them) and when, across a restart; an append that says nothing keeps none', async (t) => {
    let journal = await harness.open();
    const causes = [
      { who: 'client:0123456789ab', requestId: 'req-1', orderId: 'o-1', count: 2 },
      { who: 'system', requestId: null, orderId: null, count: 1 },
    ];
    await journal.append({ actorId: 'aud:1', expectedSeq: 0, events: [event(1), event(2), event(3)], indexWrites: [], causes, at: 1_700_000_000_123 }).durable;
    await journal.append({ actorId: 'aud:1', expectedSeq: 3, events: [event(4)], indexWrites: [] }).durable;
    journal = await harness.reopen(journal);
    const [first, second] = [...journal.readLog(1)].filter((entry) => entry.actorId === 'aud:1');
    t.same(first?.causes, causes);
    t.equal(first?.at, 1_700_000_000_123);
    t.same(second?.causes, []);
    t.equal(second?.at, null);
    await journal.close();
  });

  t.test('actor ids are listed in id order by prefix, paged after a cursor, without actors that have no events', async (t) => {
    const journal = await harness.open();
    for (const id of ['lst:b', 'lst:a', 'lst:c#1', 'lst:c', 'lsu:x', 'ls:z']) {
      await journal.append({ actorId: id, expectedSeq: 0, events: [event(1)], indexWrites: [] }).durable;
      await journal.append({ actorId: id, expectedSeq: 1, events: [event(2), event(3)], indexWrites: [] }).durable;
    }
    t.same(journal.listActorIds({ prefix: 'lst:', limit: 10 }), ['lst:a', 'lst:b', 'lst:c', 'lst:c#1']);
    t.same(journal.listActorIds({ prefix: 'lst:', limit: 2 }), ['lst:a', 'lst:b'], 'at most limit');
    t.same(journal.listActorIds({ prefix: 'lst:', after: 'lst:b', limit: 10 }), ['lst:c', 'lst:c#1'], 'after the cursor, exclusive');
    t.same(journal.listActorIds({ prefix: 'lst:', after: 'lst:c#1', limit: 10 }), [], 'nothing after the last');
    t.same(journal.listActorIds({ prefix: 'ls', limit: 10 }).filter((id) => id.startsWith('ls')), ['ls:z', 'lst:a', 'lst:b', 'lst:c', 'lst:c#1', 'lsu:x']);
    t.same(journal.listActorIds({ prefix: 'nobody:', limit: 10 }), []);
    await journal.close();
  });

  t.test('an append with a stale expected seq is refused and writes nothing', async (t) => {
    const journal = await harness.open();
    await journal.append({ actorId: 'a:2', expectedSeq: 0, events: [event(1)], indexWrites: [] }).durable;
    await t.rejects(
      journal.append({ actorId: 'a:2', expectedSeq: 0, events: [event(9)], indexWrites: [{ index: 'transfers', key: 'x', value: 1 }] }).durable,
      JournalConflictError,
    );
    await t.rejects(journal.append({ actorId: 'a:2', expectedSeq: 5, events: [event(9)], indexWrites: [] }).durable, JournalConflictError);
    t.equal(journal.headSeq('a:2'), 1);
    t.equal(journal.getIndex('transfers', 'x'), undefined, 'the index write of a refused append is not applied');
    await journal.close();
  });

  t.test('two appends racing on the same expected seq: exactly one wins', async (t) => {
    const journal = await harness.open();
    const racing = [1, 2].map((n) => journal.append({ actorId: 'a:3', expectedSeq: 0, events: [event(n)], indexWrites: [] }).durable);
    const outcomes = await Promise.allSettled(racing);
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    t.equal(journal.headSeq('a:3'), 1);
    await journal.close();
  });

  t.test('index writes land with the events; null removes', async (t) => {
    const journal = await harness.open();
    await journal.append({
      actorId: 'a:4',
      expectedSeq: 0,
      events: [event(1)],
      indexWrites: [
        { index: 'transfers', key: 't1', value: { amount: 5n } },
        { index: 'timers', key: 'a:4', value: 1000 },
      ],
    }).durable;
    t.same(journal.getIndex('transfers', 't1'), { amount: 5n });
    await journal.append({ actorId: 'a:4', expectedSeq: 1, events: [event(2)], indexWrites: [{ index: 'timers', key: 'a:4', value: null }] }).durable;
    t.equal(journal.getIndex('timers', 'a:4'), undefined);
    t.same([...journal.scanIndex('transfers')].map((e) => e.key), ['t1']);
    await journal.close();
  });

  t.test('an index scanned by key prefix, in key order', async (t) => {
    const journal = await harness.open();
    const keys = ['inv-2/c1', 'inv-1/c2', 'inv-10/c1', 'inv-1/c1', 'inv-/x', 'inw-1/c1'];
    await journal.append({ actorId: 'a:6', expectedSeq: 0, events: [event(1)], indexWrites: keys.map((key) => ({ index: 'credits', key, value: key })) })
      .durable;
    t.same([...journal.scanIndex('credits', 'inv-1/')].map((e) => e.key), ['inv-1/c1', 'inv-1/c2']);
    t.same([...journal.scanIndex('credits', 'inv-')].map((e) => e.value), ['inv-/x', 'inv-1/c1', 'inv-1/c2', 'inv-10/c1', 'inv-2/c1']);
    t.same([...journal.scanIndex('credits', 'zzz')], []);
    await journal.close();
  });

  t.test('snapshots: latest wins, taken at the seq after the append; snapshot-only appends', async (t) => {
    const journal = await harness.open();
    await journal.append({ actorId: 'a:5', expectedSeq: 0, events: [event(1), event(2)], indexWrites: [], snapshot: { s: 2n } }).durable;
    t.same(journal.readSnapshot('a:5'), { seq: 2, state: { s: 2n } });
    const snapshotOnly = await journal.append({ actorId: 'a:5', expectedSeq: 2, events: [], indexWrites: [], snapshot: { s: 3n, m: new Map([['k', 1n]]) } })
      .durable;
    t.equal(snapshotOnly.logPosition, null, 'no events, no log entry');
    t.same(journal.readSnapshot('a:5'), { seq: 2, state: { s: 3n, m: new Map([['k', 1n]]) } });
    t.equal(journal.headSeq('a:5'), 2);
    await journal.close();
  });

  t.test('the node log orders appends across actors', async (t) => {
    const journal = await harness.open();
    const a = journal.append({ actorId: 'b:1', expectedSeq: 0, events: [event(1), event(2)], indexWrites: [] });
    const b = journal.append({ actorId: 'b:2', expectedSeq: 0, events: [event(1)], indexWrites: [] });
    await Promise.all([a.durable, b.durable]);
    t.ok(a.logPosition !== null && b.logPosition !== null && a.logPosition < b.logPosition);
    const entries = [...journal.readLog(a.logPosition ?? 0)];
    t.same(
      entries.map((e) => [e.actorId, e.firstSeq, e.count]),
      [
        ['b:1', 1, 2],
        ['b:2', 1, 1],
      ],
    );
    t.equal(journal.lastLogPosition(), b.logPosition);
    const dated = await journal.append({ actorId: 'b:3', expectedSeq: 0, events: [event(1)], indexWrites: [], businessDate: '2026-05-01' }).durable;
    t.same([...journal.readLog(dated.logPosition ?? 0)].map((e) => e.businessDate), ['2026-05-01'], 'the business date rides on the log entry');
    t.equal(entries[0]?.businessDate, null, 'none given, none kept');
    await journal.close();
  });

  t.test('the fencing epoch of an append is stamped on its log entry (null without one), across a reopen', async (t) => {
    let journal = await harness.open();
    const fenced = await journal.append({ actorId: 'e:1', expectedSeq: 0, events: [event(1)], indexWrites: [], epoch: 41 }).durable;
    const unfenced = await journal.append({ actorId: 'e:2', expectedSeq: 0, events: [event(1)], indexWrites: [] }).durable;
    journal = await harness.reopen(journal);
    const epochs = [...journal.readLog(fenced.logPosition ?? 0)].map((e) => [e.actorId, e.epoch]);
    t.same(epochs, [
      ['e:1', 41],
      ['e:2', null],
    ]);
    t.ok((unfenced.logPosition ?? 0) > (fenced.logPosition ?? 0));
    await journal.close();
  });

  t.test('what was durable is there after a reopen; the log continues after it', async (t) => {
    let journal = await harness.open();
    const before = await journal.append({ actorId: 'c:1', expectedSeq: 0, events: [event(1)], indexWrites: [{ index: 'credits', key: 'k', value: 'v' }] })
      .durable;
    journal.putMeta('cursor', 7);
    journal = await harness.reopen(journal);
    t.equal(journal.headSeq('c:1'), 1);
    t.same([...journal.readEvents('c:1', 1)].map((e) => e.event), [event(1)]);
    t.equal(journal.getIndex('credits', 'k'), 'v');
    t.equal(journal.getMeta('cursor'), 7);
    const after = await journal.append({ actorId: 'c:1', expectedSeq: 1, events: [event(2)], indexWrites: [] }).durable;
    t.ok((after.logPosition ?? 0) > (before.logPosition ?? 0), 'log positions keep growing across restarts');
    await journal.close();
  });

  t.test('index entries written now (a start-up migration) are there at once and after a reopen; null removes; no log entry', async (t) => {
    let journal = await harness.open();
    const logBefore = journal.lastLogPosition();
    journal.writeIndexesNow([
      { index: 'interest_flows', key: 'alice/f1', value: 1 },
      { index: 'interest_flows', key: 'alice/f2', value: 2 },
    ]);
    t.equal(journal.getIndex('interest_flows', 'alice/f1'), 1, 'read back before any await');
    journal.writeIndexesNow([{ index: 'interest_flows', key: 'alice/f2', value: null }]);
    journal = await harness.reopen(journal);
    t.equal(journal.getIndex('interest_flows', 'alice/f1'), 1);
    t.equal(journal.getIndex('interest_flows', 'alice/f2'), undefined);
    t.equal(journal.lastLogPosition(), logBefore, 'nothing in the log: no actor appended');
    await journal.close();
    t.throws(() => journal.writeIndexesNow([{ index: 'interest_flows', key: 'x', value: 1 }]), 'refused once closed');
  });
}
