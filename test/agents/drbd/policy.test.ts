import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay, decide, describeVerdict, type ConnectionEvidence, type LogEvidence } from '../../../agents/drbd/policy';

const NOW = Date.parse('2026-11-22T01:00:00Z');
const MIN = 60_000;
const log = (verdict: LogEvidence['verdict'], startSeen = true): LogEvidence[] => [{ source: 'dmesg', firstAt: NOW - 60 * MIN, verdict, startSeen }];
const network = log({ cause: 'network', line: 'd-con r0: bind before connect failed, err = -99', at: NOW - MIN });
const noCause = log(undefined);
const kernel = (cause: 'split-brain' | 'unrelated-data' | 'incompatible' | 'admin-disconnect') => log({ cause, line: `some ${cause} line` });
const up = { state: 'up' as const, at: NOW - 5 * MIN };
const down = { state: 'down' as const, at: NOW - 5 * MIN };

// [case, evidence (now defaults to NOW), expected verdict as describeVerdict prints it]
const table: Array<[string, Partial<ConnectionEvidence>, string]> = [
  ['Connected', { state: 'Connected' }, 'connected'],
  ['SyncSource counts as connected', { state: 'SyncSource' }, 'connected'],
  ['WFConnection: DRBD retries', { state: 'WFConnection', baseline: up }, 'retrying'],
  ['9 Connecting: DRBD retries', { state: 'Connecting' }, 'retrying'],
  ['NetworkFailure: DRBD retries', { state: 'NetworkFailure' }, 'retrying'],
  ['Unconfigured resource', { state: 'Unconfigured', baseline: up }, 'leave (resource-down)'],
  ['StandAlone, was up, kernel says network', { state: 'StandAlone', baseline: up, kernelLogs: network }, 'reconnect'],
  ['StandAlone, was up, no kernel log readable: "up before" is no evidence', { state: 'StandAlone', baseline: up }, 'leave (log-unreadable)'],
  ['StandAlone, was up, the log names no cause', { state: 'StandAlone', baseline: up, kernelLogs: noCause }, 'leave (no-network-cause)'],
  ['StandAlone, no baseline, kernel says network and shows the episode start', { state: 'StandAlone', kernelLogs: network }, 'reconnect'],
  [
    'StandAlone, no baseline, network without the episode start',
    { state: 'StandAlone', kernelLogs: log({ cause: 'network', line: 'x' }, false) },
    'leave (log-incomplete)',
  ],
  ['StandAlone, no baseline, kernel log silent', { state: 'StandAlone', kernelLogs: noCause }, 'leave (no-network-cause)'],
  [
    'split-brain marker beats baseline and network',
    { state: 'StandAlone', baseline: up, kernelLogs: network, splitBrainMarker: { resource: 'r0', at: NOW - MIN } },
    'leave (split-brain)',
  ],
  ['kernel split brain', { state: 'StandAlone', baseline: up, kernelLogs: kernel('split-brain') }, 'leave (split-brain)'],
  ['kernel unrelated data', { state: 'StandAlone', baseline: up, kernelLogs: kernel('unrelated-data') }, 'leave (unrelated-data)'],
  ['kernel incompatible settings', { state: 'StandAlone', baseline: up, kernelLogs: kernel('incompatible') }, 'leave (incompatible)'],
  ['kernel admin disconnect', { state: 'StandAlone', baseline: up, kernelLogs: kernel('admin-disconnect') }, 'leave (admin-disconnect)'],
  ['StandAlone on purpose before the event', { state: 'StandAlone', baseline: down, kernelLogs: network }, 'leave (not-in-baseline)'],
  ['local address still missing', { state: 'StandAlone', baseline: up, kernelLogs: network, localAddressPresent: false }, 'wait-network'],
  ['local address back', { state: 'StandAlone', baseline: up, kernelLogs: network, localAddressPresent: true }, 'reconnect'],
  [
    'one attempt 5 s ago: backoff 10 s',
    { state: 'StandAlone', baseline: up, kernelLogs: network, backoff: { attempts: 1, lastAttempt: NOW - 5000 } },
    'backoff',
  ],
  ['one attempt 11 s ago: retry', { state: 'StandAlone', baseline: up, kernelLogs: network, backoff: { attempts: 1, lastAttempt: NOW - 11_000 } }, 'reconnect'],
  [
    'four attempts, last 60 s ago: 80 s backoff',
    { state: 'StandAlone', baseline: up, kernelLogs: network, backoff: { attempts: 4, lastAttempt: NOW - MIN } },
    'backoff',
  ],
  [
    'many attempts long ago are forgotten',
    { state: 'StandAlone', baseline: up, kernelLogs: network, backoff: { attempts: 30, lastAttempt: NOW - 30 * MIN } },
    'reconnect',
  ],
  ['capped at 10 minutes', { state: 'StandAlone', baseline: up, kernelLogs: network, backoff: { attempts: 30, lastAttempt: NOW - 11 * MIN } }, 'reconnect'],
  ['Disconnecting: on its way to StandAlone, not retrying', { state: 'Disconnecting', baseline: up }, 'disconnecting'],
];

const policy = suite('reconnect policy table');
for (const [name, partial, expected] of table) {
  policy(name, () => {
    const verdict = decide({ now: NOW, state: 'StandAlone', ...partial });
    assert.is(describeVerdict(verdict), expected, verdict.why);
    assert.ok(verdict.why.length > 0, 'every verdict says why');
  });
}
policy('backoff delays double and cap', () => {
  assert.equal(
    [0, 1, 2, 3, 7, 20].map((n) => backoffDelay(n)),
    [0, 10_000, 20_000, 40_000, 600_000, 600_000],
  );
});
policy('why names the evidence', () => {
  const v = decide({ now: NOW, state: 'StandAlone', kernelLogs: network });
  assert.is(v.why, `network cause "d-con r0: bind before connect failed, err = -99" (dmesg, ${new Date(NOW - MIN).toISOString()})`);
  const b = decide({ now: NOW, state: 'StandAlone', baseline: up, kernelLogs: network, backoff: { attempts: 1, lastAttempt: NOW - 5000 } });
  assert.ok(b.action === 'wait' && b.until === NOW + 5000);
});
policy.run();
