import fc from 'fast-check';
import t from 'tap';
import type { AccountSettings } from '../../../core/ledger/account.js';
import { accountOwnerDecider, idOwnerGroupOf, idOwnerGroups, ownedIdLengthMax, transferOwnerDecider, type IdOwnerCommand, type IdOwnerEvent } from '../../../core/ledger/id-owner.js';
import { isRejection } from '../../../core/rejection.js';
import { deciderOf } from '../lending/given.js';

const { decide, evolve, initialState, reply } = transferOwnerDecider;
const given = deciderOf(decide, evolve, initialState);
const claim = (id: string, debit: string, holder: string | null, bind = true): IdOwnerCommand<string> => ({ type: 'claim_id', data: { id, value: debit, bind, holder } });
const find = (id: string, holder: string | null): IdOwnerCommand<string> => ({ type: 'find_id', data: { id, holder } });
const claimed = (id: string, debit: string): IdOwnerEvent<string> => ({ type: 'id_claimed', data: { id, value: debit } });

t.test('claim_id: a free id is bound; the same value again changes nothing', async (t) => {
  given().when(claim('t1', 'alice', null)).then(t, [claimed('t1', 'alice')], 'a free id');
  given(claimed('t1', 'alice')).when(claim('t1', 'alice', 'alice')).then(t, [], 'a retry with the same value');
  given().when(claim('t1', 'alice', null, false)).then(t, [], 'a check of a free id binds nothing');
  t.same(reply(initialState, claim('t1', 'alice', null), [claimed('t1', 'alice')]), { value: 'alice' }, 'the reply names the holder');
  t.same(reply(initialState, claim('t1', 'alice', 'alice'), []), { value: 'alice' }, 'a retry: the holder again');
  t.same(reply(initialState, claim('t1', 'alice', null, false), []), { value: null }, 'a check of a free id: no holder');
});

t.test('claim_id precedence: 1. owned_id_invalid, 2. id_reused_with_different_content', async (t) => {
  given().when(claim('', 'alice', null)).rejects(t, 'owned_id_invalid', '1. an empty id');
  given().when(claim('x'.repeat(ownedIdLengthMax + 1), 'alice', null)).rejects(t, 'owned_id_invalid', '1. an id over the limit');
  given().when(claim('', 'alice', 'bob')).rejects(t, 'owned_id_invalid', '1 before 2');
  given(claimed('t1', 'bob')).when(claim('t1', 'alice', 'bob')).rejects(t, 'id_reused_with_different_content', '2. bound to another value');
  given(claimed('t1', 'bob')).when(claim('t1', 'alice', 'bob', false)).rejects(t, 'id_reused_with_different_content', '2. a check refuses as a claim does');
});

t.test('find_id: answers the holder, changes nothing', async (t) => {
  given().when(find('t1', null)).then(t, [], 'nothing decided');
  t.same(reply(initialState, find('t1', 'bob'), []), { value: 'bob' });
  t.same(reply(initialState, find('t1', null), []), { value: null });
});

t.test('an account id is bound to all of its settings: any difference is another account', async (t) => {
  const account = deciderOf(accountOwnerDecider.decide, accountOwnerDecider.evolve, accountOwnerDecider.initialState);
  const plain: AccountSettings = { id: 'a', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 1, bufferCredits: false };
  const claimAccount = (value: AccountSettings, holder: AccountSettings | null): IdOwnerCommand<AccountSettings> => ({ type: 'claim_id', data: { id: 'a', value, bind: true, holder } });
  account().when(claimAccount(plain, null)).then(t, [{ type: 'id_claimed', data: { id: 'a', value: plain } }], 'a new account');
  account().when(claimAccount({ ...plain }, plain)).then(t, [], 'the same settings: an open retried');
  for (const other of [{ subAccounts: 4 }, { kind: 'bank_settlement' as const }, { currency: 'USD' as const }, { overdraft: true }, { bufferCredits: true }]) {
    account().when(claimAccount({ ...plain, ...other }, plain)).rejects(t, 'id_reused_with_different_content', JSON.stringify(other));
  }
});

