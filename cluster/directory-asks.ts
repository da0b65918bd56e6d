import { currentCause } from '../actors/runtime/cause.js';
import { accountActorPrefix, accountIdOf, type AccountMessage } from '../actors/account/messages.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import type { Bus } from '../actors/runtime/relay.js';
import type { JournalReader } from '../persistence/journal.js';
import type { DirectoryReplica } from './directory-replica.js';

/**
 * What the cluster's account directory adds to an ask of an account actor on this node, from
 * a gateway or from this node's own relay alike: before a transfer or a reversal, the entry
 * of the other account it will look up is made sure of (read from the bucket on a miss);
 * after an open or a close, the account's entry is published before the answer, so a client
 * that opened an account can use it at once from anywhere.
 */
export class DirectoryAsks {
  constructor(
    private readonly directory: DirectoryReplica,
    private readonly journal: JournalReader,
  ) {}

  /** Null when nothing needs fetching (so an ask that needs nothing is not delayed, nor reordered). */
  prepare(actorId: string, message: unknown): Promise<void> | null {
    const other = otherAccountOf(actorId, message);
    if (other === null || this.directory.get(other) !== undefined || this.journal.getIndex('directory', other) !== undefined) return null;
    return this.directory.ensure([other], this.journal).catch((error: unknown) => {
      // The directory cannot be read: nothing was decided, retry.
      throw new ActorRuntimeError('partition_unavailable', `the cluster directory cannot be read right now: ${(error as Error).message}`, { cause: error });
    });
  }

  async answered(actorId: string, message: unknown, reply: ActorReply): Promise<ActorReply> {
    if (!reply.ok || !opensOrCloses(actorId, message)) return reply;
    const accountId = accountIdOf(actorId);
    try {
      await this.directory.publish(accountId, this.journal);
    } catch (error) {
      throw new ActorRuntimeError('partition_unavailable', `account ${accountId} is journaled but not yet in the cluster directory; retry with the same id`, { cause: error });
    }
    return reply;
  }

  /** The node's in-process asks, with the directory's steps around them. */
  around(local: Bus): Bus {
    return {
      // The cause is taken before any await: the ask is on behalf of whoever asked now.
      ask: async (actorId, message, timeoutMs, cause = currentCause()) => {
        const prepared = this.prepare(actorId, message);
        if (prepared !== null) await prepared;
        return this.answered(actorId, message, await local.ask(actorId, message, timeoutMs, cause));
      },
    };
  }
}

const isAccountActor = (actorId: string) => actorId.startsWith(`${accountActorPrefix}:`);

/** The account whose directory entry an account message will look up, if any. */
function otherAccountOf(actorId: string, message: unknown): string | null {
  if (!isAccountActor(actorId)) return null;
  const m = message as AccountMessage;
  if (m.type === 'create_transfer') return m.data.content.credit;
  if (m.type === 'reverse_transfer') return m.data.original?.debit ?? null;
  return null;
}

function opensOrCloses(actorId: string, message: unknown): boolean {
  const type = (message as AccountMessage).type;
  return isAccountActor(actorId) && (type === 'open_account' || type === 'close_account');
}
