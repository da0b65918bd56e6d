import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
const ticksPerSecond = 100;

/** CPU time of the calling thread so far, in ms (null off Linux). */
function threadCpuMs(): number | null {
  try {
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/**
 * What the calling (main) thread spent over a measured window, per operation: its event
 * loop's busy time (wall clock: it includes time the thread waited for a core) and its CPU
 * time (10 ms ticks). Steadier than a rate on a VM whose disk and neighbours vary.
 */
export function threadCostWindow(): (operations: number) => { mainThreadBusyUsPerOp: number; mainThreadCpuUsPerOp: number | null } {
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = threadCpuMs();
  return (operations) => {
    const busyMs = performance.eventLoopUtilization(loopBefore).active;
    const cpuAfter = threadCpuMs();
    const per = (ms: number) => Math.round((ms * 1000) / Math.max(operations, 1));
    return { mainThreadBusyUsPerOp: per(busyMs), mainThreadCpuUsPerOp: cpuBefore === null || cpuAfter === null ? null : per(cpuAfter - cpuBefore) };
  };
}
