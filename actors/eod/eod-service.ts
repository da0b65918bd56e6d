import { addDays, type BusinessDate } from '../../core/calendar/business-date.js';
import type { EodCloseRefusalCode, EodReport, EodState } from '../../core/eod/eod.js';
import { formatAmount } from '../../core/money/amount.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import { readEverywhere } from '../../persistence/archive/archived-reads.js';
import { archivedNetBefore, firstLegDay } from '../../persistence/archive/archived-sums.js';
import { chainHeadsAtCut, cutMarkersOf } from '../../persistence/projections/business-day.js';
import { closedBefore, latestReport, reportCovering } from '../../persistence/projections/closed-days.js';
import { lendingAtCutOf } from '../../persistence/projections/day-cut-projector.js';
import { dayFigures } from '../../persistence/projections/eod-balances.js';
import { prepared } from '../../persistence/projections/read-model.js';
import type { ReadSide } from '../../persistence/projections/read-side.js';
import type { TransferInput } from '../ledger/ledger-api.js';
import { systemAccounts } from '../lending/ids.js';
import type { ActorReply } from '../runtime/behavior.js';
import { systemTimers, type Timers } from '../runtime/clock.js';
import type { Bus } from '../runtime/relay.js';
import { cutEveryPartition } from './cut-every-partition.js';
import { eodActorId } from './eod-behavior.js';

/** Other parts of the system report into a day's close. */
export type EodSection = (date: BusinessDate, from: BusinessDate) => unknown;

/** Posts a transfer between system accounts (the accrual): LedgerService.transferAnyAccount. */
export type SystemPosting = (input: TransferInput) => Promise<ActorReply<TransferRecord>>;

/** The accrual posting of a close: one per closed day, so its id names the day. */
export const accrualTransferIdOf = (date: BusinessDate) => `sys.accrual.${date}`;

export interface EodCloseLimits {
  /** Cut asks a close has in flight at once (it asks one cut actor per partition). */
  readonly cutAsksInFlightMax: number;
  /** Looks at the read side for what a close waits on (every marker, its stored report) before it gives up. */
  readonly readSideChecksMax: number;
  /** Between two looks: a cluster's read side follows the stream, and may lag. */
  readonly readSideCheckIntervalMs: number;
}

/** Up to ~5 s of waiting for the read side: long enough for a stream's lag, short enough for a request. */
export const defaultEodCloseLimits: EodCloseLimits = { cutAsksInFlightMax: 32, readSideChecksMax: 50, readSideCheckIntervalMs: 100 };

/**
 * Closes a business date beside live traffic: the eod actor begins the close, every
 * partition's cut actor journals the day's marker, the close waits until the read side holds
 * all of them, then computes the report from the read model and has the eod actor journal it.
 * A failure between the steps is finished by closing the same date again: the markers already
 * journaled stay, the missing ones are added, and the report is the same, because everything
 * it reads is fixed by the markers. It never reads a journal: reports come from the read model.
 */
export class EodService {
  private readonly limits: EodCloseLimits;
  private readonly timers: Timers;

  constructor(
    private readonly bus: Bus,
    private readonly readSide: ReadSide,
    private readonly partitionCount: number,
    private readonly today: () => BusinessDate,
    private readonly clockNow: () => number,
    private readonly post: SystemPosting,
    private readonly sections: Readonly<Record<string, EodSection>> = {},
    waits: { readonly timers?: Timers; readonly limits?: Partial<EodCloseLimits> } = {},
  ) {
    this.limits = { ...defaultEodCloseLimits, ...waits.limits };
    this.timers = waits.timers ?? systemTimers;
  }

  /** A date already closed, or folded into a later close, answers that close's report. */
  async close(date: BusinessDate): Promise<ActorReply<EodReport>> {
    await this.readSide.catchUpFully();
    const stored = this.report(date);
    if (stored !== null) return { ok: true, value: stored };
    const firstDay = readEverywhere(this.readSide.model.db, () => firstLegDay(this.readSide.model.db));
    const begun = await this.bus.ask(eodActorId, { type: 'begin_close', data: { date, today: this.today(), firstDay } });
    if (!begun.ok) return begun as ActorReply<EodReport>;
    const closing = (begun.value as EodState).closing;
    // Not under way: another close of this date (or a later one folding it) completed meanwhile.
    if (closing === null || closing.date !== date) return this.storedReport(date, null);
    const cut = await cutEveryPartition(this.bus, this.partitionCount, date, this.limits.cutAsksInFlightMax);
    if (!cut.ok) return cut;
    const cutPosition = await this.cutPositionOf(date);
    if (!cutPosition.ok) return cutPosition;
    const report = await this.reportOf(date, closing.from, cutPosition.value);
    if (!report.ok) return report;
    const completed = await this.bus.ask(eodActorId, { type: 'complete_close', data: { report: report.value } });
    if (!completed.ok) return completed as ActorReply<EodReport>;
    // The stored one: a close of the same date racing this one may have completed first.
    return this.storedReport(date, report.value);
  }

  /**
   * The report of the close covering a date, as the read model holds it: its own, or the first
   * later one (days never closed are folded into the next close; days before the first close,
   * without postings, into the first). Null while no close covers it.
   */
  report(date: BusinessDate): EodReport | null {
    return reportCovering(this.readSide.model.db, date);
  }

  /** The last closed day's report (the ops page), after the read side caught up. */
  async latestReport(): Promise<EodReport | null> {
    await this.readSide.catchUp();
    return latestReport(this.readSide.model.db);
  }

