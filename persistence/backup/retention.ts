/** How long scheduled backups are kept: every hour's last for `hourlyDays`, every day's last for `dailyDays`. */
export interface BackupRetention {
  readonly hourlyDays: number;
  readonly dailyDays: number;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * The backups to keep, of those taken at `takenAt` (epoch ms): within the last `hourlyDays`
 * days the last of each UTC hour, within the last `dailyDays` days the last of each UTC day,
 * and always the newest (however old: pruning never leaves no backup). The others go.
 */
export function backupsToKeep(takenAt: readonly number[], nowMs: number, retention: BackupRetention): Set<number> {
  const keep = new Set<number>();
  const lastOf = new Map<string, number>();
  for (const at of takenAt) {
    const age = nowMs - at;
    if (age < 0) {
      keep.add(at);
      continue;
    }
    const buckets = [...(age < retention.hourlyDays * dayMs ? [`h${Math.floor(at / hourMs)}`] : []), ...(age < retention.dailyDays * dayMs ? [`d${Math.floor(at / dayMs)}`] : [])];
    for (const bucket of buckets) lastOf.set(bucket, Math.max(lastOf.get(bucket) ?? Number.NEGATIVE_INFINITY, at));
  }
  for (const at of lastOf.values()) keep.add(at);
  if (takenAt.length > 0) keep.add(Math.max(...takenAt));
  return keep;
}
