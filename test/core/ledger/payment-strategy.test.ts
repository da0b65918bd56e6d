import t from 'tap';
import { defaultPaymentStrategies, parsePaymentStrategies } from '../../../core/ledger/payment-strategy.js';

t.test('given no setting, then the seed rules: only withdrawable money is invested or withdrawn', async (t) => {
  t.same(parsePaymentStrategies(''), defaultPaymentStrategies);
  t.same(defaultPaymentStrategies.invest, ['withdrawable']);
  t.same(defaultPaymentStrategies.withdraw, ['withdrawable']);
});

t.test('given operations named, then they replace their defaults in the order written, the rest keep theirs', async (t) => {
  const parsed = parsePaymentStrategies(' spend = withdrawable, spend_only ; refund=refund_only ');
  t.same(parsed, { ...defaultPaymentStrategies, spend: ['withdrawable', 'spend_only'], refund: ['refund_only'] });
});

t.test('given a bad setting, then a sentence that names the problem', async (t) => {
  const cases: [string, RegExp][] = [
    ['lend=withdrawable', /"lend" is not an operation/],
    ['spend=cash', /"cash" is not a nature/],
    ['spend', /write spend=nature,nature/],
    ['spend=', /write spend=nature,nature/],
    ['spend=withdrawable;spend=spend_only', /named twice/],
    ['spend=withdrawable,withdrawable', /listed twice/],
    ['invest=withdrawable,spend_only', /invest may not draw spend_only money: it leaves a wallet only by spend/],
    ['withdraw=refund_only', /withdraw may not draw refund_only money: it leaves a wallet only by refund/],
    ['refund=spend_only', /refund may not draw spend_only/],
  ];
  for (const [text, problem] of cases) t.match(parsePaymentStrategies(text), problem, text);
});
