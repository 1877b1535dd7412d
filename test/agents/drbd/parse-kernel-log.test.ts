import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelVerdict, parseKernelLine, parseKernelLog } from '../../../agents/drbd/parse-kernel-log';
import { fixture } from './fixtures';

const minors = new Map([[0, 'r0'], [1, 'r1'], [2, 'r2'], [3, 'r3']]);

test('line prefixes of 8.4 and 9', () => {
  assert.equal(parseKernelLine('[  950.400210] block drbd2: Split-Brain detected but unresolved, dropping connection!'), {
    seq: 0, kind: 'split-brain', minor: 2, line: '[  950.400210] block drbd2: Split-Brain detected but unresolved, dropping connection!',
  });
  const peerDevice = parseKernelLine('kernel: drbd r0/0 drbd1 carol: Split-Brain detected but unresolved, dropping connection!');
  assert.equal([peerDevice?.resource, peerDevice?.minor, peerDevice?.peer], ['r0', 1, 'carol']);
  const conn = parseKernelLine('drbd r0 bob: conn( Connecting -> Connected ) peer( Unknown -> Secondary )');
  assert.equal([conn?.kind, conn?.resource, conn?.peer], ['connected', 'r0', 'bob']);
  assert.is(parseKernelLine('[4.1] drbd: initialized. Version: 8.4.11 (api:1/proto:86-101)'), undefined);
  assert.is(parseKernelLine('[5.0] d-con r0: Connection closed'), undefined);
});

test('8.4 log: the cause of each episode', () => {
  const events = parseKernelLog(fixture('kmsg-8.4.txt'));
  const cause = (res: string) => kernelVerdict(events, res, undefined, minors)?.cause;
  assert.is(cause('r0'), 'network', 'bind failure, then Discarding network configuration');
  assert.is(cause('r1'), 'admin-disconnect', 'Connected -> Disconnecting with no reason logged');
  assert.is(cause('r2'), 'split-brain');
  assert.is(cause('r3'), 'unrelated-data');
  assert.is(cause('r4'), 'incompatible');
  assert.is(cause('r9'), undefined);
});

test('9 log: per peer; a newer Connected or leaving StandAlone clears the cause', () => {
  const events = parseKernelLog(fixture('kmsg-9.txt'));
  assert.is(kernelVerdict(events, 'r0', 'bob', minors)?.cause, 'network');
  assert.is(kernelVerdict(events, 'r0', 'carol', minors)?.cause, 'split-brain');
  const later = parseKernelLog(fixture('kmsg-9.txt') + 'drbd r0 carol: conn( StandAlone -> Unconnected )\n');
  assert.is(kernelVerdict(later, 'r0', 'carol', minors), undefined);
  const reconnected = parseKernelLog(fixture('kmsg-9.txt') + 'drbd r0 bob: conn( Connecting -> Connected ) peer( Unknown -> Secondary )\n');
  assert.is(kernelVerdict(reconnected, 'r0', 'bob', minors), undefined);
});

test('a split brain after a network cause in the same episode wins', () => {
  const events = parseKernelLog('d-con r0: bind before connect failed, err = -99\nblock drbd0: Split-Brain detected but unresolved, dropping connection!\n');
  assert.is(kernelVerdict(events, 'r0', undefined, minors)?.cause, 'split-brain');
});

test.run();
