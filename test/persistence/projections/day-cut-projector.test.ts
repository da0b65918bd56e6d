import t from 'tap';
import { dayCutActorIdOf, type DayCutEvent } from '../../../core/eod/day-cut.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { partitionOfActor } from '../../../core/ledger/partition.js';
import { cutMarkersOf } from '../../../persistence/projections/business-day.js';
import type { FeedEntry, LogFeed } from '../../../persistence/projections/log-feed.js';
import { StoredStates } from '../../../persistence/projections/projection-states.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel } from '../../../persistence/projections/read-model.js';
import { ProjectionRunner } from '../../../persistence/projections/runner.js';

/**
 * The cut rule under a cluster's feed: partitions arrive interleaved in any order, each in
 * its own order. Entries are made by hand, so the interleaving is exactly the one described.
 */
const partitionCount = 4;
const day = '2031-03-05';
const nextDay = '2031-03-06';
const at = Date.UTC(2031, 2, 5, 12);

/** The first wallet whose account actor is on the partition. */
function walletOn(partition: number): string {
  for (let i = 0; ; i++) if (partitionOfActor(`acct:w${i}`, partitionCount) === partition) return `w${i}`;
}
const p = 0;
const q = 1;
const [walletP, walletQ] = [walletOn(p), walletOn(q)];

/** A feed over a fixed list of entries (positions as given), delivered in `step`s. */
function feedOf(entries: readonly FeedEntry[]): LogFeed {
  return {
    entriesAfter: (position, max) => entries.filter((e) => e.position > position).slice(0, max),
    lastPosition: () => entries[entries.length - 1]?.position ?? 0,
  };
}

function credited(position: number, wallet: string, seq: number, transferId: string, businessDate: string): FeedEntry {
  const event: AccountEvent = { type: 'transfer_credited', data: { credit: { transferId, account: wallet, debit: 'bank', amount: 100n, currency: 'CNY', reverses: null, creditedAt: at } } };
  return { position, actorId: `acct:${wallet}`, firstSeq: seq, businessDate, events: [event], causes: [], at: null };
}

function cut(position: number, partition: number, date: string): FeedEntry {
  const event: DayCutEvent = { type: 'day_cut', data: { date, at } };
  return { position, actorId: dayCutActorIdOf(partition), firstSeq: 1, businessDate: date, events: [event], causes: [], at: null };
}

function project(entries: readonly FeedEntry[]): ReadModel {
  const model = new ReadModel(':memory:', allProjectors);
  new ProjectionRunner(feedOf(entries), model, allProjectors, new StoredStates(model.db, 100), partitionCount).catchUp();
  return model;
}

const dayOfTransfer = (model: ReadModel, transferId: string) =>
  (model.db.prepare("select day from legs where transfer_id = ? and account <> '~transit'").get(transferId) as { day: string }).day;

// Given p's cut early in the feed and q's late, with postings of both around them, all made on the 5th:
const interleaved = [
  credited(1, walletP, 1, 'p-before', day),
  cut(2, p, day),
  credited(3, walletP, 2, 'p-after', day), // after p's cut, though below q's cut in the feed
  credited(4, walletQ, 1, 'q-before', day), // before q's cut, though after p's
  cut(5, q, day),
  credited(6, walletQ, 2, 'q-after', day),
  cut(7, 2, day),
  credited(8, walletP, 3, 'p-next', nextDay),
  cut(9, 3, day),
];

t.test("a posting after its own partition's cut goes to the next open day, even below another partition's cut in the feed", async (t) => {
  const model = project(interleaved);
  t.teardown(() => model.close());
  t.equal(dayOfTransfer(model, 'p-before'), day);
  t.equal(dayOfTransfer(model, 'p-after'), nextDay, 'after p was cut for the 5th');
  t.equal(dayOfTransfer(model, 'p-next'), nextDay, 'made on the 6th');
});

t.test("a posting before its own partition's cut stays in the day, even applied after another partition's cut", async (t) => {
  const model = project(interleaved);
  t.teardown(() => model.close());
  t.equal(dayOfTransfer(model, 'q-before'), day, "q was not cut yet: p's cut says nothing about q");
  t.equal(dayOfTransfer(model, 'q-after'), nextDay);
  const legs = model.db.prepare('select day, count(*) as n from legs group by day order by day').all() as { day: string; n: bigint }[];
  t.same(legs, [{ day, n: 4n }, { day: nextDay, n: 6n }], 'each posting has its credit leg and its transit leg on the same day');
});

t.test('the same partitions in another interleaving, or every entry twice, give the same days', async (t) => {
  // Each partition keeps its order; q's cut now arrives first, and every position changes.
  const others = [
    credited(1, walletQ, 1, 'q-before', day),
    cut(2, q, day),
    cut(3, 3, day),
    credited(4, walletQ, 2, 'q-after', day),
    credited(5, walletP, 1, 'p-before', day),
    cut(6, 2, day),
    cut(7, p, day),
    credited(8, walletP, 2, 'p-after', day),
    credited(9, walletP, 3, 'p-next', nextDay),
  ];
  const twice = interleaved.flatMap((entry) => [entry, entry]);
  const daysOf = (model: ReadModel) => model.db.prepare('select transfer_id, account, side, day from legs order by transfer_id, account, side').all();
  const [first, second, doubled] = [project(interleaved), project(others), project(twice)];
  t.teardown(() => [first, second, doubled].forEach((m) => m.close()));
  t.same(daysOf(second), daysOf(first));
  t.same(daysOf(doubled), daysOf(first), 'a redelivered entry is applied once');
});

t.test('the markers the read model holds for a day, and the highest position among them', async (t) => {
  const partial = project(interleaved.slice(0, 6));
  const whole = project(interleaved);
  t.teardown(() => [partial, whole].forEach((m) => m.close()));
  t.same(cutMarkersOf(partial.db, day, partitionCount), { partitions: 2, highestPosition: 5 }, "p's and q's: the close keeps waiting");
  t.same(cutMarkersOf(whole.db, day, partitionCount), { partitions: 4, highestPosition: 9 });
  t.same(cutMarkersOf(whole.db, nextDay, partitionCount), { partitions: 0, highestPosition: null });
  t.same(cutMarkersOf(whole.db, day, 2), { partitions: 2, highestPosition: 5 }, 'only partitions of the deployment count');
});
