import { join } from 'node:path';
import { open } from 'lmdb';
import t from 'tap';
import { partitionOfActor } from '../../core/ledger/partition.js';
import { FundcoreNode } from '../../actors/node.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { tempDir } from '../helpers/ledger.js';

const partitionCount = 16;

/** Appends `rounds` records to each of `actors` actors (several partitions), one event each, 1 amount each. */
async function fill(journal: LmdbJournal, actors: number, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      Array.from({ length: actors }, (_, a) =>
        journal.append({ actorId: `thing:${a}`, expectedSeq: round, events: [{ type: 'thing_moved', data: { round, amount: BigInt(round * 100 + a) } }], indexWrites: [] }).durable,
      ),
    );
  }
}

/** The environment opened raw, the journal closed: what someone with the files could change. */
async function tamper(path: string, change: (dbs: { events: any; log: any; chain: any }) => void): Promise<void> {
  const root = open({ path });
  const dbs = { events: root.openDB({ name: 'events', encoding: 'binary' }), log: root.openDB({ name: 'log', encoding: 'binary' }), chain: root.openDB({ name: 'chain', encoding: 'binary' }) };
  root.transactionSync(() => change(dbs));
  await root.close();
}

t.test('given appends on several partitions, when verified, then every link holds and each partition has its head', async (t) => {
  const path = join(tempDir(t, 'fundcore-chain-'), 'journal');
  const journal = new LmdbJournal({ path, partitionCount });
  await fill(journal, 12, 5);
  await journal.append({ actorId: 'thing:0', expectedSeq: 5, events: [], indexWrites: [], snapshot: { n: 5 } }).durable;
  const verified = journal.verifyChain();
  t.equal(verified.broken, null);
  t.equal(verified.entries + verified.unsealedAtEnd, 60, 'a snapshot-only append is no log entry and no link');
  const partitions = new Set(Array.from({ length: 12 }, (_, a) => partitionOfActor(`thing:${a}`, partitionCount)));
  t.same([...verified.heads.keys()].sort((a, b) => a - b), [...partitions].sort((a, b) => a - b));
  await journal.close();
  const reopened = new LmdbJournal({ path, partitionCount });
  t.teardown(() => reopened.close());
  const again = reopened.verifyChain();
  t.equal(again.broken, null);
  t.equal(again.unsealedAtEnd, 0, 'every entry sealed once the appends were durable');
  t.same(reopened.chainHeads(), again.heads, 'the heads the sealer resumed at are the verified ones');
});

t.test('a flipped byte in an old event record is found, naming its entry; the partition is broken from there on', async (t) => {
  const path = join(tempDir(t, 'fundcore-chain-'), 'journal');
  const journal = new LmdbJournal({ path, partitionCount });
  await fill(journal, 6, 4);
  const target = [...journal.readLog(1)].find((entry) => entry.actorId === 'thing:3' && entry.firstSeq === 2);
  await journal.close();
  if (target === undefined) throw new Error('no entry of thing:3 at seq 2');
  await tamper(path, ({ events }) => {
    const bytes = Buffer.from(events.getBinary(['thing:3', 2]));
    const at = bytes.indexOf('thing_moved');
    bytes[at] = 'T'.charCodeAt(0);
    events.putSync(['thing:3', 2], bytes);
  });
  const reopened = new LmdbJournal({ path, partitionCount });
  t.teardown(() => reopened.close());
  const verified = reopened.verifyChain();
  t.same(verified.broken, { position: target.position, actorId: 'thing:3', firstSeq: 2, partition: partitionOfActor('thing:3', partitionCount), reason: 'hash_mismatch' });
  t.equal(reopened.readEvents('thing:3', 2)[Symbol.iterator]().next().value?.event.type, 'Thing_moved', 'the change decodes: only the chain sees it');
});

