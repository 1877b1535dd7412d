import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callTimeoutMs, createExecaExecutor } from '../../../agents/core/execa-executor';
import { CommandFailedError, DEFAULT_COMMAND_TIMEOUT_MS, runOk } from '../../../agents/core/executor';
import { MAX_TIMER_MS } from '../../../agents/core/deadline';
import { Deadline } from '../../../agents/core/deadline';
import { DeadlineExceededError, NotInstalledError } from '../../../agents/core/errors';
import { memoryLogger } from '../../support/memory-logger';

test('runs an argument array: no shell ever interprets it', async () => {
  const exec = createExecaExecutor(memoryLogger());
  const result = await exec.run('printf', ['%s|', 'a b', '$(id)', ';rm -rf /']);
  assert.is(result.exitCode, 0);
  assert.is(result.stdout, 'a b|$(id)|;rm -rf /|');
});

test('a non-zero exit resolves with the code and keeps stderr', async () => {
  const exec = createExecaExecutor(memoryLogger());
  const result = await exec.run('sh', ['-c', 'echo oops >&2; exit 3']);
  assert.is(result.exitCode, 3);
  assert.is(result.stderr, 'oops\n');
  try {
    await runOk(exec, 'sh', ['-c', 'echo "error: domain not found" >&2; exit 1']);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, CommandFailedError);
    assert.is((error as Error).message, 'sh -c echo "error: domain not found" >&2; exit 1 failed (exit 1): error: domain not found');
  }
});

test('a missing program is NotInstalledError naming it', async () => {
  const exec = createExecaExecutor(memoryLogger());
  try {
    await exec.run('ocfkit-no-such-program', []);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, NotInstalledError);
    assert.match((error as Error).message, /ocfkit-no-such-program not found/);
  }
});

test('the action deadline bounds every command', async () => {
  // Deadline(1_200) leaves 500 ms; an executor that did not bound the command would see sleep end
  // after 30 s with success and reach assert.unreachable
  const exec = createExecaExecutor(memoryLogger(), new Deadline(1_200));
  try {
    await exec.run('sleep', ['30']);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, DeadlineExceededError);
    assert.match((error as Error).message, /^sleep 30 did not finish within \d s$/);
  }
});

test('every call has a timeout: its own, capped by the deadline; the default outside an action; clamped for timers', () => {
  const cases: Array<[own: number | undefined, remaining: number | undefined, expected: number]> = [
    [undefined, undefined, DEFAULT_COMMAND_TIMEOUT_MS], // the CLI: drbd status, the hooks' drbd reconnect
    [5_000, undefined, 5_000],
    [undefined, 18_000, 18_000], // inside an action the deadline bounds a call that names none
    [5_000, 18_000, 5_000],
    [60_000, 18_000, 18_000],
    [5_000, 0, 0],
    [2 ** 31 + 5, undefined, MAX_TIMER_MS], // a timer would fire at once
    [Number.POSITIVE_INFINITY, undefined, MAX_TIMER_MS],
    [undefined, 30 * 86_400_000, MAX_TIMER_MS],
    [Number.NaN, undefined, 0],
  ];
  for (const [own, remaining, expected] of cases) assert.is(callTimeoutMs(own, remaining), expected, `${own} ${remaining}`);
});

test('the exact argv and output are logged at debug', async () => {
  const log = memoryLogger();
  await createExecaExecutor(log).run('echo', ['hello']);
  assert.ok(log.lines.includes('DEBUG: exec: ["echo","hello"]'));
  assert.ok(log.lines.some((line) => /^DEBUG: exec: echo exit=0 in \d+ ms; stdout="hello\\n" stderr=""$/.test(line)));
});

test('input is passed on stdin', async () => {
  const result = await createExecaExecutor(memoryLogger()).run('cat', [], { input: 'line\n' });
  assert.is(result.stdout, 'line\n');
});

test("extra environment reaches the child beside the agent's own", async () => {
  const exec = createExecaExecutor(memoryLogger());
  const result = await exec.run('sh', ['-c', 'cat; printf "%s" "$OCFKIT_X"'], { input: 'in|', env: { OCFKIT_X: 'env' } });
  assert.is(result.stdout, 'in|env');
});

test.run();
