/**
 * The order in which a journal's appends land: each append that takes a log position lands
 * only if the append issued before it landed — its write is conditioned on that one's log
 * entry existing when the writer reaches it (in the same transaction or an earlier one). So
 * what lands is always a prefix of what was issued: an append that did not land (its commit
 * failed, or its condition did not hold) takes every later one in flight down with it, and a
 * caller whose write was issued after another's may take its own landing as proof that the
 * other landed too (a transfer's debit, issued after its id's claim, never lands without it).
 *
 * After such a failure no append is taken until those in flight have settled; the next one is
 * then conditioned on the last entry that is on disk. Positions are never given out twice:
 * those of appends that did not land stay empty, as they always could.
 */
export class AppendLanding {
  private inFlight = 0;
  private broken = false;
  /** The log position the next append is conditioned on (null: none, an empty log). */
  private previous: number | null;

  constructor(lastLanded: number) {
    this.previous = lastLanded > 0 ? lastLanded : null;
  }

  /**
   * Whether an append may be issued now; when the landing was broken and nothing is in
   * flight any more, starts again after `lastLanded()` (read only then: a read of the log's
   * end, on disk).
   */
  mayIssue(lastLanded: () => number): boolean {
    if (!this.broken) return true;
    if (this.inFlight > 0) return false;
    const last = lastLanded();
    this.previous = last > 0 ? last : null;
    this.broken = false;
    return true;
  }

  /** An append issued: the position its write must find (null: no condition), and, when it takes one, its own position for the next. */
  issued(position: number | null): number | null {
    this.inFlight++;
    const after = this.previous;
    if (position !== null) this.previous = position;
    return position === null ? null : after;
  }

  /** An issued append settled: landed, or not (then nothing is issued until every append in flight has settled). */
  settled(landed: boolean): void {
    this.inFlight--;
    if (!landed) this.broken = true;
  }

  get appendsInFlight(): number {
    return this.inFlight;
  }
}
