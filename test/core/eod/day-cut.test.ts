import t, { type Test } from 'tap';
import { dayCutActorIdOf, dayCutDecider, decideDayCut, evolveDayCut, initialDayCutState, partitionNamedByDayCut, type DayCutCommand, type DayCutEvent } from '../../../core/eod/day-cut.js';
import { isRejection } from '../../../core/rejection.js';

const at = 1_900_000_000_000;

function given(...events: DayCutEvent[]) {
  const state = events.reduce(evolveDayCut, initialDayCutState);
  return {
    when: (command: DayCutCommand) => ({
      then: (t: Test, expected: DayCutEvent[], message?: string) => t.same(decideDayCut(state, command), expected, message ?? 'decided'),
      rejects: (t: Test, code: string, message?: string) => {
        const decision = decideDayCut(state, command);
        t.ok(isRejection(decision) && decision.code === code, message ?? code);
      },
    }),
  };
}

const head = { position: 41, hash: 'ab'.repeat(32) };
const cut = (date: string, chainHead: { position: number; hash: string } | null = head): DayCutCommand => ({ type: 'cut_day', data: { date, at, chainHead } });
const marker = (date: string, chainHead: { position: number; hash: string } | null = head): DayCutEvent => ({ type: 'day_cut', data: { date, at, chainHead } });

t.test('cut_day: a partition with no cut yet journals the marker', async (t) => {
  given().when(cut('2031-03-05')).then(t, [marker('2031-03-05')]);
});

t.test('cut_day: the marker records the chain head the command brings, or none', async (t) => {
  given().when(cut('2031-03-05', null)).then(t, [marker('2031-03-05', null)], 'a journal without a chain: none');
  given().when(cut('2031-03-05', { position: 7, hash: 'cd'.repeat(32) })).then(t, [marker('2031-03-05', { position: 7, hash: 'cd'.repeat(32) })]);
});

t.test('cut_day: a later date cuts again (days between, never closed, are folded into it)', async (t) => {
  given(marker('2031-03-05')).when(cut('2031-03-06')).then(t, [marker('2031-03-06')]);
  given(marker('2031-03-05')).when(cut('2031-03-09')).then(t, [marker('2031-03-09')], 'a close folding days cuts once, at its own date');
});

t.test('cut_day: precedence — an invalid date first, then nothing for a date already cut', async (t) => {
  given(marker('2031-03-05')).when(cut('2031-02-30')).rejects(t, 'eod_cut_date_invalid', '1. no business date (before the idempotence check)');
  given().when(cut('tomorrow')).rejects(t, 'eod_cut_date_invalid', '1. not a date at all');
  given(marker('2031-03-05')).when(cut('2031-03-05')).then(t, [], '2. the same date again (a retried close): nothing');
  given(marker('2031-03-05')).when(cut('2031-03-04')).then(t, [], '2. an earlier date: nothing, the cut never moves back');
});

t.test('the reply says how far the partition is cut, also for a cut that journaled nothing', async (t) => {
  const state = [marker('2031-03-05')].reduce(evolveDayCut, initialDayCutState);
  t.same(dayCutDecider.reply(state, cut('2031-03-04'), []), { cutThrough: '2031-03-05' });
  t.same(dayCutDecider.reply(initialDayCutState, cut('2031-03-04'), []), { cutThrough: null });
});

t.test('cut actor ids name their partition both ways; other ids name none', async (t) => {
  for (const partition of [0, 7, 255, 1023]) t.equal(partitionNamedByDayCut(dayCutActorIdOf(partition)), partition);
  for (const other of ['daycut:', 'daycut:07', 'daycut:-1', 'daycut:1.5', 'daycut:x', 'eod:ledger', 'acct:daycut:3', 'daycut:3#1']) t.equal(partitionNamedByDayCut(other), null, other);
});
