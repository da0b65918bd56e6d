import { readFileSync } from 'node:fs';
import t from 'tap';
import { nodeRuntimeFlags } from '../../../actors/runtime/node-flags.js';
import { repoPath } from '../../helpers/repo.js';

t.test('the start scripts run node with the runtime flags the spawned processes get', async (t) => {
  const scripts = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['start', 'start:node', 'start:gateway']) {
    for (const flag of nodeRuntimeFlags) t.ok(scripts[name]?.includes(`node ${flag} `), `${name} runs node ${flag}`);
  }
});
