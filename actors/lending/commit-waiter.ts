import type { ActorSystem } from '../runtime/actor-system.js';
import type { TimerHandle, Timers } from '../runtime/clock.js';

export interface Watch {
  /** True when a matching event was committed in time, false when the wait ran out. */
  readonly settled: Promise<boolean>;
  cancel(): void;
}

/**
 * Lets a caller wait, bounded, for an actor to commit an event — how POST /v1/investments
 * waits for its saga to settle without polling. Watch first, then send the command, so an
 * event committed in between is not missed.
 */
export class CommitWaiter {
  private readonly watchers = new Map<string, Set<(events: readonly unknown[]) => void>>();

  constructor(
    system: ActorSystem,
    private readonly timers: Timers,
  ) {
    system.observe((actorId, events) => {
      const watchers = this.watchers.get(actorId);
      if (watchers !== undefined) for (const watcher of [...watchers]) watcher(events);
    });
  }

  watch(actorId: string, matches: (event: unknown) => boolean, timeoutMs: number): Watch {
    let timer: TimerHandle | null = null;
    let finish: (settled: boolean) => void = () => {};
    const watcher = (events: readonly unknown[]) => {
      if (events.some(matches)) finish(true);
    };
    const settled = new Promise<boolean>((resolve) => {
      finish = (value) => {
        timer?.cancel();
        this.remove(actorId, watcher);
        resolve(value);
      };
    });
    let set = this.watchers.get(actorId);
    if (set === undefined) this.watchers.set(actorId, (set = new Set()));
    set.add(watcher);
    timer = this.timers.after(timeoutMs, () => finish(false));
    return { settled, cancel: () => finish(false) };
  }

  private remove(actorId: string, watcher: (events: readonly unknown[]) => void): void {
    const set = this.watchers.get(actorId);
    set?.delete(watcher);
    if (set?.size === 0) this.watchers.delete(actorId);
  }
}
