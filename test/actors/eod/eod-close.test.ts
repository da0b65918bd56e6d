import t from 'tap';
import { EodService, type EodCloseLimits } from '../../../actors/eod/eod-service.js';
import { eodActorId } from '../../../actors/eod/eod-behavior.js';
import { FundcoreNode } from '../../../actors/node.js';
import type { ActorReply } from '../../../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../../../actors/runtime/errors.js';
import type { Bus } from '../../../actors/runtime/relay.js';
import type { EodReport, EodState } from '../../../core/eod/eod.js';
import { dayCutActorIdOf } from '../../../core/eod/day-cut.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { JournalLogFeed, type LogFeed } from '../../../persistence/projections/log-feed.js';
import { JournalReplayStates } from '../../../persistence/projections/projection-states.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { runArchivePlan, type ArchivePlan } from '../../../persistence/archive/archive-plan.js';
import { ReadModel } from '../../../persistence/projections/read-model.js';
import { depositoryAtDay } from '../../../persistence/projections/depository-day.js';
import type { ReadSide } from '../../../persistence/projections/read-side.js';
import { ProjectionRunner } from '../../../persistence/projections/runner.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { quiescent, transfer } from '../../helpers/ledger.js';

const partitionCount = 16;
const day = '2031-05-04';
/** One instant for every command: two nodes given the same traffic journal the same records. */
const fixedNow = Date.UTC(2031, 4, 4, 15);

async function nodeWithTraffic(): Promise<FundcoreNode> {
  const node = await FundcoreNode.boot({ journal: new MemoryJournal(), businessClock: { mode: 'sim', startDate: day }, partitionCount, clock: { now: () => fixedNow } });
  await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
  for (const id of ['a', 'b']) await node.ledger.openAccount({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false });
  for (const [n, [debit, credit, amount]] of [['bank', 'a', '300.00'], ['bank', 'b', '120.50'], ['a', 'b', '40.25']].entries()) {
    await node.ledger.createTransfer(transfer(`t${n}`, debit as string, credit as string, amount as string));
    await quiescent(node);
  }
  await node.clock.change({ advanceDays: 1 });
  return node;
}

/** The node's bus, except that the cuts of `failing` partitions fail the first time they are asked. */
function failingOnce(bus: Bus, failing: readonly number[], failure: (actorId: string) => Promise<ActorReply>): Bus {
  const failed = new Set<string>();
  const targets = new Set(failing.map(dayCutActorIdOf));
  return {
    ask(actorId, message, timeoutMs) {
      if (targets.has(actorId) && !failed.has(actorId)) {
        failed.add(actorId);
        return failure(actorId);
      }
      return bus.ask(actorId, message, timeoutMs);
    },
  };
}

const serviceOver = (node: FundcoreNode, bus: Bus, readSide: ReadSide = node.projections, waits: { timers?: FakeTime; limits?: Partial<EodCloseLimits> } = {}) =>
  new EodService(bus, readSide, partitionCount, () => node.businessClock.today(), () => fixedNow, (input) => node.ledger.transferAnyAccount(input), { depository: (date) => depositoryAtDay(node.projections.model.db, date) }, waits);

const failures: Record<string, (actorId: string) => Promise<ActorReply>> = {
  'no node serves the partition (thrown by the bus)': (actorId) => Promise.reject(new ActorRuntimeError('partition_unavailable', `${actorId}: its node is down`)),
  'the cut is refused (answered)': () => Promise.resolve({ ok: false, code: 'eod_cut_date_invalid', detail: 'refused' }),
};

for (const [name, failure] of Object.entries(failures)) {
  t.test(`a close whose cuts fail once (${name}) ends with that error; closing again finishes it, with the report of a close that never failed`, async (t) => {
    // Given two nodes with the same traffic, the day over
    const [clean, failed] = [await nodeWithTraffic(), await nodeWithTraffic()];
    t.teardown(async () => {
      await clean.stop();
      await failed.stop();
    });
    const expected = await clean.eod.close(day);
    if (!expected.ok) throw new Error(`${expected.code}: ${expected.detail}`);
    t.match(expected.value.trialBalance, [{ currency: 'CNY', debits: 921_50n, credits: 921_50n }], 'the day moved money (460.75, each leg through transit)');

    // When two partitions' cuts fail the first time
    const eod = serviceOver(failed, failingOnce(failed.bus, [5, 11], failure));
    const first = await eod.close(day);
    const code = name.startsWith('no node') ? 'partition_unavailable' : 'eod_cut_date_invalid';
    t.match(first, { ok: false, code, detail: /daycut:5/ }, 'the lowest failed partition is named');
    t.equal(eod.report(day), null, 'no report');
    const state = await failed.bus.ask(eodActorId, { type: 'get_eod' });
    t.match(state, { ok: true, value: { closing: { date: day }, closedThrough: null } }, 'the close stays under way');

    // Then closing again finishes it: the missing markers are added, none twice
    const again = await eod.close(day);
    if (!again.ok) throw new Error(`${again.code}: ${again.detail}`);
    const markers = failed.readModel.db.prepare('select count(*) as n, count(distinct partition) as partitions from day_cuts where date = ?').get(day);
    t.same(markers, { n: BigInt(partitionCount), partitions: BigInt(partitionCount) }, 'one marker per partition');
    t.same(again.value, expected.value, 'the same report as a close that never failed (cut position included)');
    t.same(failed.eod.report(day), expected.value, 'and it is the stored one');
    t.same((await eod.close(day)).ok, true, 'closing a closed day answers its report');
  });
}

