import t from 'tap';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import type { Journal } from '../../persistence/journal.js';
import { journalContract } from './journal-contract.js';

journalContract(t, {
  open: async () => new MemoryJournal(),
  reopen: async (journal: Journal) => (journal as MemoryJournal).reopen(),
});
