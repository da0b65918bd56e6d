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
