import { readFileSync, statSync } from 'node:fs';

/** Bytes in one sector of /sys/block's counters (fixed by the kernel, whatever the device's). */
const sectorBytes = 512;

/**
 * KiB written so far to the block device holding `path` (/sys/dev/block/<major>:<minor>/stat,
 * field 7: sectors written), or null where the kernel does not say (off Linux). Counts every
 * process's writes to that device: a measure of one case only when it runs alone, as the
 * bench runs its cases. What the disk really wrote: a process's own `write_bytes` counts whole
 * page-cache folios dirtied, several times what reaches the device on this kernel.
 */
export function deviceWrittenKiB(path: string): number | null {
  try {
    const { dev } = statSync(path);
    // Linux's dev_t: major in bits 8-19 (and 32-43), minor in bits 0-7 (and 20-31).
    const major = ((dev >> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    const fields = readFileSync(`/sys/dev/block/${major}:${minor}/stat`, 'utf8').trim().split(/\s+/);
    const sectors = Number(fields[6]);
    return Number.isFinite(sectors) ? (sectors * sectorBytes) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a window over the device holding `path`; the returned function gives the KiB written since (null where the kernel does not say). */
export function deviceWritesWindow(path: string): () => number | null {
  const before = deviceWrittenKiB(path);
  return () => {
    const after = deviceWrittenKiB(path);
    return before === null || after === null ? null : after - before;
  };
}
