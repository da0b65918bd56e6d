/**
 * Each actor's head seq as this journal knows it without a read: as its appends in flight
 * will leave it (an actor that pipelines its appends issues the next on the last), else as
 * its last append that landed left it. This process is the journal's only writer, so that is
 * the head until an append does not land (then forgotten, and read again from disk; every
 * append in flight after it does not land either). Bounded: past `rememberedMax` actors the
 * landed heads start over (a read per actor again), so a million actors cost no million
 * entries; heads in flight are never dropped (there are as many as appends in flight).
 */
export class IssuedHeads {
  private readonly landedHeads = new Map<string, number>();
  private readonly inFlight = new Map<string, { readonly seq: number; readonly appends: number }>();

  constructor(private readonly rememberedMax: number) {}

  known(actorId: string): number | undefined {
    return this.inFlight.get(actorId)?.seq ?? this.landedHeads.get(actorId);
  }

  /** An append with events issued: the actor's head once it lands. */
  issued(actorId: string, lastSeq: number): void {
    this.inFlight.set(actorId, { seq: lastSeq, appends: (this.inFlight.get(actorId)?.appends ?? 0) + 1 });
  }

  /** An append landed (`withEvents`: one that `issued` counted). */
  landed(actorId: string, lastSeq: number, withEvents: boolean): void {
    if (this.landedHeads.size >= this.rememberedMax && !this.landedHeads.has(actorId)) this.landedHeads.clear();
    this.landedHeads.set(actorId, lastSeq);
    if (withEvents) this.settled(actorId);
  }

  notLanded(actorId: string, withEvents: boolean): void {
    this.landedHeads.delete(actorId);
    if (withEvents) this.settled(actorId);
  }

  private settled(actorId: string): void {
    const flight = this.inFlight.get(actorId);
    if (flight === undefined) return;
    if (flight.appends <= 1) this.inFlight.delete(actorId);
    else this.inFlight.set(actorId, { seq: flight.seq, appends: flight.appends - 1 });
  }
}
