// VirtualMachine's use of the guest census as tables: a fresh entry elsewhere refuses at once, a
// stale one only notes, the migration source is expected; trust_census turns an unreachable peer
// into "absent" only on a fresh entry that does not list the guest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { acceptCensus, decideCensus, type CensusFact } from '../../../agents/virtual-machine/census-evidence';
import type { PeerAnswer } from '../../../agents/virtual-machine/guards';
import { runGuards, type GuardSettings } from '../../../agents/virtual-machine/run-guards';
import { fakeExecutor } from '../../support/fake-executor';
import { memoryLogger } from '../../support/memory-logger';
import { encodeCensus } from '../../../agents/pacemaker/census-attribute';

const U = '8f1c2a3b-0000-4000-8000-000000000001';
const NOW = 1_733_150_000_000;
const f = { now: NOW, maxAgeMs: 90_000, skewMs: 30_000 };
const ref = { name: 'vm1', uuid: U };
const entry = (node: string, ageS: number, guests: Array<{ uuid?: string; name: string }>): CensusFact => ({ node, entry: { at: NOW - ageS * 1000, guests } });

const decideTable: Array<{
  name: string;
  census: CensusFact[];
  handoff?: { role: 'source' | 'target'; source: string; target: string };
  refuse?: RegExp;
  notes?: number;
}> = [
  { name: 'no census published', census: [], notes: 0 },
  {
    name: 'a fresh entry elsewhere lists the guest by uuid',
    census: [entry('node2', 10, [{ uuid: U, name: 'renamed' }])],
    refuse: /^the guest runs on node2 by its guest census \(10 s old, matched by uuid: 8f1c/,
  },
  { name: 'a fresh entry elsewhere lists the guest by name (no uuid there)', census: [entry('node2', 10, [{ name: 'vm1' }])], refuse: /matched by name/ },
  {
    name: 'a name match with another uuid is another guest',
    census: [entry('node2', 10, [{ uuid: '00000000-0000-4000-8000-00000000000f', name: 'vm1' }])],
    notes: 0,
  },
  { name: 'a stale entry only notes', census: [entry('node2', 600, [{ uuid: U, name: 'vm1' }])], notes: 1 },
  { name: 'an entry from the future beyond the skew margin is not fresh', census: [entry('node2', -60, [{ uuid: U, name: 'vm1' }])], notes: 1 },
  { name: "this node's own entry is not evidence against it", census: [entry('node1', 5, [{ uuid: U, name: 'vm1' }])], notes: 0 },
  {
    name: 'the migration source still lists it during the handoff',
    census: [entry('node2', 5, [{ uuid: U, name: 'vm1' }])],
    handoff: { role: 'target', source: 'node2', target: 'node1' },
    notes: 1,
  },
  {
    name: 'the migration target already lists it: refused on the source',
    census: [entry('node2', 5, [{ uuid: U, name: 'vm1' }])],
    handoff: { role: 'source', source: 'node1', target: 'node2' },
    refuse: /runs on node2/,
  },
];
for (const c of decideTable) {
  test(`decideCensus: ${c.name}`, () => {
    const v = decideCensus(c.census, 'node1', ref, f, c.handoff);
    if (c.refuse) {
      assert.is(v.ok, false);
      if (!v.ok) assert.match(v.reason, c.refuse);
    } else {
      assert.is(v.ok, true);
      if (v.ok) assert.is(v.notes.length, c.notes);
    }
  });
}

const unreachable: PeerAnswer = { node: 'node2', kind: 'unreachable', uri: 'qemu+ssh://node2/system', error: 'Connection timed out' };
const acceptTable: Array<{ name: string; census: CensusFact[]; absent: boolean }> = [
  { name: 'a fresh entry without the guest stands in for the peer', census: [entry('node2', 20, [{ uuid: 'x', name: 'other' }])], absent: true },
  { name: 'a fresh empty census too', census: [entry('node2', 20, [])], absent: true },
  { name: 'a stale entry does not', census: [entry('node2', 200, [])], absent: false },
  { name: 'no entry for that node does not', census: [entry('node3', 20, [])], absent: false },
  { name: 'an entry that lists the guest does not', census: [entry('node2', 20, [{ uuid: U, name: 'vm1' }])], absent: false },
];
for (const c of acceptTable) {
  test(`acceptCensus: ${c.name}`, () => {
    const got = acceptCensus([unreachable, { node: 'node3', kind: 'absent' }], c.census, ref, f);
    assert.is(got.answers[0]!.kind, c.absent ? 'absent' : 'unreachable');
    assert.is(got.answers[1]!.kind, 'absent');
    assert.is(got.notes.length, c.absent ? 1 : 0);
    if (c.absent)
      assert.match(
        got.notes[0]!,
        /node2 could not be asked \(Connection timed out\); its guest census \(20 s old\) does not list the guest: accepted \(trust_census\)/,
      );
  });
}

// ---- through runGuards, with a fake executor -----------------------------------------------

const settings = (trust: boolean): GuardSettings => ({
  self: 'node1',
  checkPeers: true,
  peers: 'node2',
  peerUri: 'qemu+ssh://%n/system',
  peerTimeoutMs: 1000,
  leaseDir: undefined,
  leaseDurationMs: 120_000,
  leaseSkewMs: 30_000,
  requireLockManager: false,
  checkStorage: false,
  dualPrimary: 'handoff-only',
  hypervisor: 'xen:///system',
  backend: 'xl',
  census: { attribute: 'guest-census', maxAgeMs: 90_000, trust },
});
const attrd = (guests: Array<{ uuid?: string; name: string }>, ageS = 5) => ({
  match: ['attrd_updater', '-Q', '-A', '-n', 'guest-census'],
  answer: { stdout: `name="guest-census" host="node2" value="${encodeCensus({ at: NOW - ageS * 1000, guests })}"\n` },
});
const sshDown = {
  match: ['virsh', '-c', 'qemu+ssh://node2/system'],
  answer: {
    exitCode: 1,
    stderr: 'error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: connect to host node2 port 22: Connection timed out\n',
  },
};
const crmMonOnline = { match: ['crm_mon'], answer: { stdout: '<crm_mon><nodes><node name="node2" online="true" unclean="false"/></nodes></crm_mon>' } };

test('runGuards: a fresh census of node2 listing the guest refuses before any peer is asked', async () => {
  const exec = fakeExecutor([attrd([{ uuid: U, name: 'vm1' }])]);
  const error = await runGuards(settings(false), { ref, guest: 'vm1', disks: [] }, exec, memoryLogger(), () => NOW).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.match(String(error?.message), /^the guest runs on node2 by its guest census \(5 s old, matched by uuid/);
  assert.equal(exec.commands(), ['attrd_updater -Q -A -n guest-census']);
});

test('runGuards: an unreachable peer refuses by default whatever its census says (fail-closed)', async () => {
  const exec = fakeExecutor([attrd([]), sshDown, crmMonOnline]);
  const error = await runGuards(settings(false), { ref, guest: 'vm1', disks: [] }, exec, memoryLogger(), () => NOW).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.match(String(error?.message), /^cannot ask node2 whether it runs the guest and Pacemaker reports it online/);
});

test('runGuards: trust_census accepts a fresh census without the guest for an unreachable peer, and says so', async () => {
  const exec = fakeExecutor([attrd([]), sshDown]);
  const log = memoryLogger();
  await runGuards(settings(true), { ref, guest: 'vm1', disks: [] }, exec, log, () => NOW);
  assert.ok(
    log.lines.some((l) => /its guest census \(5 s old\) does not list the guest: accepted \(trust_census\)/.test(l)),
    log.lines.join('\n'),
  );
});
test.run();
