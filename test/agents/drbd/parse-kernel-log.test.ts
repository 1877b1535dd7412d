import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { episodeEvidence, parseKernelLine, parseKernelLog } from '../../../agents/drbd/parse-kernel-log';
import { fixture } from './fixtures';

const minors = new Map([
  [0, 'r0'],
  [1, 'r1'],
  [2, 'r2'],
  [3, 'r3'],
]);
const cause = (text: string, res: string, peer?: string) => episodeEvidence(parseKernelLog(text, 'dmesg').events, res, peer, minors).verdict?.cause;

test('prefixes of 8.0-8.3.1, 8.3.2+/8.4 and 9, anchored after the header', () => {
  assert.equal(parseKernelLine('[  950.400210] block drbd2: Split-Brain detected but unresolved, dropping connection!'), {
    seq: 0,
    kind: 'split-brain',
    minor: 2,
    line: '[  950.400210] block drbd2: Split-Brain detected but unresolved, dropping connection!',
  });
  const old = parseKernelLine('drbd0: Split-Brain detected, dropping connection!');
  assert.equal([old?.kind, old?.minor, old?.resource], ['split-brain', 0, undefined]);
  const peerDevice = parseKernelLine('Nov 21 10:00:01 alice kernel: drbd r0/0 drbd1 carol: Split-Brain detected but unresolved, dropping connection!');
  assert.equal([peerDevice?.resource, peerDevice?.minor, peerDevice?.peer], ['r0', 1, 'carol']);
  const conn = parseKernelLine('drbd r0 bob: conn( Connecting -> Connected ) peer( Unknown -> Secondary )');
  assert.equal([conn?.kind, conn?.resource, conn?.peer, conn?.from, conn?.to], ['transition', 'r0', 'bob', 'Connecting', 'Connected']);
  assert.is(parseKernelLine('[4.1] drbd: initialized. Version: 8.4.11 (api:1/proto:86-101)'), undefined);
  assert.is(parseKernelLine('[5.0] d-con r0: Connection closed'), undefined);
  // a host named "drbd": never a resource
  const host = parseKernelLine('Nov 21 10:00:01 drbd kernel: [   12.5] block drbd1: conn( WFReportParams -> Disconnecting ) ');
  assert.equal([host?.resource, host?.minor], [undefined, 1]);
  assert.is(parseKernelLine('Nov 21 10:00:01 drbd systemd[1]: drbd r0: conn( Connected -> Disconnecting )'), undefined, 'not a kernel line');
});

test('9: transport prefixes and peer names with ":" from the configuration', () => {
  const peers = new Map([['r0', ['10.1.1.32:7789', 'bob']]]);
  const floating = parseKernelLine('drbd r0 10.1.1.32:7789: conn( Connecting -> Disconnecting )', 0, { peers });
  assert.is(floating?.peer, '10.1.1.32:7789');
  assert.is(parseKernelLine('drbd r0 tcp:bob: conn( Connecting -> Disconnecting )', 0, { peers })?.peer, 'bob');
  assert.is(parseKernelLine('drbd r0 tcp:10.1.1.32:7789: conn( Connecting -> Disconnecting )', 0, { peers })?.peer, '10.1.1.32:7789');
  assert.is(parseKernelLine('drbd r0 tcp:bob: conn( Connecting -> Disconnecting )')?.peer, 'bob', 'without names: the transport is stripped');
});

test('9.2 tags, failed changes and helper lines', () => {
  assert.is(parseKernelLine('drbd r0 bob: conn( Connected -> Disconnecting ) peer( Secondary -> Unknown ) [disconnect]')?.tag, 'disconnect');
  assert.is(parseKernelLine('drbd r0 bob: Failed: conn( Connected -> Disconnecting )'), undefined, 'a failed change changes nothing');
  assert.is(parseKernelLine('drbd nfs/0 drbd8 os-hv-am-3: helper command: /sbin/drbdadm split-brain')?.kind, 'split-brain');
  assert.is(parseKernelLine('block drbd2: helper command: /sbin/drbdadm split-brain minor-2 exit code 0 (0x0)')?.kind, 'split-brain');
  assert.is(parseKernelLine('block drbd2: helper command: /sbin/drbdadm fence-peer minor-2'), undefined);
});

