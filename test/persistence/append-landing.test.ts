import t from 'tap';
import { AppendLanding } from '../../persistence/append-landing.js';

const onDisk = (position: number) => () => position;

t.test('given an empty log, when appends are issued, then each is conditioned on the one issued before it', async (t) => {
  const landing = new AppendLanding(0);
  t.equal(landing.issued(1), null, 'the first: nothing before it');
  t.equal(landing.issued(2), 1);
  t.equal(landing.issued(null), null, 'a snapshot-only append: no condition');
  t.equal(landing.issued(3), 2, 'a snapshot-only append is no one\'s predecessor');
  t.equal(landing.appendsInFlight, 4);
});

t.test('given a log that ends at 41, when the next append is issued, then it is conditioned on 41', async (t) => {
  const landing = new AppendLanding(41);
  t.ok(landing.mayIssue(onDisk(41)));
  t.equal(landing.issued(42), 41);
});

t.test('given appends in flight, when one does not land, then nothing is issued until all have settled', async (t) => {
  const landing = new AppendLanding(10);
  landing.issued(11);
  landing.issued(12);
  landing.settled(false);
  t.notOk(landing.mayIssue(onDisk(10)), 'refused: 12 is still in flight');
  landing.settled(false);
  t.equal(landing.appendsInFlight, 0);
  t.ok(landing.mayIssue(onDisk(10)), 'taken again once all settled');
  t.equal(landing.issued(13), 10, 'conditioned on the last entry on disk, not on 12 (never written)');
});

t.test('given appends that all land, when they settle, then nothing is refused and the chain goes on', async (t) => {
  const landing = new AppendLanding(0);
  landing.issued(1);
  landing.settled(true);
  t.ok(landing.mayIssue(onDisk(1)));
  t.equal(landing.issued(2), 1);
});

t.test('given a break, when it is taken up again, then the log end is read once, at that moment', async (t) => {
  const landing = new AppendLanding(5);
  let reads = 0;
  const lastLanded = () => {
    reads++;
    return 7;
  };
  t.ok(landing.mayIssue(lastLanded), 'no break: the log end is not read');
  landing.issued(6);
  landing.settled(false);
  t.equal(reads, 0);
  t.ok(landing.mayIssue(lastLanded));
  t.equal(reads, 1);
  t.equal(landing.issued(9), 7);
  t.ok(landing.mayIssue(lastLanded));
  t.equal(reads, 1, 'read only when a break is taken up');
});
