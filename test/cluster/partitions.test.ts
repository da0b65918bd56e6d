import t from 'tap';
import { leaseKey, partitionOfLeaseKey } from '../../cluster/leases.js';
import { formatPartitions, parsePartitions, partitionOfAccount, partitionOfActor } from '../../cluster/partitions.js';

t.test('every sub-account of a hot account is on its account partition', async (t) => {
  for (const id of ['alice', 'platform-revenue', 'a.b:c_d-9']) {
    const partition = partitionOfAccount(id, 256);
    for (let part = 0; part < 64; part++) t.equal(partitionOfActor(`acct:${id}#${part}`, 256), partition, `${id}#${part}`);
  }
});

t.test('partition sets: ranges and lists parse, anything else is refused', async (t) => {
  t.same(parsePartitions('0-3,7, 5', 8), [0, 1, 2, 3, 5, 7]);
  t.same(parsePartitions('0-127', 256).length, 128);
  for (const bad of ['', '3-1', '0-8', 'a', '1-', '-1', '1..3']) t.throws(() => parsePartitions(bad, 8), RangeError, bad);
  t.equal(formatPartitions([7, 0, 1, 2, 5]), '0-2,5,7');
  t.equal(formatPartitions([]), '');
});

t.test('actor ids spread over the partitions', async (t) => {
  const counts = new Array<number>(16).fill(0);
  for (let i = 0; i < 16_000; i++) counts[partitionOfAccount(`w${i}`, 16)]! += 1;
  t.ok(Math.min(...counts) > 800 && Math.max(...counts) < 1_200, `counts ${counts.join(',')}`);
});

t.test('a lease key names its partition both ways; other keys name none', async (t) => {
  for (const partition of [0, 7, 255]) t.equal(partitionOfLeaseKey(leaseKey(partition)), partition);
  t.equal(partitionOfLeaseKey('home-3'), null);
  t.equal(partitionOfLeaseKey('p'), null);
});