test('times: journal ISO, syslog, dmesg seconds since boot, dmesg -T', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  assert.is(
    parseKernelLine('2026-11-21T11:00:00.123456+0000 alice kernel: drbd r0: conn( Connected -> Disconnecting ) ')?.at,
    Date.parse('2026-11-21T11:00:00.123Z'),
  );
  assert.is(parseKernelLine('2026-11-21T11:00:00,5+00:00 drbd r0: conn( Connected -> Disconnecting ) ')?.at, Date.parse('2026-11-21T11:00:00.500Z'));
  assert.is(parseKernelLine('[  811.500000] drbd r0: conn( Connected -> Disconnecting ) ', 0, { bootTime: now - 3_600_000 })?.at, now - 3_600_000 + 811_500);
  assert.is(parseKernelLine('[  811.500000] drbd r0: conn( Connected -> Disconnecting ) ')?.at, undefined, 'no boot time: no time');
  const syslog = parseKernelLine('Nov 21 11:00:00 alice kernel: drbd r0: conn( Connected -> Disconnecting ) ', 0, { now })?.at;
  assert.is(syslog, new Date(2026, 10, 21, 11, 0, 0).getTime());
  const december = parseKernelLine('Dec 31 23:00:00 alice kernel: drbd r0: conn( Connected -> Disconnecting ) ', 0, {
    now: Date.parse('2027-01-01T08:00:00Z'),
  })?.at;
  assert.is(new Date(december!).getFullYear(), 2026, 'a date ahead of now is last year');
  const log = parseKernelLog(
    '2026-11-21T10:00:00.000000+0000 alice kernel: Linux version 6.1.0\n2026-11-21T11:00:00.000000+0000 alice kernel: drbd r0: conn( Connected -> Disconnecting ) \n',
    'journalctl -k',
  );
  assert.equal(
    [log.firstAt, log.lines, log.events.length],
    [Date.parse('2026-11-21T10:00:00Z'), 2, 1],
    'the first line of any kind says how far back the log reaches',
  );
});

test('8.4 fixture: the cause of each episode', () => {
  const events = parseKernelLog(fixture('kmsg-8.4.txt'), 'dmesg').events;
  const of = (res: string) =>
    episodeEvidence(
      events,
      res,
      undefined,
      new Map([
        [0, 'r0'],
        [1, 'r1'],
        [2, 'r2'],
        [3, 'r3'],
      ]),
    );
  assert.equal(of('r0'), { verdict: { cause: 'network', line: '[  811.212113] d-con r0: bind before connect failed, err = -99' }, startSeen: true });
  assert.is(of('r1').verdict?.cause, 'admin-disconnect', 'Connected -> Disconnecting with no reason logged');
  assert.is(of('r2').verdict?.cause, 'split-brain');
  assert.is(of('r3').verdict?.cause, 'unrelated-data');
  assert.is(of('r4').verdict?.cause, 'incompatible');
  assert.equal(of('r9'), { verdict: undefined, startSeen: false });
});

test('9 fixture: per peer; a newer Connected or leaving StandAlone opens a new episode', () => {
  const text = fixture('kmsg-9.txt');
  assert.is(cause(text, 'r0', 'bob'), 'network');
  assert.is(cause(text, 'r0', 'carol'), 'split-brain');
  assert.is(cause(text + 'Nov 21 11:10:00 alice kernel: drbd r0 carol: conn( StandAlone -> Connecting )\n', 'r0', 'carol'), undefined);
  assert.is(cause(text + 'Nov 21 11:10:00 alice kernel: drbd r0 bob: conn( Connecting -> Connected ) peer( Unknown -> Secondary )\n', 'r0', 'bob'), undefined);
});

test('a network line without a drop to Disconnecting after it is not a cause', () => {
  assert.is(cause('d-con r0: conn( Connected -> NetworkFailure ) \nd-con r0: bind before connect failed, err = -99\n', 'r0'), undefined);
});

test.run();
