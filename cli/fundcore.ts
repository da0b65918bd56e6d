import { parseArgs } from 'node:util';
import { actorsCommand, clockCommand, inspectCommand, type Output } from './commands.js';
import { OpsClient, OpsRequestError } from './ops-client.js';
import { localCommands, localOptions, localPlanOf, localUsage, LocalUsageError, type LocalValues } from './local-commands.js';

const usage = `fundcore — operate fundcore: a running gateway (ops key), or a node's files (verify)

  fundcore inspect <actor-id>                 an actor's state, seq, mailbox, last events
  fundcore actors [--type T] [--busiest N]    actors by type (paged: --limit, --cursor), or the N busiest mailboxes
  fundcore clock                              the business date
  fundcore clock set <YYYY-MM-DD>             set it (FUNDCORE_CLOCK=sim)
  fundcore clock advance <days>               advance it (FUNDCORE_CLOCK=sim)
${localUsage}

options: --url <gateway> (FUNDCORE_URL, default http://127.0.0.1:8080)
         --key <ops key> (FUNDCORE_OPS_KEY)   --json (the answer as JSON, for scripts)`;

/** Exit codes: 0 done (and --help), 1 the gateway refused or cannot be reached, 2 bad usage (the usage on stderr). */
class UsageError extends Error {}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`${flag} takes a positive integer, got ${text}`);
  return Number(text);
}

type Values = LocalValues & { url?: string; key?: string; type?: string; busiest?: string; limit?: string; cursor?: string };
type Plan = (client: OpsClient) => Promise<Output>;
const commands = ['inspect', 'actors', 'clock', ...localCommands] as const;

/** The command and its arguments, checked before anything else (the key, the gateway): a usage error names what is wrong. */
function planOf(command: string, rest: readonly string[], values: Values): Plan {
  switch (command) {
    case 'inspect': {
      if (rest.length !== 1) throw new UsageError('inspect takes one actor id, e.g. acct:alice');
      return (client) => inspectCommand(client, rest[0] as string);
    }
    case 'actors': {
      if (rest.length !== 0) throw new UsageError(`actors takes no arguments, got ${rest.join(' ')}`);
      const busiest = positiveInteger(values.busiest, '--busiest');
      const limit = positiveInteger(values.limit, '--limit');
      return (client) =>
        actorsCommand(client, {
          ...(values.type !== undefined ? { type: values.type } : {}),
          ...(busiest !== undefined ? { busiest } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(values.cursor !== undefined ? { cursor: values.cursor } : {}),
        });
    }
    case 'clock': {
      if (rest.length === 0) return (client) => clockCommand(client, null);
      if (rest[0] === 'set' && rest.length === 2) return (client) => clockCommand(client, { date: rest[1] as string });
      if (rest[0] === 'advance' && rest.length === 2) {
        const advanceDays = positiveInteger(rest[1], 'advance') as number;
        return (client) => clockCommand(client, { advanceDays });
      }
      throw new UsageError('clock, clock set <YYYY-MM-DD> or clock advance <days>');
    }
    default:
      throw new UsageError(`unknown command "${command}" (commands: ${commands.join(', ')})`);
  }
}

/** null: help was asked for. */
async function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<(Output & { exitCode?: number }) | null> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean', default: false },
      type: { type: 'string' },
      busiest: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      ...localOptions,
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return null;
  if (command === undefined) throw new UsageError('name a command');
  // On the node's files, not through the gateway: no key needed.
  const local = localPlanOf(command, rest, values, env);
  if (local !== null) return local();
  const plan = planOf(command, rest, values);
  const key = values.key ?? env.FUNDCORE_OPS_KEY ?? '';
  if (key === '') throw new UsageError('give the ops key: --key or FUNDCORE_OPS_KEY');
  return plan(new OpsClient(values.url ?? env.FUNDCORE_URL ?? 'http://127.0.0.1:8080', key));
}

/** Runs the CLI; resolves with its exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const json = argv.includes('--json');
  try {
    const output = await run(argv, env);
    if (output === null) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    process.stdout.write(`${json ? JSON.stringify(output.json, null, 2) : output.text}\n`);
    return output.exitCode ?? 0;
  } catch (error) {
    if (error instanceof OpsRequestError) {
      process.stderr.write(json ? `${JSON.stringify({ error: { status: error.status, code: error.code, message: error.message } })}\n` : `fundcore: ${error.code}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError || error instanceof LocalUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      process.stderr.write(`fundcore: ${(error as Error).message}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
}
