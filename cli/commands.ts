import type { OpsClient } from './ops-client.js';
import { pairs, table } from './tables.js';

export interface ActorRow {
  readonly id: string;
  readonly type: string;
  readonly live: boolean;
  readonly mailboxDepth: number;
  readonly seq: number;
  readonly lastActivityAt: string | null;
}

interface Inspection extends ActorRow {
  readonly snapshotSeq: number;
  readonly wakeAt: string | null;
  readonly state: unknown;
  readonly lastEvents: readonly { readonly seq: number; readonly event: { readonly type?: string } & Record<string, unknown> }[];
}

/** What a command prints: the answer as JSON (`--json`) or as tables. */
export type Output = { readonly json: unknown; readonly text: string };

export async function inspectCommand(client: OpsClient, actorId: string): Promise<Output> {
  const actor = await client.get<Inspection>(`/ops/actors/${encodeURIComponent(actorId)}`);
  const summary = pairs([
    ['id', actor.id],
    ['type', actor.type],
    ['live', actor.live],
    ['seq', actor.seq],
    ['snapshot seq', actor.snapshotSeq],
    ['mailbox', actor.mailboxDepth],
    ['wake at', actor.wakeAt],
    ['last activity', actor.lastActivityAt],
  ]);
  const events = table(
    ['seq', 'event', 'data'],
    actor.lastEvents.map(({ seq, event }) => [seq, event.type ?? '?', truncate(JSON.stringify(event.data ?? event), 100)]),
  );
  return { json: actor, text: `${summary}\n\nstate:\n${JSON.stringify(actor.state, null, 2)}\n\nlast events:\n${events}` };
}

export interface ActorsOptions {
  readonly type?: string;
  readonly busiest?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

export async function actorsCommand(client: OpsClient, options: ActorsOptions): Promise<Output> {
  const query = new URLSearchParams();
  if (options.type !== undefined) query.set('type', options.type);
  if (options.busiest !== undefined) query.set('busiest', String(options.busiest));
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.cursor !== undefined) query.set('cursor', options.cursor);
  const page = await client.get<{ items: ActorRow[]; nextCursor: string | null }>(`/ops/actors${query.size > 0 ? `?${query}` : ''}`);
  const rows = page.items.map((a) => [a.id, a.type, a.live ? 'live' : 'passivated', a.mailboxDepth, a.seq, a.lastActivityAt]);
  const more = page.nextCursor === null ? '' : `\nmore: --cursor ${page.nextCursor}`;
  return { json: page, text: `${table(['actor', 'type', 'state', 'mailbox', 'seq', 'last activity'], rows)}${more}` };
}

export async function clockCommand(client: OpsClient, change: { readonly date: string } | { readonly advanceDays: number } | null): Promise<Output> {
  const clock = change === null ? await client.get<Record<string, unknown>>('/ops/clock') : await client.post<Record<string, unknown>>('/ops/clock', change);
  return { json: clock, text: pairs(Object.entries(clock)) };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
