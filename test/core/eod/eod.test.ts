import t, { type Test } from 'tap';
import { decideEod, evolveEod, initialEodState, type EodCommand, type EodEvent, type EodReport } from '../../../core/eod/eod.js';
import { isRejection } from '../../../core/rejection.js';

const at = 1_900_000_000_000;

function given(...events: EodEvent[]) {
  const state = events.reduce(evolveEod, initialEodState);
  return {
    when: (command: EodCommand) => ({
      then: (t: Test, expected: EodEvent[], message?: string) => t.same(decideEod(state, command), expected, message ?? 'decided'),
      rejects: (t: Test, code: string, message?: string) => {
        const decision = decideEod(state, command);
        t.ok(isRejection(decision) && decision.code === code, message ?? code);
      },
    }),
  };
}

const begin = (date: string, today: string, firstDay: string | null = null): EodCommand => ({ type: 'begin_close', data: { date, today, firstDay, at } });
const begun = (date: string, from: string): EodEvent => ({ type: 'day_close_begun', data: { date, from, at } });
const report = (date: string, from: string): EodReport => ({ date, from, cutPosition: 1, trialBalance: [], balanced: true, accounts: 0, balancesDigest: '', inFlight: [], sections: {}, closedAt: at });
const closed = (date: string, from: string): EodEvent => ({ type: 'day_closed', data: { report: report(date, from) } });
const complete = (date: string, from: string): EodCommand => ({ type: 'complete_close', data: { report: report(date, from) } });

t.test('begin_close: the first close covers all history; later ones start the day after the last', async (t) => {
  given().when(begin('2031-03-05', '2031-03-06', '2031-03-02')).then(t, [begun('2031-03-05', '2031-03-02')], 'from the first day with postings');
  given().when(begin('2031-03-05', '2031-03-06', null)).then(t, [begun('2031-03-05', '2031-03-05')], 'no postings yet: the day itself');
  given().when(begin('2031-03-05', '2031-03-06', '2031-03-09')).then(t, [begun('2031-03-05', '2031-03-05')], 'postings only later (a clock set back): the day itself');
  given(begun('2031-03-05', '2031-03-02'), closed('2031-03-05', '2031-03-02'))
    .when(begin('2031-03-08', '2031-03-08', '2031-03-02'))
    .then(t, [begun('2031-03-08', '2031-03-06')], 'days 6 and 7, never closed, are folded in');
  given().when(begin('2031-03-06', '2031-03-06')).then(t, [begun('2031-03-06', '2031-03-06')], 'today may be closed (postings after the cut go to the next day)');
});

t.test('begin_close: rejection precedence', async (t) => {
  const closedFifth = [begun('2031-03-05', '2031-03-05'), closed('2031-03-05', '2031-03-05')];
  given(...closedFifth).when(begin('2031-03-04', '2031-03-01')).then(t, [], '1. already closed (even with a clock set back): nothing to do');
  given(begun('2031-03-05', '2031-03-05')).when(begin('2031-03-05', '2031-03-01')).then(t, [], '2. the same close under way: nothing to do');
  given(begun('2031-03-05', '2031-03-05')).when(begin('2031-03-09', '2031-03-01')).rejects(t, 'eod_close_in_progress', '3. before eod_day_not_over');
  given(...closedFifth).when(begin('2031-03-07', '2031-03-06')).rejects(t, 'eod_day_not_over', '4. a day after today');
});

t.test('complete_close: only the close under way; once', async (t) => {
  given().when(complete('2031-03-05', '2031-03-05')).rejects(t, 'eod_day_not_closing');
  given(begun('2031-03-05', '2031-03-05')).when(complete('2031-03-06', '2031-03-06')).rejects(t, 'eod_day_not_closing', 'another day');
  given(begun('2031-03-05', '2031-03-05')).when(complete('2031-03-05', '2031-03-05')).then(t, [closed('2031-03-05', '2031-03-05')]);
  given(begun('2031-03-05', '2031-03-05'), closed('2031-03-05', '2031-03-05')).when(complete('2031-03-05', '2031-03-05')).then(t, [], 'again: nothing');
  t.same([begun('2031-03-05', '2031-03-02'), closed('2031-03-05', '2031-03-02')].reduce(evolveEod, initialEodState), { closedThrough: '2031-03-05', closing: null });
});
