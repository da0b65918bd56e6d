import { evolveLoan } from '../../core/lending/loan/evolve-loan.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import { initialLoanState, type LoanState } from '../../core/lending/loan/loan.js';
import { isSkeletonPlan } from '../../core/lending/plan/skeleton-plan.js';
import { indexNames, type AppendResult, type Journal, type JournalReader } from '../journal.js';
import { upgradedEvent, upgradedIndexValue, type UpgradeCounts } from './skeleton-era.js';

/**
 * Journals of fundcore's skeleton-plan era (up to 86ea8b0) do not replay on this version
 * (skeleton-era.ts says why). The node refuses to start on one (`journalUpgradeNeededOf`),
 * naming the command that rewrites it: `npm run journal:upgrade` (upgrade-cli.ts), which
 * calls `upgradeJournal` with the node stopped.
 */

/** The node was started on a journal it cannot replay: the message names the command that upgrades it. */
export class JournalUpgradeRequiredError extends Error {
  override readonly name = 'JournalUpgradeRequiredError';
}

/** Set once a journal is known to hold no skeleton plan: later starts skip the scan. */
export const plansWithAmountsMetaKey = 'journal.plans_with_amounts';

/** The meta a rebuilt journal keeps: where the outbox relay stood, a cluster node's identity. */
const metaKeysKept = ['relay.cursor', 'cluster.nodeId'];

/** Index writes per zero-event append while copying the indexes. */
const indexWritesPerAppendMax = 5_000;

/** Appends issued before waiting for them (each actor's next append waits for its previous one). */
const appendsInFlightMax = 1_000;

/** The plan actors whose plan is a skeleton (as its first event or its snapshot holds it): empty when the journal needs no upgrade. */
export function skeletonPlanActorsOf(journal: JournalReader): string[] {
  if (journal.getMeta(plansWithAmountsMetaKey) === true) return [];
  const found: string[] = [];
  let after = '';
  for (;;) {
    const ids = journal.listActorIds({ prefix: 'plan:', after, limit: 1_000 });
    for (const id of ids) if (holdsSkeletonPlan(journal, id)) found.push(id);
    const last = ids.at(-1);
    if (last === undefined) return found;
    after = last;
  }
}

function holdsSkeletonPlan(journal: JournalReader, actorId: string): boolean {
  const snapshot = journal.readSnapshot(actorId)?.state as { plan?: unknown } | undefined;
  if (isSkeletonPlan(snapshot?.plan)) return true;
  for (const { event } of journal.readEvents(actorId, 1)) return isSkeletonPlan((event as { data?: { plan?: unknown } }).data?.plan);
  return false;
}

/**
 * Why a node cannot start on `journal`, or null: it holds plans written before plans carried
 * amounts. When it does not, the journal is marked so that the next start does not look again.
 */
export function journalUpgradeNeededOf(journal: Journal, dataDir: string | null): string | null {
  const stale = skeletonPlanActorsOf(journal);
  if (stale.length === 0) {
    journal.putMeta(plansWithAmountsMetaKey, true);
    return null;
  }
  const named = stale.slice(0, 5).join(', ') + (stale.length > 5 ? `, … (${stale.length} in all)` : '');
  const command = `npm run journal:upgrade -- --data-dir ${dataDir ?? '<DATA_DIR>'}`;
  return (
    `cannot start: this journal was written by a fundcore whose repayment plans had no amounts (${named}). ` +
    `Run \`${command}\` with the node stopped: it rebuilds the journal beside the old one (kept) with each plan's amounts recomputed from its loan's terms, then start again.`
  );
}

export interface UpgradeReport extends UpgradeCounts {
  readonly logEntries: number;
  readonly events: number;
  readonly snapshotsLeftOut: number;
  readonly indexEntries: number;
}

/**
 * Writes `from`'s journal into the empty `to`, as this version writes it: every log entry in
 * order, an append with the same events (upgraded, skeleton-era.ts), business date and epoch —
 * so the log positions are the same; no snapshot (the actors replay their events); every
 * index entry (upgraded); the relay's cursor. Throws JournalUpgradeError when a plan cannot be
 * recomputed, before `to` is of any use.
 */
export async function upgradeJournal(from: JournalReader, to: Journal, systemOverdrafts: ReadonlyMap<string, boolean>): Promise<UpgradeReport> {
  const loans = new Map<string, LoanState>();
  const context = { loans, systemOverdrafts };
  const counts: UpgradeCounts = { plans: [], claims: 0, capitals: 0, accounts: [] };
  const pending = new Map<string, Promise<AppendResult>>();
  let logEntries = 0;
  let events = 0;
  let lastActor: string | null = null;
  for (const entry of from.readLog(1)) {
    const actorType = entry.actorId.slice(0, entry.actorId.indexOf(':'));
    const stored = [...from.readEvents(entry.actorId, entry.firstSeq)].slice(0, entry.count).map((e) => e.event);
    const upgraded = stored.map((event) => upgradedEvent(actorType, event, context, counts));
    if (actorType === 'loan') {
      const loanId = entry.actorId.slice('loan:'.length);
      loans.set(loanId, (upgraded as LoanEvent[]).reduce(evolveLoan, loans.get(loanId) ?? initialLoanState));
    }
    await pending.get(entry.actorId);
    const append = to.append({ actorId: entry.actorId, expectedSeq: entry.firstSeq - 1, events: upgraded, indexWrites: [], ...(entry.businessDate !== null ? { businessDate: entry.businessDate } : {}), ...(entry.epoch !== null ? { epoch: entry.epoch } : {}) });
    pending.set(entry.actorId, append.durable);
    if (pending.size >= appendsInFlightMax) await drain(pending);
    logEntries++;
    events += upgraded.length;
    lastActor = entry.actorId;
  }
  await drain(pending);
  const indexEntries = lastActor === null ? 0 : await copyIndexes(from, to, lastActor, context);
  for (const key of metaKeysKept) {
    const value = from.getMeta(key);
    if (value !== undefined) to.putMeta(key, value);
  }
  to.putMeta(plansWithAmountsMetaKey, true);
  return { ...counts, logEntries, events, snapshotsLeftOut: countSnapshots(from), indexEntries };
}

async function drain(pending: Map<string, Promise<AppendResult>>): Promise<void> {
  await Promise.all(pending.values());
  pending.clear();
}

/** Every index entry, upgraded, in zero-event appends of one actor (index writes need an append). */
async function copyIndexes(from: JournalReader, to: Journal, actorId: string, context: Parameters<typeof upgradedIndexValue>[2]): Promise<number> {
  const head = to.headSeq(actorId);
  let copied = 0;
  for (const index of indexNames) {
    let writes: { index: typeof index; key: string; value: unknown }[] = [];
    const flush = async () => {
      if (writes.length > 0) await to.append({ actorId, expectedSeq: head, events: [], indexWrites: writes }).durable;
      writes = [];
    };
    for (const { key, value } of from.scanIndex(index)) {
      writes.push({ index, key, value: upgradedIndexValue(index, value, context) });
      copied++;
      if (writes.length >= indexWritesPerAppendMax) await flush();
    }
    await flush();
  }
  return copied;
}

function countSnapshots(journal: JournalReader): number {
  let count = 0;
  let after = '';
  for (;;) {
    const ids = journal.listActorIds({ after, limit: 1_000 });
    for (const id of ids) if (journal.readSnapshot(id) !== undefined) count++;
    const last = ids.at(-1);
    if (last === undefined) return count;
    after = last;
  }
}
