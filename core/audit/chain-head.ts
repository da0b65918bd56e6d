/**
 * Where a partition's hash chain ends: the last sealed entry's log position and its link
 * (hex sha256). A day's cut records it, so the end-of-day report pins history: a change to
 * any earlier entry of the partition changes every link after it.
 */
export interface ChainHead {
  readonly position: number;
  readonly hash: string;
}
