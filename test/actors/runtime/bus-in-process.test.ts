import t from 'tap';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { InstrumentedJournal } from '../../helpers/journals.js';
import { memoryNode } from '../../helpers/ledger.js';
import { busContract } from './bus-contract.js';

let run = 0;
// The runtime's timers are unref'd: something must keep the process up while an ask times out.
const keepAlive = setInterval(() => {}, 1_000);
t.teardown(() => clearInterval(keepAlive));
busContract(t, async () => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const node = memoryNode(t, { journal });
  const prefix = `r${run++}-`;
  return { bus: node.system, accountId: (name) => `${prefix}${name}`, hold: () => journal.hold(), release: () => journal.release() };
});
