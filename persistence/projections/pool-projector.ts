import type { Capital } from '../../core/lending/capital.js';
import type { HeldPiece, PoolEvent } from '../../core/lending/pool/pool.js';
import { assertNever } from '../../core/rejection.js';
import { postingDay } from './business-day.js';
import type { ProjectedEntry, Projector } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

/**
 * The capitals of every pool shard, from the events alone: a shard's state is never evolved
 * here (a shard holds every capital it ever took, so a second copy evolved per entry grew
 * with the platform). Each event names its capitals and the amounts that moved; the rows
 * change by those amounts. `capital_flows` records each change of a capital's money still
 * at the investor's bank account (principal − matched − pulled back), by business day.
 */
export const poolProjector: Projector = {
  actorType: 'pool',
  schema: [
    `create table if not exists capitals (id text primary key, investment_id text not null, investor text not null, shard integer not null,
      principal integer not null, matched integer not null, reserved integer not null, status text not null, property text not null,
      source text not null, created_on text not null, invest_repay_date text not null)`,
    'create index if not exists capitals_by_investment on capitals(investment_id)',
    'create table if not exists capital_flows (investor text not null, capital_id text not null, position integer not null, day text not null, delta integer not null)',
    'create index if not exists capital_flows_by_investor on capital_flows(investor, day)',
    // A capital's flows go to the archive with it (persistence/archive).
    'create index if not exists capital_flows_by_capital on capital_flows(capital_id)',
  ],
  stateless: true,
  initialState: () => null,
  evolve: () => null,
  project(db, entry) {
    const shard = BigInt(entry.actorId.slice('pool:'.length));
    for (const event of entry.events as PoolEvent[]) projectPoolEvent(db, entry, shard, event);
  },
};

function projectPoolEvent(db: ReadDatabase, entry: ProjectedEntry, shard: bigint, event: PoolEvent): void {
  switch (event.type) {
    case 'capital_added':
      return insertCapital(db, entry, shard, event.data.capital);
    case 'capitals_added':
      return event.data.capitals.forEach((capital) => insertCapital(db, entry, shard, capital));
    case 'reservation_answered':
      return event.data.pieces.forEach((piece) => reserve(db, piece, 1n));
    case 'reservations_released':
      return event.data.pieces.forEach((piece) => reserve(db, piece, -1n));
    case 'reservations_confirmed':
      return event.data.pieces.forEach((piece) => match(db, entry, piece));
    case 'reservations_split':
      event.data.confirmed.forEach((piece) => match(db, entry, piece));
      return event.data.released.forEach((piece) => reserve(db, piece, -1n));
    case 'capital_pulled_back':
      for (const piece of event.data.pieces) {
        prepared(db, "update capitals set status = 'pulled_back' where id = ?").run(piece.capitalId);
        flow(db, entry, piece.capitalId, -piece.amount);
      }
      return;
    default:
      return assertNever(event, 'pool event');
  }
}

function insertCapital(db: ReadDatabase, entry: ProjectedEntry, shard: bigint, c: Capital): void {
  prepared(db, 'insert or ignore into capitals values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    c.id, c.investmentId, c.investor, shard, c.principal, c.matched, c.reserved, c.status, c.property, c.source, c.createdOn, c.investRepayDate,
  );
  flow(db, entry, c.id, c.principal - c.matched - c.pulledBack);
}

function reserve(db: ReadDatabase, piece: HeldPiece, sign: bigint): void {
  prepared(db, 'update capitals set reserved = reserved + ? where id = ?').run(sign * piece.amount, piece.capitalId);
}

/** A reserved amount matched (the bank paid the loan out): it leaves the investor's bank account. */
function match(db: ReadDatabase, entry: ProjectedEntry, piece: HeldPiece): void {
  // Every expression of an update reads the row as it was: `matched + ?` in the case is the new matched.
  prepared(db,
    `update capitals set reserved = reserved - ?, matched = matched + ?,
      status = case when matched + ? = principal then 'fully_matched' else status end where id = ?`,
  ).run(piece.amount, piece.amount, piece.amount, piece.capitalId);
  flow(db, entry, piece.capitalId, -piece.amount);
}

function flow(db: ReadDatabase, entry: ProjectedEntry, capitalId: string, delta: bigint): void {
  if (delta === 0n) return;
  const row = prepared(db, 'select investor, created_on from capitals where id = ?').get(capitalId) as { investor: string; created_on: string } | undefined;
  if (row === undefined) return;
  const day = postingDay(db, entry.partition, entry.position, entry.businessDate ?? row.created_on, 0);
  prepared(db, 'insert into capital_flows values (?, ?, ?, ?, ?)').run(row.investor, capitalId, BigInt(entry.position), day, delta);
}
