import { Writable } from 'node:stream';
import Fastify from 'fastify';
import t from 'tap';
import { AccessLog } from '../../gateway/access-log.js';

async function linesLogged(level: string): Promise<string[]> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, logController: new AccessLog() });
  app.get('/ok', async () => ({ ok: true }));
  await app.inject({ method: 'GET', url: '/ok' });
  await app.close();
  return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
}

t.test('at info a request that went well leaves no line; at debug it leaves both of fastify\'s', async (t) => {
  t.same(await linesLogged('info'), []);
  t.same(await linesLogged('debug'), ['incoming request', 'request completed']);
});
