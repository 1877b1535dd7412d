// Starts the hung tool through the real executor and exits while the call still runs, as an agent
// does when its deadline answers first: the 'exit' hook must take the tool's group with it.
import { createExecaExecutor } from '../../../agents/core/execa-executor';
import { memoryLogger } from '../../support/memory-logger';
import { existsSync } from 'node:fs';

const [tool, pidFile, how] = process.argv.slice(2) as [string, string, string];
void createExecaExecutor(memoryLogger())
  .run(tool, [pidFile, 'ignore-term'], { timeoutMs: 600_000 })
  .catch(() => undefined);
const started = setInterval(() => {
  if (!existsSync(pidFile)) return;
  clearInterval(started);
  if (how === 'throw') throw new Error('unexpected');
  process.exit(0);
}, 10);
