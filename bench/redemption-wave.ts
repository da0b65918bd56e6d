/**
 * The redemption wave: `investments` investments of one claim each, all maturing the same
 * day, redeemed at once. Each redemption switches its investor's reinvest off, pulls back
 * across every shard, has its claim transferred (the loan walks the shards for other capital,
 * switches holders, pays the old one, sends the bank's transfer batch), reads and pays out
 * the interest pool and switches reinvest back on — until nothing moves. Capital to take the
 * claims comes from long investments placed after the loans were funded. The bank is an
 * instant in-process one (the repayment day's), so what is measured is fundcore.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundcoreNode } from '../actors/node.js';
import { formatAmount } from '../core/money/amount.js';
import { closedLoop } from './lib/load.js';
import { round, rssMiB } from './lib/stats.js';
import { InstantBank, must, quiet } from './repayment-day.js';
import { inParallel } from './systems/system.js';

export interface RedemptionWaveSpec {
  readonly kind: 'redemption-wave';
  readonly investments: number;
  readonly claimsPerLoan: number;
  readonly concurrency: number;
}

const claimMinor = 100_00n;
const investorsMax = 1_000;
const money = (minor: bigint) => formatAmount(minor, 'CNY');

export async function redemptionWave(spec: RedemptionWaveSpec) {
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-redeem-'));
  const bank = new InstantBank();
  const node = await FundcoreNode.boot({
    dataDir: dir,
    bank,
    businessClock: { mode: 'sim', startDate: '2030-01-01' },
    lending: { poolShards: 64, settleWaitMs: 60_000, redemptionRecheckMs: 600_000 },
    limits: { relayInFlightMax: 20_000, mailboxDepthMax: 1_000_000, askTimeoutMs: 600_000, relayBacklogMax: 10_000_000 },
  });
  bank.node = node;
  try {
    const setupStarted = performance.now();
    const investors = Math.min(investorsMax, spec.investments);
    const loans = Math.ceil(spec.investments / spec.claimsPerLoan);
    const perInvestor = Math.ceil(spec.investments / investors) * 2;
    await must(node.ledger.openAccount({ id: 'ext', kind: 'bank_settlement', currency: 'CNY', overdraft: true }), 'open ext');
    const open = async (id: string, kind: 'investor_wallet' | 'borrower_wallet', amount: bigint) => {
      await must(node.ledger.openAccount({ id, kind, currency: 'CNY', overdraft: false }), `open ${id}`);
      if (amount > 0n) await must(node.ledger.createTransfer({ id: `fund-${id}`, debit: 'ext', credit: id, amount: money(amount), pending: false, timeoutMs: null, memo: null }), `fund ${id}`);
    };
    await inParallel(Array.from({ length: investors }, (_, i) => i), 256, (i) => open(`inv${i}`, 'investor_wallet', claimMinor * BigInt(perInvestor)));
    await open('bor', 'borrower_wallet', 0n);
    // The short investments (30 days) fund the loans, one claim each…
    const place = (prefix: string, termDays: number) => (i: number) =>
      must(node.lending.placeInvestment({ id: `${prefix}${i}`, investor: `inv${i % investors}`, amount: money(claimMinor), termDays }), `invest ${prefix}${i}`);
    await inParallel(Array.from({ length: spec.investments }, (_, i) => i), 512, place('s', 30));
    await quiet(node, bank);
    const loanIds = Array.from({ length: loans }, (_, i) => `L${i}`);
    const loanAmount = money(claimMinor * BigInt(spec.claimsPerLoan));
    await inParallel(loanIds, 256, (id) => must(node.lending.publishLoan({ id, borrower: 'bor', amount: loanAmount, annualRate: '0.12', termDays: null, termMonths: 12, method: 'equal_installment' }), `publish ${id}`));
    await quiet(node, bank);
    await inParallel(loanIds, 256, (id) => must(node.lending.approveLoan(id), `approve ${id}`));
    await quiet(node, bank);
    // …then as much long capital (a year) arrives to take their claims over.
    await inParallel(Array.from({ length: spec.investments }, (_, i) => i), 512, place('l', 365));
    await quiet(node, bank);
    const setupMs = performance.now() - setupStarted;
    await must(node.clock.change({ date: '2030-01-31' }), 'clock');

    const started = performance.now();
    const load = await closedLoop((n) => must(node.lending.redeemInvestment(`s${n}`, null), `redeem s${n}`), spec.concurrency, Number.MAX_SAFE_INTEGER, spec.investments);
    const acceptedMs = performance.now() - started;
    await quiet(node, bank);
    const settledMs = performance.now() - started;
    let completed = 0;
    let transferred = 0;
    await inParallel(Array.from({ length: spec.investments }, (_, i) => i), 256, async (i) => {
      const state = await must(node.lending.getRedemption(`s${i}`), `redemption s${i}`);
      if (state.status === 'completed') completed++;
      for (const loan of state.loans.values()) if (loan.proceeds > 0n) transferred++;
    });
    return {
      transfersPerSec: Math.round((completed / settledMs) * 1000),
      ...load.latencies.summary(),
      rssMiB: rssMiB(),
      completed,
      failed: spec.investments - completed,
      extra: { acceptedPerSec: Math.round((load.completed / acceptedMs) * 1000), claimsTransferred: transferred, settledMs: round(settledMs), setupMs: round(setupMs) },
    };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
