// A hung tool whose helper inherited its stdout: the timeout, the deadline and the agent's exit
// each end the whole process group, and no process of it remains.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExecaExecutor } from '../../../agents/core/execa-executor';
import { Deadline } from '../../../agents/core/deadline';
import { DeadlineExceededError } from '../../../agents/core/errors';
import { memoryLogger } from '../../support/memory-logger';
import { repoRoot } from '../../support/binaries';
import { hungTool, hungToolPids, liveMembers, waitGroupGone } from '../../support/process-group';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-pgroup-'));
let n = 0;
const pidFile = () => path.join(dir, `pids-${++n}`);

/** The call's outcome, caught at once: it may fail while the test still waits for the pid file. */
const outcome = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => 'returned',
    (error: unknown) => error,
  );

async function expectTimeout(call: Promise<unknown>, pattern: RegExp): Promise<void> {
  // a bound on waiting, not a timing assertion: without it a regression hangs the suite for 10 min
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise((resolve) => (timer = setTimeout(resolve, 30_000, 'still running after 30 s')));
  const error = await Promise.race([call, stuck]);
  clearTimeout(timer);
  assert.instance(error, DeadlineExceededError);
  assert.match((error as Error).message, pattern);
}

test('a timeout kills the tool and the helper holding its pipe', async () => {
  const file = pidFile();
  const call = outcome(createExecaExecutor(memoryLogger()).run(hungTool, [file], { timeoutMs: 300 }));
  const { leader, helper } = await hungToolPids(file);
  const members = liveMembers(leader);
  assert.ok(members.includes(leader) && members.includes(helper), `the tool leads its own group, with its helper in it: ${members}`);
  await expectTimeout(call, /hung-tool .* did not finish within 0 s$/);
  await waitGroupGone(leader);
});

test('SIGKILL follows when the group ignores SIGTERM', async () => {
  const file = pidFile();
  const call = outcome(createExecaExecutor(memoryLogger()).run(hungTool, [file, 'ignore-term'], { timeoutMs: 300 }));
  const { leader } = await hungToolPids(file);
  await expectTimeout(call, /did not finish/);
  await waitGroupGone(leader);
});

test('the action deadline kills a call that names no timeout', async () => {
  const file = pidFile();
  const call = outcome(createExecaExecutor(memoryLogger(), new Deadline(1_200)).run(hungTool, [file]));
  const { leader } = await hungToolPids(file);
  await expectTimeout(call, /did not finish within \d s$/);
  await waitGroupGone(leader);
});

for (const how of ['exit', 'throw']) {
  test(`an agent that ends (${how}) while a call runs leaves nothing behind`, async () => {
    const file = pidFile();
    const script = path.join(repoRoot, 'test', 'fakes', 'hung', 'exit-during-call.ts');
    const ran = spawnSync(process.execPath, ['--import', 'tsx', script, hungTool, file, how], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.is(ran.status, how === 'exit' ? 0 : 1, ran.stderr);
    const { leader, helper } = await hungToolPids(file);
    assert.ok(leader > 0 && helper > 0);
    await waitGroupGone(leader);
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
