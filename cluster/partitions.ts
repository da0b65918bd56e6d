import { partitionOfActor } from '../core/ledger/partition.js';
import { accountActorId } from '../actors/account/messages.js';

export { partitionCountDefault, partitionOfActor } from '../core/ledger/partition.js';
export const partitionCountMax = 65_536;

/** The partition of an account: the one its actor (or actors) live on. */
export function partitionOfAccount(accountId: string, partitionCount: number): number {
  return partitionOfActor(accountActorId(accountId), partitionCount);
}

export function checkPartitionCount(partitionCount: number): void {
  if (!Number.isInteger(partitionCount) || partitionCount < 1 || partitionCount > partitionCountMax) {
    throw new RangeError(`the partition count must be an integer 1..${partitionCountMax}, got ${partitionCount}`);
  }
}

/**
 * Parses a partition set such as `0-127`, `0-63,128-191` or `5`: ranges inclusive, each
 * within 0..partitionCount-1. Refuses anything else, so a typo never silently serves less.
 */
export function parsePartitions(text: string, partitionCount: number): number[] {
  const partitions = new Set<number>();
  for (const piece of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    if (match === null) throw new RangeError(`partitions: "${piece}" is not N or N-M`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > to || to >= partitionCount) throw new RangeError(`partitions: ${piece.trim()} is outside 0..${partitionCount - 1} or reversed`);
    for (let p = from; p <= to; p++) partitions.add(p);
  }
  return [...partitions].sort((a, b) => a - b);
}

/** `[0,1,2,5]` → `0-2,5`: how logs and /health show a set of partitions. */
export function formatPartitions(partitions: Iterable<number>): string {
  const sorted = [...partitions].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}

/** The NATS subject commands for one partition travel on. */
export function commandSubject(prefix: string, partition: number): string {
  return `${prefix}.cmd.${partition}`;
}

/** Where a node takes asks of any partition it serves (`node_asks`): its id in hex, so any id makes one subject token. */
export function nodeCommandSubject(prefix: string, nodeId: string): string {
  return `${prefix}.node.${Buffer.from(nodeId, 'utf8').toString('hex')}`;
}
