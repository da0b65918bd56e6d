import { readFileSync } from 'node:fs';
import type { AppendRequest, Journal } from '../../persistence/journal.js';

/** One step of a recorded journal: an append, or a meta write (the relay's cursor), in the order they happened. */
type RecordedStep = { readonly append: AppendRequest } | { readonly meta: readonly [string, unknown] };

/** bigint, Map and Set as the recorder wrote them ({$bigint}, {$map}, {$set}). */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const tagged = value as { $bigint?: string; $map?: [unknown, unknown][]; $set?: unknown[] };
  if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
  if (tagged.$map !== undefined) return new Map(tagged.$map.map(([k, v]) => [decode(k), decode(v)]));
  if (tagged.$set !== undefined) return new Set(tagged.$set.map(decode));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
}

/**
 * Writes a journal recorded from an earlier version of fundcore (test/fixtures/journals/) into
 * `journal`, append by append, exactly as that version wrote it: the journal a node of that
 * version left behind.
 */
export async function writeRecordedJournal(journal: Journal, fixture: URL): Promise<void> {
  const { steps } = JSON.parse(readFileSync(fixture, 'utf8')) as { steps: unknown[] };
  for (const step of steps.map(decode) as RecordedStep[]) {
    if ('meta' in step) journal.putMeta(step.meta[0], step.meta[1]);
    else await journal.append(step.append).durable;
  }
}
