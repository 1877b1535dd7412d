import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Deadline } from '../../../agents/ocf/deadline';
import { DeadlineExceededError } from '../../../agents/ocf/errors';

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
  const deadline = new Deadline(1_100);
  const started = Date.now();
  const full = await deadline.sleep(5_000);
  assert.not.ok(full);
  assert.ok(Date.now() - started < 1_000);
});

test.run();
