import { mock } from 'node:test';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Deadline } from '../../../agents/core/deadline';
import { DeadlineExceededError } from '../../../agents/core/errors';

test('keeps a margin of 10% (1 s to 5 s) before Pacemaker would kill the action', () => {
  let now = 1000;
  const clock = () => now;
  assert.is(new Deadline(20_000, clock).remainingMs(), 18_000);
  assert.is(new Deadline(120_000, clock).remainingMs(), 115_000);
  assert.is(new Deadline(5_000, clock).remainingMs(), 4_000);
  now = 1000;
});

test('check() throws a DeadlineExceededError naming the work', () => {
  let now = 0;
  const deadline = new Deadline(10_000, () => now);
  deadline.check('waiting for vm1');
  now = 9_500;
  try {
    deadline.check('waiting for vm1');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, DeadlineExceededError);
    assert.match((error as Error).message, /^waiting for vm1: gave up, the 10 s action timeout is nearly spent$/);
  }
});

test('sleep never passes the deadline', async () => {
  // node's mock timers: the clock moves only when the test says so, so "when did it wake" is exact
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  try {
    const deadline = new Deadline(1_100); // ends 500 ms from now
    let full: boolean | undefined;
    void deadline.sleep(5_000).then((f) => (full = f));
    // setImmediate is not mocked: awaiting it lets every pending promise settle
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    mock.timers.tick(499);
    await settle();
    assert.is(full, undefined, 'still asleep before the deadline');
    mock.timers.tick(1);
    await settle();
    assert.is(full, false, 'woke at the deadline, not after the 5 s asked for');
    assert.ok(deadline.expired());
  } finally {
    mock.timers.reset();
  }
});

test.run();
