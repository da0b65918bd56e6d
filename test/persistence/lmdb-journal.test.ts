import t from 'tap';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import type { Journal } from '../../persistence/journal.js';
import { journalContract } from './journal-contract.js';

const paths = new WeakMap<Journal, string>();

journalContract(t, {
  open: async () => {
    const path = t.testdirName + '-' + Math.random().toString(36).slice(2);
    const journal = new LmdbJournal({ path });
    paths.set(journal, path);
    return journal;
  },
  reopen: async (journal: Journal) => {
    const path = paths.get(journal) ?? '';
    await journal.close();
    const reopened = new LmdbJournal({ path });
    paths.set(reopened, path);
    return reopened;
  },
});
