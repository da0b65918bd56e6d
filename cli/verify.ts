import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import type { Output } from './commands.js';

/**
 * `fundcore verify`: recomputes every partition's hash chain of a node's journal, on its
 * files (the node may be running: LMDB readers do not stop its writer), and names the first
 * entry whose link does not hold. Exit 1 when one does not.
 */
export function verifyCommand(dataDirText: string | undefined, env: NodeJS.ProcessEnv): Output & { readonly exitCode: number } {
  const dataDir = resolve(dataDirText ?? env.DATA_DIR ?? './data');
  const path = join(dataDir, 'journal');
  if (!existsSync(path)) return { json: { error: 'no_journal', path }, text: `fundcore: no journal at ${path}`, exitCode: 2 };
  const journal = new LmdbJournal({ path, readOnly: true });
  try {
    const { entries, unsealedAtEnd, heads, broken } = journal.verifyChain();
    const headList = [...heads].sort(([a], [b]) => a - b).map(([partition, head]) => ({ partition, ...head }));
    const json = { path, partitionCount: journal.partitionCount, entries, unsealedAtEnd, intact: broken === null, broken, heads: headList };
    const pending = unsealedAtEnd > 0 ? ` (${unsealedAtEnd} at the end not sealed yet: a running node seals each within milliseconds)` : '';
    if (broken === null) return { json, text: `${path}: ${entries} entries on ${heads.size} partition chains, every link holds${pending}`, exitCode: 0 };
    const where = `position ${broken.position} (${broken.actorId}, seq ${broken.firstSeq}, partition ${broken.partition})`;
    return { json, text: `${path}: BROKEN at ${where}: ${reasonText[broken.reason]}; ${entries} entries before it hold`, exitCode: 1 };
  } finally {
    void journal.close();
  }
}

const reasonText = {
  hash_mismatch: 'the entry or its events differ from what was sealed, or an earlier entry of the partition was removed',
  unsealed: 'its link was removed while later entries are sealed',
  events_missing: 'its events record is gone',
} as const;
