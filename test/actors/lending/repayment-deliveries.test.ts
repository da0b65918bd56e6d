import t from 'tap';
import { poolShardActorId } from '../../../actors/lending/ids.js';
import { repaymentDeliveriesOf } from '../../../actors/lending/repayment-deliveries.js';
import type { Delivery } from '../../../actors/runtime/behavior.js';
import { shardOfCapital } from '../../../core/lending/capital.js';
import type { LoanEvent } from '../../../core/lending/loan/events.js';
import { reinvestGroupIdOf } from '../../../core/lending/repayment/repayment.js';
import { completePayment, pay, repayingLoan, threeMonthShape } from '../../core/lending/repayment/loan-fixture.js';

type Succeeded = Extract<LoanEvent, { type: 'repayment_succeeded' }>;

/** A paid due period of the three-month loan (two claims, so two reinvest capitals), as the decider writes it now. */
function succeededPayment(): Succeeded {
  const { events } = completePayment(repayingLoan(threeMonthShape), pay('r1', '2030-01-25'));
  const succeeded = events.at(-1);
  if (succeeded?.type !== 'repayment_succeeded') throw new Error('the payment succeeded');
  return succeeded;
}

const toPool = (deliveries: readonly Delivery[]) => deliveries.filter((d) => d.to.startsWith('pool:'));

t.test('given a payment that succeeded, then its reinvest capitals go to one shard as one group, named by the loan and the payment', async (t) => {
  const event = succeededPayment();
  t.equal(event.data.capitalsGrouped, true, 'the decider writes the grouped form');
  const group = reinvestGroupIdOf('L1', 1);
  const shard = shardOfCapital(group, 4);
  const [add, ...others] = toPool(repaymentDeliveriesOf('loan:L1', event, []));
  t.same(others, [], 'one message to the pool');
  t.equal(add?.to, poolShardActorId(shard), "the group's shard");
  t.match(add?.message, {
    type: 'add_capitals',
    data: {
      group,
      shard,
      capitals: [
        { id: 'L1/c1:r1', principal: 666_67n, source: 'repayment_reinvest', property: 'principal', investor: 'alice' },
        { id: 'L1/c2:r1', principal: 333_33n, property: 'interest' },
      ],
    },
  });
});

t.test('given a payment journaled before groups, then each capital still goes to its own shard, where its first delivery went', async (t) => {
  const grouped = succeededPayment();
  const { capitalsGrouped: _grouped, ...before } = grouped.data;
  const event: Succeeded = { type: 'repayment_succeeded', data: before };
  const adds = toPool(repaymentDeliveriesOf('loan:L1', event, []));
  t.same(
    adds.map((d) => [d.to, (d.message as { type: string }).type, (d.message as { data: { capital: { id: string } } }).data.capital.id]),
    [
      [poolShardActorId(shardOfCapital('L1/c1:r1', 4)), 'add_capital', 'L1/c1:r1'],
      [poolShardActorId(shardOfCapital('L1/c2:r1', 4)), 'add_capital', 'L1/c2:r1'],
    ],
  );
});

t.test('given a payment whose claims repaid no principal, then no capital is sent', async (t) => {
  const event = succeededPayment();
  const split = event.data.repayment.split;
  if (split === null) throw new Error('a borrower payment has a split');
  const interestOnly: Succeeded = { ...event, data: { ...event.data, repayment: { ...event.data.repayment, split: { ...split, shares: split.shares.map((share) => ({ ...share, principal: 0n })) } } } };
  t.same(toPool(repaymentDeliveriesOf('loan:L1', interestOnly, [])), []);
});
