import { archiveAfterMonthsDefault, archiveCutoff, retentionCutoff } from '../../core/audit/archive-policy.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { ArchiveOutcome, ArchivePlan } from '../../persistence/archive/archive-plan.js';
import { lastClosedDay } from '../../persistence/projections/closed-days.js';
import type { ReadSide } from '../../persistence/projections/read-side.js';
import { silentLogger, systemTimers, type Logger, type TimerHandle, type Timers } from '../runtime/clock.js';

/** ARCHIVE_AFTER_MONTHS, ARCHIVE_EVERY_MINUTES, RETENTION_YEARS (gateway/config.ts). */
export interface ArchivingConfig {
  /** Ended records older than this many whole months leave the hot read models. */
  readonly afterMonths: number;
  /** How often the node archives by itself; 0: only when asked (POST /ops/archive). */
  readonly everyMinutes: number;
  /** Archived months and audit rows older than this are removed; null: kept for good. Never under 3 (core/audit/archive-policy.ts). */
  readonly retentionYears: number | null;
}

export const defaultArchiving: ArchivingConfig = { afterMonths: archiveAfterMonthsDefault, everyMinutes: 60, retentionYears: null };

/** What a run did, with the plan it followed. */
export interface ArchiveReport extends ArchiveOutcome {
  readonly today: BusinessDate;
  readonly plan: ArchivePlan;
}

/**
 * Archiving and retention on the business calendar: from today's date, the configuration
 * and the last closed day, a plan for the read side (which runs it in the read models'
 * writer). One run at a time: asking while one runs answers that run.
 */
export class ArchiveService {
  private running: Promise<ArchiveReport> | null = null;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly readSide: ReadSide,
    private readonly today: () => BusinessDate,
    readonly config: ArchivingConfig = defaultArchiving,
    private readonly timers: Timers = systemTimers,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The plan for today: what would go, what would be removed. */
  planFor(today: BusinessDate): ArchivePlan {
    const endedBefore = archiveCutoff(today, this.config.afterMonths, lastClosedDay(this.readSide.model.db));
    const removeDay = retentionCutoff(today, this.config.retentionYears);
    return { endedBefore, removeBefore: removeDay === null ? null : { day: removeDay, atMs: Date.parse(`${removeDay}T00:00:00Z`) } };
  }

  runNow(): Promise<ArchiveReport> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  start(): void {
    if (this.config.everyMinutes <= 0 || this.timer !== null) return;
    this.timer = this.timers.every(this.config.everyMinutes * 60_000, () => {
      void this.runNow().then(
        (report) => {
          if ((report.archived?.moved.length ?? 0) > 0 || (report.removed?.months.length ?? 0) > 0) this.logger.info(report, 'archived');
        },
        (error: unknown) => this.logger.error({ err: error }, 'archiving failed; tried again at the next interval'),
      );
    });
  }

  /** Stops the schedule and waits for a run under way. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<ArchiveReport> {
    await this.readSide.catchUpFully();
    const today = this.today();
    const plan = this.planFor(today);
    const outcome = await this.readSide.archive(plan);
    return { today, plan, ...outcome };
  }
}
