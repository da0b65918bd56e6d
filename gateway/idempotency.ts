import type { FastifyRequest } from 'fastify';
import { idPattern } from '../core/ledger/limits.js';
import { entityIdPattern } from '../core/lending/limits.js';
import { HttpError } from './errors.js';
import { noteOrderId } from '../actors/runtime/cause.js';

/**
 * The id that names a command: the body's `id`, or the Idempotency-Key header. When both
 * are given they must agree.
 */
export function commandId(request: FastifyRequest, bodyId: string | undefined): string {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && bodyId !== undefined && key !== bodyId) {
    throw new HttpError('idempotency_key_mismatch', 'the Idempotency-Key header and the body id differ');
  }
  const id = bodyId ?? key;
  if (id === undefined) throw new HttpError('missing_id', 'name the command with a body id or an Idempotency-Key header');
  if (!idPattern.test(id)) throw new HttpError('invalid_field', 'an id is 1..64 characters of [A-Za-z0-9_.:-]', 'headers/idempotency-key');
  noteOrderId(id);
  return id;
}

/** The id of a lending command (investment, loan, deposit, withdrawal): at most 48 characters, so the ids derived from it fit. */
export function entityCommandId(request: FastifyRequest, bodyId: string | undefined): string {
  const id = commandId(request, bodyId);
  if (!entityIdPattern.test(id)) throw new HttpError('invalid_field', 'a lending id is 1..48 characters of [A-Za-z0-9_.:-]', 'headers/idempotency-key');
  return id;
}
