import t from 'tap';
import { checkLendingConfig, checkSettleWaitFits, defaultLendingConfig, parseLoanProducts, productNamed } from '../../../actors/lending/lending-config.js';
import { FundcoreNode } from '../../../actors/node.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { defaultProduct } from '../../../core/lending/schedule/product.js';
import { configFromEnv } from '../../../gateway/config.js';

t.test('FUNDCORE_LOAN_PRODUCTS: products over the default one; what a product leaves out is the default', async (t) => {
  const products = parseLoanProducts('[{"name":"daily365","dayCount":"ACT/365F","interestPeriod":"daily","installmentMultiple":"1.00","penaltyCountsDueDay":true}]');
  t.same(
    products.map((p) => p.name),
    ['standard', 'daily365'],
    'standard stays',
  );
  t.same(products[1], { ...defaultProduct, name: 'daily365', dayCount: 'ACT/365F', interestPeriod: 'daily', installmentMultipleMinor: 100n, penaltyCountsDueDay: true });
  t.same(parseLoanProducts('[{"name":"standard","rounding":"half_up"}]'), [{ ...defaultProduct, rounding: 'half_up' }], 'standard can be replaced');
  t.same(parseLoanProducts('[{"name":"giving","overpayment":"return_to_wallet"}]')[1], { ...defaultProduct, name: 'giving', overpayment: 'return_to_wallet' }, 'overpayment: return_to_wallet');
  const refused: [string, RegExp][] = [
    ['{', /JSON array/],
    ['{"name":"x"}', /JSON array/],
    ['[{"name":"Bad Name"}]', /not \[a-z0-9\]/],
    ['[{"name":"x","dayCount":"ACT/360"}]', /dayCount/],
    ['[{"name":"x","rounding":"ceiling"}]', /rounding/],
    ['[{"name":"x","installmentMultiple":"0.001"}]', /installmentMultiple/],
    ['[{"name":"x","installmentMultiple":"0"}]', /installment multiple/],
    ['[{"name":"x","penaltyDailyRate":"-0.1"}]', /penaltyDailyRate/],
    ['[{"name":"x","penaltyCountsDueDay":"yes"}]', /penaltyCountsDueDay/],
    ['[{"name":"x","overpayment":"keep"}]', /overpayment is one of refuse, return_to_wallet/],
    ['[{"name":"x","grace":3}]', /unknown loan product fields: grace/],
  ];
  for (const [text, message] of refused) t.throws(() => parseLoanProducts(text), message, text);
});

t.test('the lending configuration: distinct product names, a default that exists', async (t) => {
  t.doesNotThrow(() => checkLendingConfig(defaultLendingConfig));
  t.equal(productNamed(defaultLendingConfig, 'standard'), defaultProduct);
  t.equal(productNamed(defaultLendingConfig, 'nope'), null);
  t.throws(() => checkLendingConfig({ ...defaultLendingConfig, products: [defaultProduct, defaultProduct] }), /distinct/);
  t.throws(() => checkLendingConfig({ ...defaultLendingConfig, defaultProduct: 'nope' }), /default loan product nope/);
  const env = configFromEnv({ FUNDCORE_LOAN_PRODUCTS: '[{"name":"daily365","dayCount":"ACT/365F"}]', FUNDCORE_DEFAULT_PRODUCT: 'daily365' });
  t.same([env.lending.products?.map((p) => p.name), env.lending.defaultProduct], [['standard', 'daily365'], 'daily365'], 'from the environment');
});

t.test('a saga wait at or over the ask timeout is refused at start: the wait is held inside the ask', async (t) => {
  t.doesNotThrow(() => checkSettleWaitFits({ ...defaultLendingConfig, settleWaitMs: 9_999 }, 10_000));
  t.throws(() => checkSettleWaitFits({ ...defaultLendingConfig, settleWaitMs: 10_000 }, 10_000), /settleWaitMs \(10000\) must be below the ask timeout \(10000 ms\)/);
  t.throws(() => FundcoreNode.start({ journal: new MemoryJournal(), lending: { settleWaitMs: 5_000 }, limits: { askTimeoutMs: 4_000 } }), /settleWaitMs/, 'a node will not start so');
});
