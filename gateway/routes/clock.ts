import type { FastifyInstance } from 'fastify';
import type { ClockApi } from '../../actors/clock/clock-service.js';
import { refusal } from '../error-handler.js';
import { HttpError } from '../errors.js';
import { clockBody, lendingErrorResponses } from '../lending-schemas.js';

/** The business clock (ops key): read it; in simulation mode set it (`{date}`) or advance it (`{advanceDays}`). */
export function clockRoutes(app: FastifyInstance, clock: ClockApi): void {
  app.get('/ops/clock', { schema: { tags: ['ops'], response: lendingErrorResponses } }, async () => clock.view());

  app.post<{ Body: { date?: string; advanceDays?: number } }>(
    '/ops/clock',
    { schema: { tags: ['ops'], body: clockBody, response: lendingErrorResponses } },
    async (request) => {
      const { date, advanceDays } = request.body;
      if ((date === undefined) === (advanceDays === undefined)) throw new HttpError('invalid_field', 'give exactly one of date and advanceDays');
      const changed = await clock.change(date !== undefined ? { date } : { advanceDays: advanceDays as number });
      if (!changed.ok) throw refusal(changed.code, changed.detail);
      return changed.value;
    },
  );
}
