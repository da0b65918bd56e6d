import t from 'tap';
import { AskDeadlines, type DeadlineEntry } from '../../../actors/runtime/ask-deadlines.js';
import { FakeTime } from '../../helpers/fake-time.js';

function entry(fired: string[], name: string): DeadlineEntry {
  return { bucket: null, onTimeout: () => fired.push(name) };
}

t.test('given asks with mixed timeouts, when time passes, then each times out within one tick of its deadline, never early, in deadline order', async (t) => {
  const time = new FakeTime(1_000_000);
  const deadlines = new AskDeadlines(time, time, 25);
  const fired: string[] = [];
  // Added out of deadline order: a long one first, as a node with a long ask timeout does.
  deadlines.add(600_000, entry(fired, 'long'));
  deadlines.add(100, entry(fired, 'short'));
  deadlines.add(1_000, entry(fired, 'middle'));
  time.advance(99);
  t.same(fired, [], 'nothing before its deadline');
  time.advance(26);
  t.same(fired, ['short'], 'the short one within a tick');
  time.advance(1_000);
  t.same(fired, ['short', 'middle']);
  time.advance(598_000);
  t.same(fired, ['short', 'middle'], 'the long one not yet');
  time.advance(1_000);
  t.same(fired, ['short', 'middle', 'long']);
  t.equal(time.nextTimerAt(), null, 'the sweep stops once nothing waits');
});

t.test('given an ask answered in time, then it never times out, and the sweep stops after its bucket', async (t) => {
  const time = new FakeTime(1_000_000);
  const deadlines = new AskDeadlines(time, time, 25);
  const fired: string[] = [];
  const answered = entry(fired, 'answered');
  deadlines.add(100, answered);
  deadlines.add(200, entry(fired, 'late'));
  deadlines.clear(answered);
  t.equal(answered.bucket, null);
  time.advance(1_000);
  t.same(fired, ['late']);
  t.equal(time.nextTimerAt(), null);
});

t.test('given a timeout that asks again, when it fires, then the new ask waits its own full timeout', async (t) => {
  const time = new FakeTime(1_000_000);
  const deadlines = new AskDeadlines(time, time, 25);
  const fired: string[] = [];
  let askedAgainAt = 0;
  const again: DeadlineEntry = { bucket: null, onTimeout: () => fired.push(`again after ${time.now() - askedAgainAt} ms`) };
  const first: DeadlineEntry = {
    bucket: null,
    onTimeout: () => {
      fired.push('first');
      askedAgainAt = time.now();
      deadlines.add(100, again);
    },
  };
  deadlines.add(100, first);
  time.advance(125);
  t.same(fired, ['first']);
  time.advance(200);
  t.same(fired, ['first', 'again after 100 ms'], 'its full timeout, not early');
});
