import type { Test } from 'tap';
import type { NodeOptions } from '../../actors/node.js';
import type { LoanProduct } from '../../core/lending/schedule/product.js';
import { FakeBank } from './fake-bank.js';
import { gateway, opsKey, type GatewayHarness } from './gateway.js';

export const opsHeaders = { authorization: `Bearer ${opsKey}` };

/** Waits, letting the node quiesce between looks, until `check` holds (throws after ~500 looks). */
export async function until(h: GatewayHarness, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await h.quiescent();
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('the condition never held');
}

export const totalOf = async (h: GatewayHarness, account: string) => (await h.get(`/v1/accounts/${account}`)).json().total as string;

/**
 * alice (principal capital, 2,000.00) and bob (1,000.00) fund L1: 3,000.00 at 12 % over 3
 * months, equal principal, approved on 2030-01-01 and paid out (a fake bank). Its periods:
 * 1,000.00 + 30.00 due 02-01, 1,000.00 + 20.00 due 03-01, 1,000.00 + 10.00 due 04-01 (the
 * default product: 30/360, half-even; or `product`, the node's only one). carol, the borrower,
 * has 5,000.00 more to repay with.
 */
export async function repayingLoan(t: Test, product?: LoanProduct, options: Partial<NodeOptions> = {}): Promise<GatewayHarness & { bank: FakeBank }> {
  const bank = new FakeBank();
  const products = product === undefined ? {} : { products: [product], defaultProduct: product.name };
  const h = await gateway(t, { bank, businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2, ...products }, ...options });
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  for (const [id, amount, kind] of [['alice', '2000.00', 'investor_wallet'], ['bob', '1000.00', 'investor_wallet'], ['carol', '5000.00', 'borrower_wallet']] as const) {
    await h.post('/v1/accounts', { id, kind });
    await h.post('/v1/transfers', { id: `fund-${id}`, debit: 'bank', credit: id, amount });
  }
  await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '2000.00', termDays: 365 });
  await h.post('/v1/investments', { id: 'i2', investor: 'bob', amount: '1000.00', termDays: 365 });
  await h.post('/v1/loans', { id: 'L1', borrower: 'carol', amount: '3000.00', annualRate: '0.12', termMonths: 3, method: 'equal_principal' });
  await until(h, async () => (await h.get('/v1/loans/L1')).json().status === 'funded');
  await h.post('/v1/loans/L1/approve', undefined, opsHeaders);
  await until(h, async () => bank.pending('disbursement').length === 1);
  await h.node.bank.handleCallback(bank.complete('disb-L1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1')).json().status === 'repaying');
  return { ...h, bank };
}
