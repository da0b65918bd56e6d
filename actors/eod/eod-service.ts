import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { EodReport, EodState } from '../../core/eod/eod.js';
import type { JournalReader } from '../../persistence/journal.js';
import { dayFigures } from '../../persistence/projections/eod-balances.js';
import { prepared } from '../../persistence/projections/read-model.js';
import type { ReadSide } from '../../persistence/projections/read-side.js';
import { formatAmount } from '../../core/money/amount.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import type { TransferInput } from '../ledger/ledger-api.js';
import { systemAccounts } from '../lending/ids.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import { eodActorId } from './eod-behavior.js';

/** Other parts of the system report into a day's close. */
export type EodSection = (date: BusinessDate, from: BusinessDate) => unknown;

/** Posts a transfer between system accounts (the accrual): LedgerService.transferAnyAccount. */
export type SystemPosting = (input: TransferInput) => Promise<ActorReply<TransferRecord>>;

/** The accrual posting of a close: one per closed day, so its id names the day. */
export const accrualTransferIdOf = (date: BusinessDate) => `sys.accrual.${date}`;

/**
 * Closes a business date beside live traffic: the eod actor journals the cut, the read
 * model catches up past it, the report is computed from the read model and journaled. A
 * crash between the steps is finished by closing the same date again; the report is the
 * same, because everything it reads is fixed by the cut.
 */
export class EodService {
  constructor(
    private readonly bus: Bus,
    private readonly indexes: JournalReader,
    private readonly readSide: ReadSide,
    private readonly today: () => BusinessDate,
    private readonly clockNow: () => number,
    private readonly post: SystemPosting,
    private readonly sections: Readonly<Record<string, EodSection>> = {},
  ) {}

  /** A date already closed, or folded into a later close, answers that close's report. */
  async close(date: BusinessDate): Promise<ActorReply<EodReport>> {
    const stored = this.report(date);
    if (stored !== null) return { ok: true, value: stored };
    await this.readSide.catchUpFully();
    const first = prepared(this.readSide.model.db, 'select min(day) as day from legs').get() as { day: string | null };
    const begun = await this.bus.ask(eodActorId, { type: 'begin_close', data: { date, today: this.today(), firstDay: first.day } });
    if (!begun.ok) return begun as ActorReply<EodReport>;
    const again = this.report(date);
    if (again !== null) return { ok: true, value: again };
    const closing = (begun.value as EodState).closing;
    if (closing === null || closing.date !== date) return { ok: false, code: 'eod_day_not_closing', detail: `no close of ${date} is under way` };
    await this.readSide.catchUpFully();
    const cut = this.readSide.model.db.prepare('select position from closed_days where date = ?').get(date) as { position: bigint } | undefined;
    if (cut === undefined) return { ok: false, code: 'eod_day_not_closing', detail: `the cut of ${date} is not projected yet; retry` };
    const previous = this.previousClosed(date);
    const figures = dayFigures(this.readSide.model.db, date, closing.from, previous);
    const sections: Record<string, unknown> = {};
    for (const [name, section] of Object.entries(this.sections)) sections[name] = section(date, closing.from);
    const lending = await this.lendingSection(date);
    if (lending !== null && !lending.ok) return lending;
    if (lending !== null) sections.lending = lending.value;
    const report: EodReport = {
      date,
      from: closing.from,
      cutPosition: Number(cut.position),
      trialBalance: figures.trialBalance,
      balanced: figures.trialBalance.every((line) => line.debits === line.credits),
      accounts: figures.accounts,
      balancesDigest: figures.digest,
      inFlight: figures.inFlight,
      sections,
      closedAt: this.clockNow(),
    };
    const completed = await this.bus.ask(eodActorId, { type: 'complete_close', data: { report } });
    if (!completed.ok) return completed as ActorReply<EodReport>;
    return { ok: true, value: this.report(date) ?? report };
  }

