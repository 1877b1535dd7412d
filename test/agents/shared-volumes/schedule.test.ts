import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelayMs, nextRetry, policyFor, startStaggerMs } from '../../../agents/shared-volumes/schedule';

const policy = policyFor(1000);

test('backoff: exponential, half fixed, half jitter, capped at 16x', () => {
  const table: Array<[number, number, number]> = [
    // attempt, random, delay
    [0, 0, 500],
    [0, 0.999, 1000],
    [1, 0, 1000],
    [1, 0.5, 1500],
    [2, 0, 2000],
    [3, 1, 8000],
    [4, 0, 8000],
    [4, 1, 16000],
    [5, 1, 16000],
    [50, 0.5, 12000],
  ];
  for (const [attempt, random, delay] of table) assert.is(backoffDelayMs(attempt, policy, random), delay, `${attempt} ${random}`);
});

test('retry only while an attempt still fits before the deadline', () => {
  const table: Array<[number, number, number, ReturnType<typeof nextRetry>['kind'], number?]> = [
    // attempt, remaining, attemptMs, kind, delay
    [0, 60000, 200, 'retry', 500],
    [3, 60000, 200, 'retry', 4000],
    [3, 5000, 200, 'retry', 4000],
    [3, 4500, 200, 'retry', 3500], // shortened so the last attempt still fits
    [3, 900, 200, 'give-up'],
    [0, 10000, 9500, 'retry', 500],
    [0, 9000, 9500, 'give-up'],
  ];
  for (const [attempt, remaining, attemptMs, kind, delay] of table) {
    const decision = nextRetry(attempt, remaining, policy, 0, attemptMs);
    assert.is(decision.kind, kind, `${attempt} ${remaining} ${attemptMs}`);
    if (decision.kind === 'retry') assert.is(decision.delayMs, delay);
  }
});

test('nodes starting together take turns', () => {
  const table: Array<[string[], string | undefined, number, number]> = [
    [[], 'node1', 0, 0],
    [['node1'], 'node1', 0.9, 0],
    [['node1', 'node2'], 'node1', 0, 0],
    [['node2', 'node1'], 'node2', 0, 1000],
    [['node2', 'node1', 'node3'], 'node3', 1, 2500],
    [['node2', 'node3'], 'node1', 0.5, 0],
    [['node1', 'node2'], undefined, 0.5, 0],
  ];
  for (const [unames, node, random, delay] of table) assert.is(startStaggerMs(unames, node, 1000, random), delay, `${unames} ${node}`);
});

test.run();