/** A read side of its own over the node's journal, which sees no entry past `visibleThrough` (null: all). */
function laggingReadSide(node: FundcoreNode): ReadSide & { visibleThrough: number | null } {
  const journalFeed = new JournalLogFeed(node.journal);
  const side = {
    visibleThrough: null as number | null,
    model: new ReadModel(':memory:', allProjectors),
    runner: null as unknown as ProjectionRunner,
    catchUp: async () => void side.runner.catchUp(),
    catchUpFully: async () => void side.runner.catchUp(),
    position: () => side.model.position(),
    lag: () => side.runner.lag(),
    stop: async () => void side.runner.catchUp(),
    archive: async (plan: ArchivePlan) => (side.runner.catchUp(), runArchivePlan(side.model, plan)),
  };
  const feed: LogFeed = {
    entriesAfter: (position, max) => journalFeed.entriesAfter(position, max).filter((entry) => side.visibleThrough === null || entry.position <= side.visibleThrough),
    lastPosition: () => Math.min(journalFeed.lastPosition(), side.visibleThrough ?? Number.POSITIVE_INFINITY),
  };
  side.runner = new ProjectionRunner(feed, side.model, allProjectors, new JournalReplayStates(node.journal, 100), partitionCount);
  return side;
}

/** Runs the close, moving fake time one check interval at a time until it answers; how many intervals it took. */
async function closeOnFakeTime(eod: EodService, time: FakeTime, intervalMs: number, onInterval: (n: number) => void = () => {}): Promise<{ reply: ActorReply<EodReport>; intervals: number }> {
  let reply: ActorReply<EodReport> | null = null;
  void eod.close(day).then((r) => (reply = r));
  let intervals = 0;
  while (reply === null) {
    await settle();
    // Only the close's wait is on fake time; its asks and journal writes run on their own.
    if (reply === null && time.nextTimerAt() !== null) {
      time.advance(intervalMs);
      onInterval(++intervals);
    }
  }
  return { reply, intervals };
}

t.test('a read side that does not show every marker: the close waits on its timers, bounded, and answers eod_cut_incomplete; closing again once they arrive finishes it', async (t) => {
  const node = await nodeWithTraffic();
  t.teardown(() => node.stop());
  const side = laggingReadSide(node);
  t.teardown(() => side.model.close());
  const time = new FakeTime(fixedNow);
  const limits = { readSideChecksMax: 4, readSideCheckIntervalMs: 250 };
  const eod = serviceOver(node, node.bus, side, { timers: time, limits });

  // Given a read side stuck before the close (a cluster's stream that lags)
  side.visibleThrough = node.journal.lastLogPosition();
  // When the close runs
  const stuck = await closeOnFakeTime(eod, time, limits.readSideCheckIntervalMs);
  // Then it looked four times, three intervals apart, and refused
  t.match(stuck.reply, { ok: false, code: 'eod_cut_incomplete', detail: new RegExp(`0 of the ${partitionCount} cut markers`) });
  t.equal(stuck.intervals, limits.readSideChecksMax - 1, 'bounded: no look after the last');
  t.equal(eod.report(day), null);

  // When the stream catches up during a second close's wait, that close completes
  const caughtUp = await closeOnFakeTime(eod, time, limits.readSideCheckIntervalMs, (n) => {
    if (n === 2) side.visibleThrough = null;
  });
  if (!caughtUp.reply.ok) throw new Error(`${caughtUp.reply.code}: ${caughtUp.reply.detail}`);
  t.equal(caughtUp.intervals, 2, 'it answered at the look after the markers arrived');
  t.equal(caughtUp.reply.value.cutPosition, Number((side.model.db.prepare('select max(position) as p from day_cuts').get() as { p: bigint }).p), 'the cut position is the highest marker');
  await node.projections.catchUpFully();
  t.same(node.eod.report(day), caughtUp.reply.value, "the node's own read side holds the same report");
  const state = (await node.bus.ask(eodActorId, { type: 'get_eod' })) as ActorReply<EodState>;
  t.match(state, { ok: true, value: { closedThrough: day, closing: null } });
});

t.test('a close has at most cutAsksInFlightMax cut asks in flight', async (t) => {
  const node = await nodeWithTraffic();
  t.teardown(() => node.stop());
  let inFlight = 0;
  let inFlightHighest = 0;
  const asked = new Set<string>();
  const counting: Bus = {
    async ask(actorId, message, timeoutMs) {
      if (!actorId.startsWith('daycut:')) return node.bus.ask(actorId, message, timeoutMs);
      asked.add(actorId);
      inFlightHighest = Math.max(inFlightHighest, ++inFlight);
      try {
        return await node.bus.ask(actorId, message, timeoutMs);
      } finally {
        inFlight--;
      }
    },
  };
  const closed = await serviceOver(node, counting, node.projections, { limits: { cutAsksInFlightMax: 3 } }).close(day);
  t.equal(closed.ok, true);
  t.equal(asked.size, partitionCount, 'every partition asked');
  t.equal(inFlightHighest, 3);
});