t.test('an event costs O(1): the state is a count, whatever the number of ids', async (t) => {
  const state = Array.from({ length: 1_000 }, (_, i) => claimed(`t${i}`, 'a')).reduce(evolve, initialState);
  t.same(state, { claims: 1_000 });
});

t.test('property: over any sequence of claims, an id is bound once, to the first value claimed, and never moves', async (t) => {
  const claims = fc.array(fc.record({ id: fc.constantFrom('t1', 't2', 't3'), debit: fc.constantFrom('a', 'b', 'c'), bind: fc.boolean() }), { maxLength: 30 });
  fc.assert(
    fc.property(claims, (list) => {
      const bound = new Map<string, string>();
      let state = initialState;
      for (const { id, debit, bind } of list) {
        const holder = bound.get(id) ?? null;
        const decision = decide(state, claim(id, debit, holder, bind));
        const firstOrSame = holder === null || holder === debit;
        if (isRejection(decision) !== !firstOrSame) return false;
        if (isRejection(decision)) continue;
        for (const event of decision) {
          if (bound.has(event.data.id)) return false;
          bound.set(event.data.id, event.data.value);
          state = evolve(state, event);
        }
        if (bind && bound.get(id) !== (holder ?? debit)) return false;
      }
      return state.claims === bound.size;
    }),
    { numRuns: 300 },
  );
});

t.test('ids spread over every group', async (t) => {
  const groups = new Set(Array.from({ length: 20_000 }, (_, i) => idOwnerGroupOf(`transfer-${i}`)));
  t.equal(groups.size, idOwnerGroups);
});

t.test('claim_ids: each claim answered on its own, in order; an id twice in one batch is bound by the first', async (t) => {
  const batch: IdOwnerCommand<string> = {
    type: 'claim_ids',
    data: {
      claims: [
        { id: 'a', value: 'alice', bind: true, holder: null },
        { id: 'b', value: 'alice', bind: true, holder: 'bob' },
        { id: '', value: 'alice', bind: true, holder: null },
        { id: 'a', value: 'carol', bind: true, holder: null },
        { id: 'a', value: 'alice', bind: true, holder: null },
        { id: 'c', value: 'alice', bind: false, holder: null },
      ],
    },
  };
  given().when(batch).then(t, [claimed('a', 'alice')], 'one binding, for the first claim of a');
  t.same(reply(initialState, batch, [claimed('a', 'alice')]), {
    outcomes: [
      { ok: true, value: 'alice' },
      { ok: false, code: 'id_reused_with_different_content', detail: 'b was used before with other content' },
      { ok: false, code: 'owned_id_invalid', detail: `an id is 1..${ownedIdLengthMax} characters` },
      { ok: false, code: 'id_reused_with_different_content', detail: 'a was used before with other content' },
      { ok: true, value: 'alice' },
      { ok: true, value: null },
    ],
  });
});

t.test('property: a batch of claims decides what the same claims one by one would', async (t) => {
  const claims = fc.array(fc.record({ id: fc.constantFrom('t1', 't2', ''), debit: fc.constantFrom('a', 'b'), bind: fc.boolean() }), { maxLength: 20 });
  fc.assert(
    fc.property(claims, fc.constantFrom<string | null>(null, 'a'), (list, t1Holder) => {
      const looked = (id: string) => (id === 't1' ? t1Holder : null);
      const batch: IdOwnerCommand<string> = { type: 'claim_ids', data: { claims: list.map(({ id, debit, bind }) => ({ id, value: debit, bind, holder: looked(id) })) } };
      const batchEvents = decide(initialState, batch);
      const bound = new Map<string, string>();
      const oneByOne: IdOwnerEvent<string>[] = [];
      for (const { id, debit, bind } of list) {
        const decision = decide(initialState, claim(id, debit, looked(id) ?? bound.get(id) ?? null, bind));
        if (isRejection(decision)) continue;
        for (const event of decision) {
          bound.set(event.data.id, event.data.value);
          oneByOne.push(event);
        }
      }
      return JSON.stringify(batchEvents) === JSON.stringify(oneByOne);
    }),
    { numRuns: 200 },
  );
});
