// The reconnect policy at its edges: the exact "why" each verdict gives (an admin reads it in the
// exit reason and the log), and the boundaries of time comparisons (seen up at the very moment of
// the cause, a backoff that ends right now). Written against
// the policy.ts mutants that survived policy.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, type ConnectionEvidence as Evidence, type LogEvidence } from '../../../agents/drbd/policy';

const NOW = Date.parse('2026-11-22T01:00:00Z');
const MIN = 60_000;
const at = (t: number) => new Date(t).toISOString();
const UP = NOW - 5 * MIN;
const LINE = 'drbd r0 node2: PingAck did not arrive in time.';
const netLog = (cause: Partial<NonNullable<LogEvidence['verdict']>>, firstAt: number | undefined = NOW - 60 * MIN, startSeen = false): LogEvidence => ({
  source: 'journal',
  firstAt,
  startSeen,
  verdict: { cause: 'network', line: LINE, ...cause } as LogEvidence['verdict'],
});
const standAlone = (e: Partial<Evidence>) => decide({ now: NOW, state: 'StandAlone', ...e });

test('deliberate causes: each named in words with the line, its source and time (or "time unknown")', () => {
  const words: Record<string, string> = {
    'split-brain': 'split brain',
    'unrelated-data': 'unrelated data (different data generations)',
    incompatible: 'incompatible settings',
    refused: 'the connection was refused (handshake or handler)',
    'admin-disconnect': 'a disconnect with no network failure right before it (drbdadm disconnect/down/del-peer)',
    'no-destination': 'no destination address (a connect cannot succeed)',
  };
  for (const [cause, text] of Object.entries(words)) {
    const v = standAlone({ kernelLogs: [netLog({ cause: cause as 'refused', line: 'the line', at: NOW - MIN })] });
    assert.equal(v, { action: 'leave', reason: cause, why: `${text}: "the line" (journal, ${at(NOW - MIN)})` }, cause);
  }
  const untimed = standAlone({ kernelLogs: [netLog({ cause: 'split-brain', line: 'the line', at: undefined })] });
  assert.is(untimed.why, 'split brain: "the line" (journal, time unknown)');
});

test('a network cause logged before the connection was last seen up is no evidence; at the same moment, or untimed, it is', () => {
  const older = standAlone({ baseline: { state: 'up', at: UP }, kernelLogs: [netLog({ at: UP - 1 }, NOW - 60 * MIN, true)] });
  assert.equal(older, {
    action: 'leave',
    reason: 'log-incomplete',
    why: `the newest network cause "${LINE}" (journal, ${at(UP - 1)}) is older than the last time the connection was seen up (${at(UP)}): this episode's lines are missing`,
  });
  const same = standAlone({ baseline: { state: 'up', at: UP }, kernelLogs: [netLog({ at: UP }, NOW - 60 * MIN, true)] });
  assert.equal(same, { action: 'reconnect', why: `network cause "${LINE}" (journal, ${at(UP)})` });
  const untimed = standAlone({ baseline: { state: 'up', at: UP }, kernelLogs: [netLog({ at: undefined }, NOW - 60 * MIN, true)] });
  assert.is(untimed.action, 'reconnect', untimed.why);
  // of two sources, the one whose cause belongs to this episode is the evidence
  const two = standAlone({
    baseline: { state: 'up', at: UP },
    kernelLogs: [{ ...netLog({ at: UP - MIN }, NOW - 60 * MIN, true), source: 'dmesg' }, netLog({ at: UP + MIN }, NOW - 60 * MIN, true)],
  });
  assert.equal(two, { action: 'reconnect', why: `network cause "${LINE}" (journal, ${at(UP + MIN)})` });
});

test('no network cause: the sources and how far back each reaches are named, and "up before" is said to be no evidence', () => {
  const quiet: LogEvidence = { source: 'journal', firstAt: NOW - 60 * MIN, startSeen: false, verdict: undefined };
  const v = standAlone({ baseline: { state: 'up', at: UP }, kernelLogs: [quiet, { ...quiet, source: 'dmesg', firstAt: undefined }] });
  assert.equal(v, {
    action: 'leave',
    reason: 'no-network-cause',
    why: `no network cause of the current episode in journal (from ${at(NOW - 60 * MIN)}) or dmesg (from time unknown); it was up at ${at(UP)}, which alone is no evidence`,
  });
  const never = standAlone({ kernelLogs: [quiet] });
  assert.is(never.why, `no network cause of the current episode in journal (from ${at(NOW - 60 * MIN)})`);
});

test('the log must reach back to when the connection was last seen up (the same moment counts), or show the episode start', () => {
  const base = { state: 'up' as const, at: UP };
  assert.is(standAlone({ baseline: base, kernelLogs: [netLog({ at: NOW - MIN }, UP)] }).action, 'reconnect', 'log starts when it was last seen up');
  const late = standAlone({ baseline: base, kernelLogs: [netLog({ at: NOW - MIN }, UP + 1)] });
  assert.equal(late, {
    action: 'leave',
    reason: 'log-incomplete',
    why: `journal starts at ${at(UP + 1)} without the episode's start (last seen up at ${at(UP)}): a later cause may be missing`,
  });
  const untimedStart = standAlone({ baseline: base, kernelLogs: [{ ...netLog({ at: NOW - MIN }), firstAt: undefined }] });
  assert.is(untimedStart.action, 'leave', 'a log of unknown reach does not cover the episode');
  const neverUp = standAlone({ kernelLogs: [netLog({ at: NOW - MIN }, NOW - 60 * MIN)] });
  assert.is(neverUp.why, `journal starts at ${at(NOW - 60 * MIN)} without the episode's start (never seen up by ocfkit): a later cause may be missing`);
  assert.is(standAlone({ kernelLogs: [netLog({ at: NOW - MIN }, NOW - 60 * MIN, true)] }).action, 'reconnect', 'the episode start seen');
});

test('backoff ends exactly at lastAttempt + delay', () => {
  const e = { baseline: { state: 'up' as const, at: UP }, kernelLogs: [netLog({ at: NOW - MIN }, NOW - 60 * MIN, true)] };
  const justNow = standAlone({ ...e, backoff: { attempts: 1, lastAttempt: NOW - 10_000 } });
  assert.is(justNow.action, 'reconnect', 'the 10 s backoff has ended now');
  const almost = standAlone({ ...e, backoff: { attempts: 1, lastAttempt: NOW - 9_999 } });
  assert.equal(almost, { action: 'wait', kind: 'backoff', until: NOW + 1, why: `1 reconnect attempt(s) recently; next not before ${at(NOW + 1)}` });
});

test.run();
