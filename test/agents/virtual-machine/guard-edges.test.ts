// Edges of the guard decisions that the decision tables in guards.test.ts did not reach (found by
// mutation testing, npm run mutation -- --only vm-guards): the lease's expiry instant, the target's
// own lease during a handoff, lock-manager names and the notes a passing verdict carries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideLease, decideLockManager, decidePeers, decideStorage, type Handoff, type LeaseFact } from '../../../agents/virtual-machine/guards';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const lease = (holder: string, expiresAt: number): LeaseFact => ({ kind: 'lease', lease: { guest: 'vm1', holder, expiresAt, renewedAt: expiresAt - 120000 } });
const atTarget: Handoff = { role: 'target', source: 'node1', target: 'node2' };

test('lease: expired at this very instant is expired (the holder stopped renewing it)', () => {
  const verdict = decideLease(lease('node2', NOW), 'node1', NOW, '/shared/vm1.lease');
  assert.ok(verdict.ok);
  assert.equal(verdict.ok && verdict.takeover, { from: 'node2', expiredAt: NOW });
  assert.equal(verdict.ok && verdict.notes, ['taking over the lease /shared/vm1.lease from node2, expired at 2026-03-01T12:00:00.000Z']);
  assert.not.ok(decideLease(lease('node2', NOW + 1), 'node1', NOW, '/shared/vm1.lease').ok, 'one millisecond left: still held');
});

test('lease: passing verdicts carry exactly the notes that explain them', () => {
  assert.equal(decideLease({ kind: 'none' }, 'node1', NOW, 'f'), { ok: true, notes: [] });
  assert.equal(decideLease(lease('node1', NOW + 60000), 'node1', NOW, 'f'), { ok: true, notes: [] });
  assert.equal(decideLease(lease('node1', NOW + 60000), 'node2', NOW, 'f', atTarget), { ok: true, notes: ['lease handed over from node1 by live migration'] });
});

test('lease: at the migration target, a live lease the target itself holds (handed over already) passes', () => {
  // migrate_to on the source wrote the lease for node2 before the memory moved; migrate_from on
  // node2 checks as the target, with self = node2
  assert.equal(decideLease(lease('node2', NOW + 60000), 'node2', NOW, 'f', atTarget), { ok: true, notes: [] });
  // and seen from a third node's view of the handoff (self differs): the target's lease passes too
  assert.ok(decideLease(lease('node2', NOW + 60000), 'node3', NOW, 'f', atTarget).ok);
  assert.not.ok(decideLease(lease('node2', NOW + 60000), 'node3', NOW, 'f').ok, 'without a handoff it is refused');
});

test('lock manager: daemon names, "nop" is none, and the notes of a passing verdict', () => {
  const fact = (configured: string | undefined, daemonRunning?: boolean) => ({ configured, configFile: '/etc/libvirt/qemu.conf', daemonRunning });
  const lockdDown = decideLockManager(fact('lockd', false), true);
  assert.equal(lockdDown, { ok: false, reason: 'virtlockd is configured in /etc/libvirt/qemu.conf but its socket is missing: is virtlockd running?' });
  const nop = decideLockManager(fact('nop'), true);
  assert.not.ok(nop.ok);
  assert.match(!nop.ok ? nop.reason : '', /^no libvirt lock manager is configured/);
  assert.equal(decideLockManager(fact('sanlock', true), true), { ok: true, notes: ['libvirt lock manager: sanlock (/etc/libvirt/qemu.conf)'] });
  assert.equal(decideLockManager(fact('flock', true), false), { ok: false, reason: 'lock_manager = "flock" in /etc/libvirt/qemu.conf is not a lock manager libvirt knows (lockd, sanlock)' });
});

test('peers and storage: several refusals are all named, separated by "; "; notes only when there is something to say', () => {
  const refused = decidePeers([{ node: 'node2', kind: 'running', matchedBy: 'uuid', evidence: 'e2' }, { node: 'node3', kind: 'running', matchedBy: 'name', evidence: 'e3' }], undefined);
  assert.equal(refused, { ok: false, reason: 'the guest already runs on node2 (e2); the guest already runs on node3 (e3)' });
  assert.equal(decidePeers([{ node: 'node2', kind: 'absent' }], undefined), { ok: true, notes: [] });
  assert.equal(decidePeers([{ node: 'node1', kind: 'running', matchedBy: 'uuid', evidence: 'e1' }], undefined, atTarget), { ok: true, notes: ['node1 still shows the guest: expected during the live-migration handoff from it'] });
  const disk = (name: string, local: 'Primary' | 'Secondary', peer: 'Primary' | 'Secondary') => ({ disk: `/dev/${name}`, device: name, local, peers: [peer] });
  assert.equal(decideStorage([disk('drbd0', 'Secondary', 'Primary'), disk('drbd1', 'Secondary', 'Primary')], 'handoff-only'), {
    ok: false,
    reason: 'disk /dev/drbd0 (drbd0) is Secondary here, not Primary; disk /dev/drbd1 (drbd1) is Secondary here, not Primary',
  });
  assert.equal(decideStorage([disk('drbd0', 'Primary', 'Secondary')], 'handoff-only'), { ok: true, notes: [] });
  assert.equal(decideStorage([disk('drbd0', 'Primary', 'Primary')], 'handoff-only', atTarget), { ok: true, notes: ['drbd0 is dual-primary: expected during the live-migration handoff'] });
});

test.run();
