import t from 'tap';
import { JournalUpgradeError } from '../../../persistence/journal-upgrade/skeleton-era.js';
import { journalUpgradeNeededOf, plansWithAmountsMetaKey, skeletonPlanActorsOf, upgradeJournal } from '../../../persistence/journal-upgrade/upgrade-journal.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';

const skeletonEvent = (loanId: string) => ({
  type: 'plan_generated',
  data: { plan: { planId: `plan-${loanId}`, loanId, method: 'bullet', startDate: '2030-01-01', maturityDate: '2030-02-01', periods: [{ number: 1, dueDate: '2030-02-01', principalDue: null, interestDue: null }], detail: 'skeleton', generatedAt: 1 } },
});

t.test('the start check: a journal with no skeleton plan is marked and not scanned again; one with skeletons is named', async (t) => {
  const fresh = new MemoryJournal();
  t.equal(journalUpgradeNeededOf(fresh, '/data'), null);
  t.equal(fresh.getMeta(plansWithAmountsMetaKey), true, 'marked: the next start skips the scan');

  const old = new MemoryJournal();
  for (const id of ['L1', 'L2']) await old.append({ actorId: `plan:${id}`, expectedSeq: 0, events: [skeletonEvent(id)], indexWrites: [] }).durable;
  await old.append({ actorId: 'plan:L3', expectedSeq: 0, events: [{ type: 'plan_generated', data: { plan: { planId: 'plan-L3' } } }], indexWrites: [] }).durable;
  t.same(skeletonPlanActorsOf(old), ['plan:L1', 'plan:L2']);
  t.match(journalUpgradeNeededOf(old, '/srv/fundcore'), /^cannot start: .*\(plan:L1, plan:L2\)\. Run `npm run journal:upgrade -- --data-dir \/srv\/fundcore` with the node stopped/);
  t.equal(old.getMeta(plansWithAmountsMetaKey), undefined, 'not marked');
});

t.test('upgradeJournal refuses a skeleton plan whose loan is not in the journal before it (JournalUpgradeError)', async (t) => {
  const old = new MemoryJournal();
  await old.append({ actorId: 'plan:L1', expectedSeq: 0, events: [skeletonEvent('L1')], indexWrites: [] }).durable;
  await t.rejects(upgradeJournal(old, new MemoryJournal(), new Map()), new JournalUpgradeError('plan-L1: loan L1 is not in the journal before its plan'));
});
