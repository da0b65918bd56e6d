import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import t from 'tap';
import ts from 'typescript';
import { gateway } from '../helpers/gateway.js';
import { repoPath } from '../helpers/repo.js';

type Operation = { summary?: string; tags?: string[]; security?: Record<string, string[]>[]; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> };

async function openapiDocument(t: Parameters<typeof gateway>[0]) {
  const h = await gateway(t, { businessClock: { mode: 'sim', startDate: '2030-01-01' } });
  const answer = await h.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(answer.statusCode, 200);
  return answer.json() as { paths: Record<string, Record<string, Operation>>; tags: { name: string }[]; components: { securitySchemes: Record<string, unknown> } };
}

const operationsOf = (doc: Awaited<ReturnType<typeof openapiDocument>>) =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })));

t.test('/docs/json: every operation has a summary, an area tag, who may call it, and the error body on 4xx and 503', async (t) => {
  const doc = await openapiDocument(t);
  const tags = new Set(doc.tags.map((tag) => tag.name));
  t.same(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'opsKey']);
  const operations = operationsOf(doc);
  t.ok(operations.length >= 50, `${operations.length} operations`);
  const opsOnly = ['POST /v1/transfers/{id}/amend', 'POST /v1/loans/{id}/approve', 'POST /v1/loans/{id}/compensations', 'POST /v1/eod/{date}/close', 'POST /v1/reconciliations', 'GET /v1/reconciliations/{id}', 'GET /v1/reconciliations/{id}/statements', 'GET /v1/reconciliations/{id}/findings', 'POST /v1/reconciliations/{id}/repairs'];
  for (const { key, path, op } of operations) {
    t.ok(op.summary !== undefined && op.summary !== key && op.summary.length > 10, `${key}: a summary (gateway/openapi-routes.ts)`);
    t.ok(op.tags?.length === 1 && tags.has(op.tags[0] as string), `${key}: one of the areas (${op.tags})`);
    const expected = ['GET /health', 'POST /v1/bank/callbacks'].includes(key) ? [] : path.startsWith('/ops') || opsOnly.includes(key) ? [{ opsKey: [] }] : [{ apiKey: [] }, { opsKey: [] }];
    t.same(op.security, expected, `${key}: security`);
    for (const status of ['4XX', '503']) t.ok(op.responses?.[status]?.content?.['application/json']?.schema?.properties?.error !== undefined, `${key}: ${status} carries the error body`);
  }
});

t.test('a client generated from /docs/json with openapi-typescript type-checks a call, and refuses a wrong one', async (t) => {
  const doc = await openapiDocument(t);
  const types = astToString(await openapiTS(doc as never));
  t.match(types, /export interface paths/);
  // Inside the project, so the compiler finds the same lib and node types.
  const dir = join(repoPath('test/artifacts'), `openapi-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'api.ts'), types);
  writeFileSync(join(dir, 'call.ts'), readFileSync(repoPath('test/fixtures/openapi-client/call.ts.txt'), 'utf8'));
  const program = ts.createProgram([join(dir, 'call.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  t.same(diagnostics, [], 'the typed calls compile; every @ts-expect-error is a real type error');
});
