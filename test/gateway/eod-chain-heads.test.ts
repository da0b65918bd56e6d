import { join } from 'node:path';
import t from 'tap';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { fundedWallets, gateway, opsKey } from '../helpers/gateway.js';
import { tempDir } from '../helpers/ledger.js';

const ops = { authorization: `Bearer ${opsKey}` };

t.test('given a node on disk, when a day is closed, then its report carries each partition\'s chain head, and they are the chain\'s links at those positions', async (t) => {
  const journal = new LmdbJournal({ path: join(tempDir(t, 'fundcore-eod-chain-'), 'journal') });
  const h = await gateway(t, { journal, businessClock: { mode: 'sim', startDate: '2031-05-01' } });
  await fundedWallets(h, { w1: '100.00', w2: '50.00' });
  t.equal((await h.post('/v1/transfers', { id: 'p1', debit: 'w1', credit: 'w2', amount: '7.00' })).statusCode, 201);
  await h.quiescent();
  await h.post('/ops/clock', { date: '2031-05-02' }, ops);
  const closed = await h.post('/v1/eod/2031-05-01/close', undefined, ops);
  t.equal(closed.statusCode, 200, closed.body);
  const heads = closed.json().chainHeads as { partition: number; position: number; hash: string }[];
  t.ok(heads.length > 0 && heads.length <= journal.partitionCount, `${heads.length} partitions had a chain at the cut`);
  for (const head of heads) {
    const then = journal.verifyChain(head.position);
    t.equal(then.broken, null);
    t.equal(then.heads.get(head.partition)?.hash, head.hash, `partition ${head.partition}: the link at ${head.position}`);
  }
  t.same((await h.get('/v1/eod/2031-05-01')).json().chainHeads, heads, 'the stored report has them');
});
