import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * A CPU profile of the main thread over a bench's measured window only (not its setup):
 * written to `BENCH_PROFILE_DIR/<name>-<pid>.cpuprofile` when that variable is set; a no-op
 * otherwise. Open the file in Chrome's DevTools or any .cpuprofile viewer.
 */
export async function profileWindow(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (dir === undefined || dir === '') return async () => {};
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * A sampling heap profile (what is still live, by the stack that allocated it), when
 * `BENCH_HEAP_PROFILE_DIR` is set; no-ops otherwise. `write(label)` writes what is live now
 * to `<dir>/<name>-<pid>-<label>.heapprofile`; every `everyMs` the same goes to `...-latest`,
 * so a process that dies at its heap limit leaves what filled it. Cheap enough to run over a
 * whole case (one sample per 128 KiB allocated).
 */
export async function heapProfileWindow(name: string, everyMs = 300_000): Promise<{ write(label: string): Promise<void>; stop(): Promise<void> }> {
  const dir = process.env.BENCH_HEAP_PROFILE_DIR;
  if (dir === undefined || dir === '') return { write: async () => {}, stop: async () => {} };
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 128 * 1024 });
  const write = async (label: string) => {
    const { profile } = await session.post('HeapProfiler.getSamplingProfile');
    writeFileSync(join(dir, `${name}-${process.pid}-${label}.heapprofile`), JSON.stringify(profile));
  };
  const timer = setInterval(() => void write('latest'), everyMs);
  timer.unref();
  return {
    write,
    stop: async () => {
      clearInterval(timer);
      await session.post('HeapProfiler.stopSampling');
      session.disconnect();
    },
  };
}
