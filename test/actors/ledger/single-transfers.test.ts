import fc from 'fast-check';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { LedgerService } from '../../../actors/ledger/ledger-service.js';
import type { TransferInput } from '../../../actors/ledger/ledger-api.js';
import type { ActorReply } from '../../../actors/runtime/behavior.js';
import { runWithCause } from '../../../actors/runtime/cause.js';
import type { Bus } from '../../../actors/runtime/relay.js';
import type { Cause } from '../../../core/audit/cause.js';
import type { TransferRecord } from '../../../core/ledger/transfer.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { balanceOf, openAccount, quiescent, transfer } from '../../helpers/ledger.js';

/** The node's own bus, with every ask's target and message type written down. */
class RecordingBus implements Bus {
  target: Bus | null = null;
  readonly asks: { actorId: string; type: string }[] = [];
  ask(actorId: string, message: unknown, timeoutMs?: number, cause?: Cause): Promise<ActorReply> {
    this.asks.push({ actorId, type: (message as { type: string }).type });
    return (this.target as Bus).ask(actorId, message, timeoutMs, cause);
  }
}

async function nodeWithWallets(wallets: readonly string[], bus?: RecordingBus): Promise<FundcoreNode> {
  const node = FundcoreNode.start({ journal: new MemoryJournal(), ...(bus === undefined ? {} : { bus }) });
  if (bus !== undefined) bus.target = node.system;
  await openAccount(node, 'bank', 'bank_settlement', true);
  for (const id of wallets) await openAccount(node, id);
  await quiescent(node);
  return node;
}

/** What a reply says, without the instants it was decided at. */
function outcomeOf(reply: ActorReply<TransferRecord>): string {
  return reply.ok ? `ok ${reply.value.debit}→${reply.value.credit} ${reply.value.amount} ${reply.value.status}` : reply.code;
}

/**
 * Wallets that are only debited, and one that is only credited (`sink`): a credit lands when
 * the outbox delivers it, so a wallet both paid and spending within a turn would be short or
 * not by the delivery's timing, alone as together. The bank may overdraw.
 */
const wallets = ['w1', 'w2', 'w3'];
const sink = 'sink';
const singleTransfer = fc
  .record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    debit: fc.constantFrom('bank', ...wallets, 'nobody'),
    credit: fc.constantFrom('bank', sink, 'nobody', 'itself'),
    amount: fc.constantFrom('1.00', '2.50', '4.00', '0', '-1'),
  })
  .map((item) => (item.credit === 'itself' ? { ...item, credit: item.debit } : item));

t.test('property: the single transfers of one turn are each answered as if alone, one after the other', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(singleTransfer, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }), async (turns) => {
      // Given two nodes with the same accounts, the wallets funded
      const funding = wallets.map((id) => transfer(`fund-${id}`, 'bank', id, '5.00'));
      const together = await nodeWithWallets([...wallets, sink]);
      const alone = await nodeWithWallets([...wallets, sink]);
      try {
        for (const node of [together, alone]) {
          for (const input of funding) await node.ledger.createTransfer(input);
          await quiescent(node);
        }
        for (const turn of turns) {
          const inputs: TransferInput[] = turn.map(({ id, debit, credit, amount }) => transfer(id, debit, credit, amount));
          // When one node gets a turn's transfers all at once, the other one at a time
          const replies = (await Promise.all(inputs.map((input) => together.ledger.createTransfer(input)))).map(outcomeOf);
          const serial: string[] = [];
          for (const input of inputs) serial.push(outcomeOf(await alone.ledger.createTransfer(input)));
          // Then every reply is the same — but for one race of concurrent requests: a transfer
          // refused for its content binds nothing, so when another request of the turn binds its
          // id to another account first, it may meet that binding (a serial order of the two
          // that puts the other first).
          const contested = (i: number) => inputs.some((other, j) => j !== i && other.id === inputs[i]?.id && other.debit !== inputs[i]?.debit);
          replies.forEach((reply, i) => {
            const expected = serial[i] as string;
            const raced = contested(i) && !expected.startsWith('ok') && reply === 'id_reused_with_different_content';
            if (reply !== expected && !raced) throw new Error(`item ${i} of ${JSON.stringify(inputs)}: ${reply} together, ${expected} alone`);
          });
        }
        await quiescent(together);
        await quiescent(alone);
        // And every balance is the same
        const balances = async (node: FundcoreNode) => Promise.all(['bank', ...wallets, sink].map((id) => balanceOf(node, id)));
        const [mine, theirs] = [await balances(together), await balances(alone)];
        if (mine.join() !== theirs.join()) throw new Error(`balances differ: ${mine.join()} against ${theirs.join()}`);
      } finally {
        await together.stop();
        await alone.stop();
      }
    }),
    { numRuns: 40 },
  );
});