  /** The highest position of the day's markers, once the read side holds every partition's; eod_cut_incomplete if they do not all arrive in time. */
  private async cutPositionOf(date: BusinessDate): Promise<ActorReply<number>> {
    const highest = await this.onceReadSideHolds(() => {
      const markers = cutMarkersOf(this.readSide.model.db, date, this.partitionCount);
      return markers.partitions === this.partitionCount ? markers.highestPosition : null;
    });
    if (highest !== null) return { ok: true, value: highest };
    const held = cutMarkersOf(this.readSide.model.db, date, this.partitionCount).partitions;
    const code: EodCloseRefusalCode = 'eod_cut_incomplete';
    return { ok: false, code, detail: `the read models hold ${held} of the ${this.partitionCount} cut markers of ${date}; close the date again` };
  }

  /** The stored report of a completed close; `fallback` (what this close computed) if the read side does not show it in time. */
  private async storedReport(date: BusinessDate, fallback: EodReport | null): Promise<ActorReply<EodReport>> {
    const stored = await this.onceReadSideHolds(() => this.report(date));
    if (stored !== null) return { ok: true, value: stored };
    if (fallback !== null) return { ok: true, value: fallback };
    return { ok: false, code: 'eod_day_not_closing', detail: `the close covering ${date} is not in the read models yet; retry` };
  }

  /** Catches the read side up and looks, at most readSideChecksMax times, readSideCheckIntervalMs apart (on the injected timers). */
  private async onceReadSideHolds<T>(look: () => T | null): Promise<T | null> {
    for (let check = 1; ; check++) {
      await this.readSide.catchUpFully();
      const found = look();
      if (found !== null || check >= this.limits.readSideChecksMax) return found;
      await new Promise<void>((resolve) => this.timers.after(this.limits.readSideCheckIntervalMs, resolve));
    }
  }

  /** The report from the read model, which holds every marker of the day. */
  private async reportOf(date: BusinessDate, from: BusinessDate, cutPosition: number): Promise<ActorReply<EodReport>> {
    const figures = dayFigures(this.readSide.model.db, date, from, closedBefore(this.readSide.model.db, date));
    const sections: Record<string, unknown> = {};
    for (const [name, section] of Object.entries(this.sections)) sections[name] = section(date, from);
    const lending = await this.lendingSection(date);
    if (lending !== null && !lending.ok) return lending;
    if (lending !== null) sections.lending = lending.value;
    return {
      ok: true,
      value: {
        date,
        from,
        cutPosition,
        chainHeads: chainHeadsAtCut(this.readSide.model.db, date, this.partitionCount),
        trialBalance: figures.trialBalance,
        balanced: figures.trialBalance.every((line) => line.debits === line.credits),
        accounts: figures.accounts,
        balancesDigest: figures.digest,
        inFlight: figures.inFlight,
        sections,
        closedAt: this.clockNow(),
      },
    };
  }

  /**
   * Lending at the cut (overdue classes, what the guarantee is owed: each partition's loans at
   * its marker) and the day's interest accrual posting: it brings `sys.interest.accrued` (booked
   * through the day) to the interest earned and not yet paid at the end of the day, moving the
   * difference between it and `sys.interest.receivable`. The posting is made after the cut, so
   * the ledger dates it the next open day; both figures are fixed by the markers, so closing the
   * day again posts the same transfer under the same id (the ledger answers the first).
   */
  private async lendingSection(date: BusinessDate): Promise<ActorReply<Record<string, unknown>> | null> {
    const day = lendingAtCutOf(this.readSide.model.db, date);
    if (day === null) return null;
    const receivable = day.accrual.receivable;
    const booked = this.bookedAccrual(date);
    const delta = receivable - booked;
    const posting = delta === 0n ? null : await this.postAccrual(date, delta);
    if (posting !== null && !posting.ok) return posting;
    const cny = (minor: bigint) => formatAmount(minor, 'CNY');
    const overdue = Object.fromEntries(
      Object.entries(day.overdue).map(([name, line]) => [name, { periods: line.periods, loans: line.loans, principal: cny(line.principal), interest: cny(line.interest), penalty: cny(line.penalty) }]),
    );
    return {
      ok: true,
      value: {
        overdue,
        compensatedOwed: { periods: day.compensatedOwed.periods, amount: cny(day.compensatedOwed.amount) },
        accrual: {
          loans: day.accrual.loans,
          earnedOnDay: cny(day.accrual.earnedOnDay),
          penalty: cny(day.accrual.penalty),
          receivable: cny(receivable),
          bookedBefore: cny(booked),
          posting: posting === null ? null : { transferId: accrualTransferIdOf(date), amount: cny(delta) },
        },
      },
    };
  }

  /** sys.interest.accrued's balance through the day (credits − debits of the legs dated on or before it, archived ones too). */
  private bookedAccrual(date: BusinessDate): bigint {
    const db = this.readSide.model.db;
    return readEverywhere(db, () => {
      const row = prepared(db, `select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as booked from legs where account = ? and day <= ?`).get(
        systemAccounts.interestAccrued,
        date,
      ) as { booked: bigint };
      return row.booked + archivedNetBefore(db, 'legs', systemAccounts.interestAccrued, addDays(date, 1));
    });
  }

  private async postAccrual(date: BusinessDate, delta: bigint): Promise<ActorReply<TransferRecord>> {
    const [debit, credit] = delta > 0n ? [systemAccounts.interestReceivable, systemAccounts.interestAccrued] : [systemAccounts.interestAccrued, systemAccounts.interestReceivable];
    const amount = formatAmount(delta > 0n ? delta : -delta, 'CNY');
    return this.post({ id: accrualTransferIdOf(date), debit, credit, amount, pending: false, timeoutMs: null, memo: `interest accrual through ${date}` });
  }
}
