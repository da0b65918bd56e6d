/**
 * A statement worker that misbehaves on cue: the request's `content` names how ('exit',
 * 'throw', 'silent', 'garbage', 'out-of-memory', 'stall-after-fields'); any other request is
 * served by the real worker's code. For the failure paths of statement jobs.
 */
import { parentPort } from 'node:worker_threads';
import { portChannel, serveStatementJobs } from '../../actors/reconciliation/statement-work.js';
import type { ToWorker } from '../../actors/reconciliation/statement-job-protocol.js';

if (parentPort === null) throw new Error('a worker entry');
const port = parentPort;

function misbehaved(message: ToWorker): boolean {
  if (message.type !== 'body') return false;
  let request: { content?: unknown } = {};
  try {
    request = JSON.parse(Buffer.from(message.body).toString('utf8')) as { content?: unknown };
  } catch {
    return false;
  }
  if (typeof request !== 'object' || request === null) return false;
  const { content, ...fields } = request;
  switch (content) {
    case 'exit':
      process.exit(3);
      return true;
    case 'throw':
      setImmediate(() => {
        throw new Error('a bug in the worker');
      });
      return true;
    case 'silent':
      return true;
    case 'garbage':
      port.postMessage({ type: 'nonsense' });
      return true;
    case 'stall-after-fields':
      port.postMessage({ type: 'fields', fields });
      return true;
    case 'out-of-memory': {
      const held: number[][] = [];
      for (;;) held.push(new Array<number>(1_000_000).fill(held.length));
    }
    default:
      return false;
  }
}

void serveStatementJobs(portChannel(port, misbehaved));
