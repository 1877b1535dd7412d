import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decideLockManager,
  decidePeers,
  decideStorage,
  type DiskRoleFact,
  type DrbdRole,
  type Handoff,
  type NodeStatus,
  type PeerAnswer,
} from '../../../agents/virtual-machine/guards';

const test = suite('virtual-machine guards');

const running = (node: string): PeerAnswer => ({ node, kind: 'running', matchedBy: 'uuid', evidence: `uuid on ${node}` });
const absent = (node: string): PeerAnswer => ({ node, kind: 'absent' });
const unreachable = (node: string): PeerAnswer => ({ node, kind: 'unreachable', uri: `qemu+ssh://${node}/system`, error: 'Connection refused' });
const status = (name: string, online: boolean, unclean = false): NodeStatus => ({ name, online, unclean });
const toSource: Handoff = { role: 'source', source: 'node1', target: 'node2' };
const atTarget: Handoff = { role: 'target', source: 'node1', target: 'node2' };

test('peers: decision table', () => {
  const cases: Array<[string, PeerAnswer[], NodeStatus[] | undefined, Handoff | undefined, boolean, RegExp?]> = [
    ['nobody runs it', [absent('node2'), absent('node3')], undefined, undefined, true],
    ['no peers at all', [], undefined, undefined, true],
    ['runs on node3', [absent('node2'), running('node3')], undefined, undefined, false, /runs on node3 \(uuid on node3\)/],
    [
      'unreachable, Pacemaker online',
      [unreachable('node2')],
      [status('node2', true)],
      undefined,
      false,
      /^cannot ask node2 whether it runs the guest and Pacemaker reports it online \(qemu\+ssh:\/\/node2\/system: Connection refused\)$/,
    ],
    ['unreachable, offline and clean', [unreachable('node2')], [status('node2', false)], undefined, true],
    ['unreachable, offline but unclean', [unreachable('node2')], [status('node2', false, true)], undefined, false, /unclean/],
    ['unreachable, no Pacemaker status', [unreachable('node2')], undefined, undefined, false, /unavailable/],
    ['unreachable, node unknown to Pacemaker', [unreachable('node9')], [status('node2', true)], undefined, false, /does not know/],
    ['handoff at target: source still shows it', [running('node1'), absent('node3')], undefined, atTarget, true],
    ['handoff at target: a third node runs it', [running('node1'), running('node3')], undefined, atTarget, false, /runs on node3/],
    ['handoff at source: target already runs it', [running('node2')], undefined, toSource, false, /migration target node2/],
    ['ordinary start: the would-be source counts', [running('node1')], undefined, undefined, false, /node1/],
  ];
  for (const [name, answers, st, handoff, allowed, reason] of cases) {
    const verdict = decidePeers(answers, st, handoff);
    assert.is(verdict.ok, allowed, name);
    if (!verdict.ok && reason) assert.match(verdict.reason, reason, name);
  }
});

test('peers: every refusal is listed', () => {
  const verdict = decidePeers([running('node2'), unreachable('node3')], [status('node3', true)]);
  assert.is(verdict.ok, false);
  if (!verdict.ok) {
    assert.match(verdict.reason, /node2/);
    assert.match(verdict.reason, /node3/);
  }
});

test('lock manager: decision table', () => {
  const f = (configured: string | undefined, daemonRunning?: boolean) => ({ configured, configFile: '/etc/libvirt/qemu.conf', daemonRunning });
  assert.ok(decideLockManager(f(undefined), false).ok);
  const none = decideLockManager(f(undefined), true);
  assert.ok(!none.ok && /no libvirt lock manager.*lock_manager = "lockd"/.test(none.reason));
  assert.ok(decideLockManager(f('lockd', true), true).ok);
  assert.ok(decideLockManager(f('sanlock', true), true).ok);
  const down = decideLockManager(f('sanlock', false), true);
  assert.ok(!down.ok && /sanlock is configured.*nothing listens on its socket/.test(down.reason));
  assert.ok(decideLockManager(f('sanlock', false), false).ok);
  assert.ok(!decideLockManager(f('flock', true), false).ok);
});

test('storage: decision table', () => {
  const peer = (role: DrbdRole) => ({
    role,
    connection: role === 'Unknown' ? 'WFConnection' : 'Connected',
    peerDisk: role === 'Unknown' ? 'DUnknown' : 'UpToDate',
  });
  const disk = (local: DiskRoleFact['local'], peers: DrbdRole[], error?: string): DiskRoleFact => ({
    disk: '/dev/drbd0',
    device: 'drbd0',
    local,
    peers: peers.map(peer),
    ...(error ? { error } : {}),
  });
  const cases: Array<[string, DiskRoleFact[], 'handoff-only' | 'allowed', Handoff | undefined, boolean, RegExp?]> = [
    ['no DRBD disks', [], 'handoff-only', undefined, true],
    ['Primary/Secondary', [disk('Primary', ['Secondary'])], 'handoff-only', undefined, true],
    [
      'Primary/Unknown (peer not connected)',
      [disk('Primary', ['Unknown'])],
      'handoff-only',
      undefined,
      false,
      /peer role unknown \(WFConnection, peer disk DUnknown\)/,
    ],
    ['Primary/Unknown, dual-primary allowed', [disk('Primary', ['Unknown'])], 'allowed', undefined, true],
    ['Secondary here', [disk('Secondary', ['Primary'])], 'handoff-only', undefined, false, /\/dev\/drbd0 \(drbd0\) is Secondary here/],
    ['dual-primary on a start', [disk('Primary', ['Primary'])], 'handoff-only', undefined, false, /Primary on the peer too/],
    ['dual-primary allowed by policy', [disk('Primary', ['Primary'])], 'allowed', undefined, true],
    ['dual-primary during handoff', [disk('Primary', ['Primary'])], 'handoff-only', atTarget, true],
    ['Secondary during handoff is still refused', [disk('Secondary', ['Primary'])], 'handoff-only', atTarget, false],
    ['role unreadable', [disk('Unknown', [], 'no such minor in /proc/drbd')], 'allowed', undefined, false, /cannot read the DRBD role/],
  ];
  for (const [name, disks, policy, handoff, allowed, reason] of cases) {
    const verdict = decideStorage(disks, policy, handoff);
    assert.is(verdict.ok, allowed, name);
    if (!verdict.ok && reason) assert.match(verdict.reason, reason, name);
  }
});

test('the node and the verdict fit in the 128 characters of an exit reason Pacemaker keeps', () => {
  const longUri = `qemu+ssh://root@node2.example.net/system?keyfile=/root/.ssh/${'x'.repeat(80)}`;
  const peer = decidePeers(
    [{ node: 'node2.example.net', kind: 'unreachable', uri: longUri, error: 'Connection refused' }],
    [status('node2.example.net', true)],
  );
  assert.ok(!peer.ok && /cannot ask node2\.example\.net whether it runs the guest and Pacemaker reports it online/.test(peer.reason.slice(0, 128)));
});

test.run();
