import t from 'tap';
import { ReadSideRest, readSideRestCheckMsMax, type ReadSideActivity } from '../../../persistence/projections/read-side-rest.js';

function given(idleMs: number) {
  const feed = { written: 10, nowMs: 0 };
  const rest = new ReadSideRest({ idleMs, written: () => feed.written, now: () => feed.nowMs });
  const idle = (applied = feed.written): ReadSideActivity => ({ running: true, asking: 0, applied });
  return { feed, rest, idle };
}

t.test('given a running worker that has applied everything, when nothing is asked or written for the idle time, then it rests', async (t) => {
  const { feed, rest, idle } = given(1_000);
  feed.nowMs = 999;
  t.equal(rest.decide(idle(), false), 'stay', 'not yet idle long enough');
  feed.nowMs = 1_000;
  t.equal(rest.decide(idle(), false), 'rest');
});

t.test('given a running worker, when anything happened since the last look, then the idle time starts again', async (t) => {
  const cases: ReadonlyArray<[string, (f: { written: number }) => ReadSideActivity]> = [
    ['an ask is waiting', () => ({ running: true, asking: 1, applied: 10 })],
    ['the feed was written past what was applied', (f) => ({ running: true, asking: 0, applied: f.written - 1 })],
    ['the worker is being started again', () => ({ running: false, asking: 0, applied: 10 })],
  ];
  for (const [what, activity] of cases) {
    const { feed, rest, idle } = given(1_000);
    feed.nowMs = 5_000;
    t.equal(rest.decide(activity(feed), false), 'stay', what);
    feed.nowMs = 5_999;
    t.equal(rest.decide(idle(), false), 'stay', `${what}: idle counts from then`);
    feed.nowMs = 6_000;
    t.equal(rest.decide(idle(), false), 'rest', `${what}: and rests a whole idle time later`);
  }
  const { feed, rest, idle } = given(1_000);
  feed.nowMs = 5_000;
  feed.written = 12;
  t.equal(rest.decide(idle(12), false), 'stay', 'written and already applied between two looks is activity too');
  feed.nowMs = 5_999;
  t.equal(rest.decide(idle(12), false), 'stay');
  feed.nowMs = 6_000;
  t.equal(rest.decide(idle(12), false), 'rest');
});

t.test('given a running worker, when it is asked something, then the idle time starts again', async (t) => {
  const { feed, rest, idle } = given(1_000);
  feed.nowMs = 900;
  rest.used();
  feed.nowMs = 1_899;
  t.equal(rest.decide(idle(), false), 'stay');
  feed.nowMs = 1_900;
  t.equal(rest.decide(idle(), false), 'rest');
});

t.test('given a resting worker, when the feed is written past what was applied, then it wakes, and only then', async (t) => {
  const { feed, rest, idle } = given(1_000);
  feed.nowMs = 60_000;
  t.equal(rest.decide(idle(), true), 'stay', 'nothing new: it rests on');
  feed.written = 11;
  t.equal(rest.decide(idle(10), true), 'wake');
  feed.nowMs = 60_999;
  t.equal(rest.decide(idle(11), false), 'stay', 'woken, it is in use from then');
});

t.test('it looks at most every second, and at least as often as its idle time', async (t) => {
  t.equal(given(60_000).rest.checkEveryMs, readSideRestCheckMsMax);
  t.equal(given(200).rest.checkEveryMs, 200);
  t.equal(given(0).rest.checkEveryMs, 1);
});
