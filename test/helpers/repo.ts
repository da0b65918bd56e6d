import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The repository's root, whether the tests run compiled (dist/test/…, as `npm test` runs
 * them: no TypeScript loader in each test process) or from their sources (`npx tap
 * test/x.test.ts`). Files of the repository are named from it, never from a test's own path.
 */
const here = dirname(fileURLToPath(import.meta.url));
const compiled = here.endsWith(`${sep}dist${sep}test${sep}helpers`);
export const repoRoot = resolve(here, compiled ? '../../..' : '../..');

export const repoPath = (relative: string): string => resolve(repoRoot, relative);

export const repoUrl = (relative: string): URL => pathToFileURL(repoPath(relative));

/** A module beside this one (a worker of the tests) in the form the tests run in: `.js` compiled, `.ts` from sources. */
export const helperModuleUrl = (name: string): URL => new URL(`./${name}${compiled ? '.js' : '.ts'}`, import.meta.url);
