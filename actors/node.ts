import { join } from 'node:path';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import type { Journal } from '../persistence/journal.js';
import { createAccountBehavior, defaultAccountLimits, type AccountLimits } from './account/account-behavior.js';
import { LedgerService } from './ledger/ledger-service.js';
import { ActorSystem } from './runtime/actor-system.js';
import type { Clock, Logger, Timers } from './runtime/clock.js';
import type { RuntimeLimits } from './runtime/limits.js';
import type { Bus } from './runtime/relay.js';

export interface NodeOptions {
  /** Where the LMDB journal lives (ignored when `journal` is given). */
  readonly dataDir?: string;
  readonly journal?: Journal;
  readonly limits?: Partial<RuntimeLimits>;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** How the relay reaches actors; this node's own actor system by default. */
  readonly bus?: Bus;
  readonly accountLimits?: Partial<AccountLimits>;
}

export interface NodeHealth {
  readonly status: 'ok' | 'overloaded';
  readonly actors: { readonly live: number; readonly activations: number; readonly passivations: number; readonly wakesScheduled: number };
  readonly relay: { readonly backlog: number; readonly inFlight: number; readonly delivered: number; readonly cursor: number };
}

/** One fundcore node in embedded mode: the journal, the actors and the ledger service over them. */
export class FundcoreNode {
  readonly system: ActorSystem;
  readonly ledger: LedgerService;

  private constructor(readonly journal: Journal, options: NodeOptions) {
    this.system = new ActorSystem({
      journal,
      behaviors: [createAccountBehavior({ ...defaultAccountLimits, ...options.accountLimits })],
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
      ...(options.bus !== undefined ? { bus: options.bus } : {}),
    });
    this.ledger = new LedgerService(this.system, journal, () => this.system.relay.overloaded);
  }

  /** Opens the journal, reloads timers and the outbox, and is ready to serve. */
  static start(options: NodeOptions): FundcoreNode {
    const journal = options.journal ?? new LmdbJournal({ path: join(options.dataDir ?? './data', 'journal') });
    const node = new FundcoreNode(journal, options);
    const recovered = node.system.start();
    options.logger?.info(recovered, 'node started');
    return node;
  }

  health(): NodeHealth {
    const relay = this.system.relay.stats();
    return { status: this.system.relay.overloaded ? 'overloaded' : 'ok', actors: this.system.stats(), relay };
  }

  async stop(): Promise<void> {
    await this.system.stop();
    await this.journal.close();
  }
}
