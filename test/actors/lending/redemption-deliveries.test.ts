import t from 'tap';
import type { LendingDeps } from '../../../actors/lending/lending-deps.js';
import { redemptionBehavior } from '../../../actors/lending/redemption-behavior.js';
import type { Delivery } from '../../../actors/runtime/behavior.js';
import type { Redemption } from '../../../core/lending/redemption/redemption.js';

const redemption: Redemption = { id: 'rdm-i1', investmentId: 'i1', investor: 'alice', principal: 1_000_00n, maturityDate: '2030-04-01', requestedOn: '2030-04-01', requestedAt: 1, expectedInterest: 20_34n };

/** Follows a delivery's chain as if every receiver accepted (a reply of nothing). */
function chain(delivery: Delivery | null): Delivery[] {
  const out: Delivery[] = [];
  for (let next = delivery; next !== null; next = next.onAccepted?.(undefined) ?? null) out.push(next);
  return out;
}

t.test('given a redemption completed, then its hold is released and the reinvest check keeps the investment\'s expected interest (seed 000); beside it, the wallet\'s lien goes once the credits that paid it back are in', async (t) => {
  // The deliveries of an event need no dependency of the node.
  const behavior = redemptionBehavior({} as LendingDeps);
  const paidBy = ['sys.pb.0.1', 'sys.xfer.L1.1'];
  const [payout, lien] = behavior.deliveriesOf('rdm:i1', { type: 'redemption_completed', data: { redemption, interestPaid: 0n, at: 2, paidBy } });
  t.match(
    chain(payout ?? null).map((d) => d.message),
    [
      { type: 'release_reinvest', data: { investor: 'alice', holder: 'rdm-i1' } },
      { type: 'check_reinvest', data: { investor: 'alice', expectedInterest: 20_34n } },
    ],
    'reinvest does not wait for the lien',
  );
  t.same(lien?.message, { type: 'release_investment_lien', data: { investmentId: 'i1', awaitCredits: paidBy } });
  t.equal(lien?.to, 'acct:alice', 'the lien is released at the wallet');
  t.same(lien?.retryOnRefusal, ['investment_credits_in_flight'], 'asked again while a credit is not in');
  // With interest to pay, the lien waits for the payout's credit too.
  const [paid, paidLien] = behavior.deliveriesOf('rdm:i1', { type: 'redemption_completed', data: { redemption, interestPaid: 5_00n, at: 2, paidBy } });
  t.match(chain(paid ?? null).map((d) => (d.message as { type: string }).type), ['create_transfer', 'release_reinvest', 'check_reinvest']);
  t.same(paidLien?.message, { type: 'release_investment_lien', data: { investmentId: 'i1', awaitCredits: [...paidBy, 'sys.rdm.i1'] } });
  const [, oldLien] = behavior.deliveriesOf('rdm:i1', { type: 'redemption_completed', data: { redemption, interestPaid: 0n, at: 2 } });
  t.same(oldLien?.message, { type: 'release_investment_lien', data: { investmentId: 'i1', awaitCredits: [] } }, 'completed before payouts were named: it waits for nothing');
  const legacy = { ...redemption };
  delete (legacy as { expectedInterest?: bigint }).expectedInterest;
  const [old] = behavior.deliveriesOf('rdm:i1', { type: 'redemption_completed', data: { redemption: legacy, interestPaid: 0n, at: 2 } });
  t.match(chain(old ?? null).at(-1)?.message, { type: 'check_reinvest', data: { expectedInterest: 0n } }, 'a redemption recorded before expected rates keeps nothing back');
});