t.test('an edited log entry, or a removed events record, is found', async (t) => {
  const path = join(tempDir(t, 'fundcore-chain-'), 'journal');
  const journal = new LmdbJournal({ path, partitionCount });
  await fill(journal, 4, 3);
  const entries = [...journal.readLog(1)];
  await journal.close();
  const edited = entries[5] as (typeof entries)[number];
  const removed = entries[9] as (typeof entries)[number];
  await tamper(path, ({ log }) => {
    const bytes = Buffer.from(log.getBinary(edited.position));
    const at = bytes.indexOf(edited.actorId);
    bytes[at + edited.actorId.length - 1] = '9'.charCodeAt(0);
    log.putSync(edited.position, bytes);
  });
  let reopened = new LmdbJournal({ path, partitionCount });
  const broken = reopened.verifyChain().broken;
  t.equal(broken?.position, edited.position, 'the entry says another actor now: its link breaks');
  t.ok(broken?.reason === 'hash_mismatch' || broken?.reason === 'events_missing', `reason ${broken?.reason}`);
  await reopened.close();
  await tamper(path, ({ log, events }) => {
    log.putSync(edited.position, log.getBinary(edited.position));
    events.removeSync([removed.actorId, removed.firstSeq]);
  });
  reopened = new LmdbJournal({ path, partitionCount });
  t.teardown(() => reopened.close());
  t.match(reopened.verifyChain().broken, { position: edited.position }, 'the first break is still reported first');
});

t.test('entries a crash left unsealed, and a journal from before the chain, are sealed at the next start', async (t) => {
  const path = join(tempDir(t, 'fundcore-chain-'), 'journal');
  const journal = new LmdbJournal({ path, partitionCount });
  await fill(journal, 5, 4);
  const before = journal.verifyChain();
  await journal.close();
  const last = Math.max(...[...before.heads.values()].map((head) => head.position));
  await tamper(path, ({ chain }) => {
    chain.removeSync(last);
    chain.removeSync(last - 1);
  });
  const readOnly = new LmdbJournal({ path, partitionCount, readOnly: true });
  const seen = readOnly.verifyChain();
  t.equal(seen.broken, null, 'unsealed entries at the end of the log are no break');
  t.equal(seen.unsealedAtEnd, 2);
  await readOnly.close();
  await tamper(path, ({ chain }) => chain.removeSync(3));
  const gap = new LmdbJournal({ path, partitionCount, readOnly: true });
  t.match(gap.verifyChain().broken, { position: 3, reason: 'unsealed' }, 'an unsealed entry before sealed ones is a removed link');
  await gap.close();
  await tamper(path, ({ chain }) => chain.clearSync());
  const upgraded = new LmdbJournal({ path, partitionCount });
  t.teardown(() => upgraded.close());
  const after = upgraded.verifyChain();
  t.equal(after.broken, null);
  t.equal(after.unsealedAtEnd, 0);
  t.same(after.heads, before.heads, 'sealed again from the stored bytes: the same links');
});

t.test('an append refused by its conditional write leaves no link: the chain goes on from the entry before', async (t) => {
  const path = join(tempDir(t, 'fundcore-chain-'), 'journal');
  const journal = new LmdbJournal({ path, partitionCount });
  t.teardown(() => journal.close());
  await fill(journal, 3, 2);
  // Both pass the head check in this turn; the second finds the first's key at commit.
  const first = journal.append({ actorId: 'thing:1', expectedSeq: 2, events: [{ type: 'a' }], indexWrites: [] });
  const second = journal.append({ actorId: 'thing:1', expectedSeq: 2, events: [{ type: 'b' }], indexWrites: [] });
  await first.durable;
  await t.rejects(second.durable, { name: 'JournalConflictError' });
  await journal.append({ actorId: 'thing:1', expectedSeq: journal.headSeq('thing:1'), events: [{ type: 'd' }], indexWrites: [] }).durable;
  await journal.linksWritten();
  const verified = journal.verifyChain();
  t.equal(verified.broken, null);
  t.equal(verified.unsealedAtEnd, 0);
});

t.test('a journal keeps the partition count it was chained by', async (t) => {
  const path = join(tempDir(t, 'fundcore-chain-'), 'journal');
  await new LmdbJournal({ path, partitionCount }).close();
  t.throws(() => new LmdbJournal({ path, partitionCount: 32 }), /chained by 16 partitions; this node runs 32/);
  const unsaid = new LmdbJournal({ path });
  t.equal(unsaid.partitionCount, 16, 'a reader that does not say takes the stored one');
  await unsaid.close();
});

t.test('health says whether the journal is being sealed', async (t) => {
  const journal = new LmdbJournal({ path: join(tempDir(t, 'fundcore-chain-'), 'journal') });
  const node = FundcoreNode.start({ journal });
  t.teardown(() => node.stop());
  t.equal(node.health().journalChain, 'sealing');
  journal.sealingFailed = new Error('a read failed');
  t.equal(node.health().journalChain, 'stopped', 'a sealing that failed shows; appends go on');
});
