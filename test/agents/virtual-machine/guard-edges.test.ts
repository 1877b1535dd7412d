// Edges of the guard decisions that the decision tables in guards.test.ts did not reach (found by
// mutation testing, npm run mutation -- --only vm-guards): lock-manager names and the notes a
// passing verdict carries (the lease's edges are in lease.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideLockManager, decidePeers, decideStorage, type Handoff } from '../../../agents/virtual-machine/guards';

const atTarget: Handoff = { role: 'target', source: 'node1', target: 'node2' };

test('lock manager: daemon names, "nop" is none, and the notes of a passing verdict', () => {
  const fact = (configured: string | undefined, daemonRunning?: boolean) => ({ configured, configFile: '/etc/libvirt/qemu.conf', daemonRunning });
  const lockdDown = decideLockManager(fact('lockd', false), true);
  assert.equal(lockdDown, {
    ok: false,
    reason: 'virtlockd is configured in /etc/libvirt/qemu.conf but nothing listens on its socket (not found): is virtlockd running?',
  });
  const nop = decideLockManager(fact('nop'), true);
  assert.not.ok(nop.ok);
  assert.match(!nop.ok ? nop.reason : '', /^no libvirt lock manager is configured/);
  assert.equal(decideLockManager(fact('sanlock', true), true), { ok: true, notes: ['libvirt lock manager: sanlock (/etc/libvirt/qemu.conf)'] });
  assert.equal(decideLockManager(fact('flock', true), false), {
    ok: false,
    reason: 'lock_manager = "flock" in /etc/libvirt/qemu.conf is not a lock manager libvirt knows (lockd, sanlock)',
  });
});

test('peers and storage: several refusals are all named, separated by "; "; notes only when there is something to say', () => {
  const refused = decidePeers(
    [
      { node: 'node2', kind: 'running', matchedBy: 'uuid', evidence: 'e2' },
      { node: 'node3', kind: 'running', matchedBy: 'name', evidence: 'e3' },
    ],
    undefined,
  );
  assert.equal(refused, { ok: false, reason: 'the guest already runs on node2 (e2); the guest already runs on node3 (e3)' });
  assert.equal(decidePeers([{ node: 'node2', kind: 'absent' }], undefined), { ok: true, notes: [] });
  assert.equal(decidePeers([{ node: 'node1', kind: 'running', matchedBy: 'uuid', evidence: 'e1' }], undefined, atTarget), {
    ok: true,
    notes: ['node1 still shows the guest: expected during the live-migration handoff from it'],
  });
  const disk = (name: string, local: 'Primary' | 'Secondary', peer: 'Primary' | 'Secondary') => ({
    disk: `/dev/${name}`,
    device: name,
    local,
    peers: [{ role: peer, connection: 'Connected', peerDisk: 'UpToDate' }],
  });
  assert.equal(decideStorage([disk('drbd0', 'Secondary', 'Primary'), disk('drbd1', 'Secondary', 'Primary')], 'handoff-only'), {
    ok: false,
    reason: 'disk /dev/drbd0 (drbd0) is Secondary here, not Primary; disk /dev/drbd1 (drbd1) is Secondary here, not Primary',
  });
  assert.equal(decideStorage([disk('drbd0', 'Primary', 'Secondary')], 'handoff-only'), { ok: true, notes: [] });
  assert.equal(decideStorage([disk('drbd0', 'Primary', 'Primary')], 'handoff-only', atTarget), {
    ok: true,
    notes: ['drbd0 is dual-primary: expected during the live-migration handoff'],
  });
});

test.run();