  /**
   * The report of the close covering a date: its own, or the first later one (days never
   * closed are folded into the next close; days before the first close, without postings,
   * into the first). Null while no close covers it.
   */
  report(date: BusinessDate): EodReport | null {
    const exact = this.indexes.getIndex('eod_reports', date) as EodReport | undefined;
    if (exact !== undefined) return exact;
    // One report per closed day, in date order: a short scan.
    for (const { key, value } of this.indexes.scanIndex('eod_reports')) if (key > date) return value as EodReport;
    return null;
  }

  /**
   * Lending at the cut (overdue classes, what the guarantee is owed) and the day's interest
   * accrual posting: it brings `sys.interest.accrued` (booked through the day) to the interest
   * earned and not yet paid at the end of the day, moving the difference between it and
   * `sys.interest.receivable`. The posting is made after the cut, so the ledger dates it the
   * next open day; both figures are fixed by the cut, so closing the day again posts the same
   * transfer under the same id (the ledger answers the first).
   */
  private async lendingSection(date: BusinessDate): Promise<ActorReply<Record<string, unknown>> | null> {
    const row = prepared(this.readSide.model.db, "select body from day_sections where date = ? and name = 'lending'").get(date) as { body: string } | undefined;
    if (row === undefined) return null;
    const day = JSON.parse(row.body) as LendingDayBody;
    const receivable = BigInt(day.accrual.receivable);
    const booked = this.bookedAccrual(date);
    const delta = receivable - booked;
    const posting = delta === 0n ? null : await this.postAccrual(date, delta);
    if (posting !== null && !posting.ok) return posting;
    const cny = (minor: string | bigint) => formatAmount(BigInt(minor), 'CNY');
    const overdue = Object.fromEntries(
      Object.entries(day.overdue).map(([name, line]) => [name, { periods: line.periods, loans: line.loans, principal: cny(line.principal), interest: cny(line.interest), penalty: cny(line.penalty ?? 0n) }]),
    );
    return {
      ok: true,
      value: {
        overdue,
        compensatedOwed: { periods: day.compensatedOwed.periods, amount: cny(day.compensatedOwed.amount) },
        accrual: {
          loans: day.accrual.loans,
          earnedOnDay: cny(day.accrual.earnedOnDay),
          penalty: cny(day.accrual.penalty ?? 0n),
          receivable: cny(receivable),
          bookedBefore: cny(booked),
          posting: posting === null ? null : { transferId: accrualTransferIdOf(date), amount: cny(delta) },
        },
      },
    };
  }

  /** sys.interest.accrued's balance through the day (credits − debits of the legs dated on or before it). */
  private bookedAccrual(date: BusinessDate): bigint {
    const row = prepared(this.readSide.model.db,
      `select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as booked from legs where account = ? and day <= ?`,
    ).get(systemAccounts.interestAccrued, date) as { booked: bigint };
    return row.booked;
  }

  private async postAccrual(date: BusinessDate, delta: bigint): Promise<ActorReply<TransferRecord>> {
    const [debit, credit] = delta > 0n ? [systemAccounts.interestReceivable, systemAccounts.interestAccrued] : [systemAccounts.interestAccrued, systemAccounts.interestReceivable];
    const amount = formatAmount(delta > 0n ? delta : -delta, 'CNY');
    return this.post({ id: accrualTransferIdOf(date), debit, credit, amount, pending: false, timeoutMs: null, memo: `interest accrual through ${date}` });
  }

  private previousClosed(date: BusinessDate): { date: string; digest: string } | null {
    const row = this.readSide.model.db.prepare("select date, report from closed_days where date < ? and report <> '' order by date desc limit 1").get(date) as
      | { date: string; report: string }
      | undefined;
    return row === undefined ? null : { date: row.date, digest: (JSON.parse(row.report) as { balancesDigest: string }).balancesDigest };
  }
}

/** The lending section as the eod projector stored it at the cut (amounts as minor-unit strings). */
interface LendingDayBody {
  readonly overdue: Record<string, { periods: number; loans: number; principal: string; interest: string; penalty?: string }>;
  readonly compensatedOwed: { periods: number; amount: string };
  readonly accrual: { loans: number; receivable: string; earnedOnDay: string; penalty?: string };
}
