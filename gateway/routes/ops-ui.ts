import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** gateway/ui beside the sources; from dist/gateway/routes the same folder of the checkout. */
function uiDirectory(): string {
  for (const candidate of ['../ui/', '../../../gateway/ui/']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${path}index.html`)) return path;
  }
  throw new Error('the ops page (gateway/ui) is missing');
}

/** The page runs only its own script and talks only to this gateway. */
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

/**
 * The ops page at /ops/ui: static files with no data in them (so they need no key); the
 * page asks the ops routes for everything with the ops key its operator gives it.
 */
export async function opsUiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: uiDirectory(), prefix: '/ops/ui/', index: ['index.html'], wildcard: false, decorateReply: false });
  app.get('/ops/ui', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/ops/ui/', 302));
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/ops/ui')) void reply.header('content-security-policy', contentSecurityPolicy).header('cache-control', 'no-store');
    return payload;
  });
}
