import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import { encode, resultOf, type ActorAsk, type WireReply } from './wire.js';

/**
 * Asks cut into the runs one request may hold, in order: at most `itemsMax` asks, all of one
 * timeout (a short ask is not kept waiting for a long one's deadline).
 */
export function runsOfOneTimeout<A extends { readonly timeoutMs: number }>(asks: readonly A[], itemsMax: number): A[][] {
  const runs: A[][] = [];
  for (let from = 0; from < asks.length; ) {
    const timeoutMs = (asks[from] as A).timeoutMs;
    let to = from + 1;
    while (to < asks.length && to - from < itemsMax && (asks[to] as A).timeoutMs === timeoutMs) to++;
    runs.push(asks.slice(from, to));
    from = to;
  }
  return runs;
}

/**
 * The command encoded and sent by `send`, its result taken as each ask's reply in order; or,
 * when larger than `bytesMax`, the asks split in two halves sent by `again`. An unencodable
 * command fails each of its asks (a flush has no caller a throw would reach).
 */
export function splitOrSend<A extends ActorAsk>(
  asks: readonly A[],
  command: unknown,
  bytesMax: number,
  again: (half: readonly A[]) => Promise<ActorReply>[],
  send: (payload: Uint8Array) => Promise<unknown>,
): Promise<ActorReply>[] {
  let payload: Uint8Array;
  try {
    payload = encode(command);
  } catch (error) {
    return asks.map(() => Promise.reject(error));
  }
  if (payload.length > bytesMax && asks.length > 1) {
    const half = Math.ceil(asks.length / 2);
    return [...again(asks.slice(0, half)), ...again(asks.slice(half))];
  }
  const answered = send(payload).then((result) => {
    if (!Array.isArray(result) || result.length !== asks.length) throw new ActorRuntimeError('internal_error', `malformed reply to ${asks.length} asks`);
    return result as WireReply[];
  });
  return asks.map((ask, k) =>
    answered.then((results) => {
      const reply = resultOf(results[k] as WireReply);
      if (reply === null || typeof reply !== 'object' || !('ok' in reply)) throw new ActorRuntimeError('internal_error', `malformed reply from ${ask.actorId}`);
      return reply as ActorReply;
    }),
  );
}