t.test('given single transfers of three requests in one turn, when decided, then their ids are claimed in one message per owner and each binding names its own request', async (t) => {
  const bus = new RecordingBus();
  const node = await nodeWithWallets(wallets, bus);
  t.teardown(() => node.stop());
  bus.asks.length = 0;
  const requests = [1, 2, 3].map((n) => ({ who: `client:${n}`, requestId: `req-${n}`, orderId: `s${n}` }));
  const replies = await Promise.all(requests.map((cause, i) => runWithCause({ ...cause }, () => node.ledger.createTransfer(transfer(cause.orderId, 'bank', wallets[i] as string, '1.00')))));
  t.ok(replies.every((reply) => reply.ok), 'all three done');
  const claims = bus.asks.filter(({ actorId }) => actorId.startsWith('tid:'));
  const owners = new Set(claims.map(({ actorId }) => actorId));
  t.equal(claims.length, owners.size, 'one claim message per owner');
  t.ok(
    claims.every(({ type }) => type === 'claim_ids'),
    'the claims travel as a batch',
  );
  const bindings = [...node.journal.readLog(1)].filter((entry) => entry.actorId.startsWith('tid:'));
  const causes = bindings.flatMap((entry) => entry.causes.map(({ who, requestId, orderId }) => ({ who, requestId, orderId })));
  t.same(
    causes.sort((a, b) => a.who.localeCompare(b.who)),
    requests,
    'each binding names the request that asked for it',
  );
  await quiescent(node);
  for (const id of wallets) t.equal(await balanceOf(node, id), 100n);
});

t.test('given a node that is overloaded, when a single transfer arrives, then it is refused at once and nothing is decided', async (t) => {
  const node = await nodeWithWallets(['w1']);
  t.teardown(() => node.stop());
  let overloaded = true;
  const ledger = new LedgerService(node.system, () => overloaded);
  await t.rejects(ledger.createTransfer(transfer('o1', 'bank', 'w1', '1.00')), { code: 'overloaded' });
  overloaded = false;
  await quiescent(node);
  t.equal(await balanceOf(node, 'w1'), 0n, 'nothing moved');
  const found = await ledger.getTransfer('o1');
  t.same(found.ok ? 'found' : found.code, 'transfer_not_found', 'not even the id was claimed');
  t.ok((await ledger.createTransfer(transfer('o1', 'bank', 'w1', '1.00'))).ok, 'once the load is gone, the same id goes through');
});

t.test('given a transfer refused for its content and another of the same id in one turn, when the second binds the id, then the binding names the second request', async (t) => {
  const node = await nodeWithWallets(wallets);
  t.teardown(() => node.stop());
  const checker = { who: 'client:checker', requestId: 'req-c', orderId: 'same' };
  const binder = { who: 'client:binder', requestId: 'req-b', orderId: 'same' };
  const [refused, bound] = await Promise.all([
    // Debit = credit: refused without being recorded, so its claim only checks the id.
    runWithCause({ ...checker }, () => node.ledger.createTransfer(transfer('same', 'w1', 'w1', '1.00'))),
    runWithCause({ ...binder }, () => node.ledger.createTransfer(transfer('same', 'bank', 'w1', '1.00'))),
  ]);
  t.same([refused.ok ? 'ok' : refused.code, bound.ok], ['accounts_must_be_different', true]);
  const bindings = [...node.journal.readLog(1)].filter((entry) => entry.actorId.startsWith('tid:'));
  t.same(
    bindings.flatMap((entry) => entry.causes.map(({ who }) => who)),
    ['client:binder'],
    'the one binding is the request that bound the id, not the one that checked it',
  );
});
