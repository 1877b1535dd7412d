import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Handoff } from '../../../agents/virtual-machine/guards';
import { decideLease, leaseFile, nextLease, parseLease, serializeLease, type Lease, type LeaseFact } from '../../../agents/virtual-machine/lease';
import { acquireLease, checkLeaseDir, LEASE_DIR_MARKER, readLease, releaseLease } from '../../../agents/virtual-machine/lease-store';
import { memoryLogger } from '../../support/memory-logger';

interface Ctx {
  dir: string;
}
const test = suite<Ctx>('virtual-machine lease', { dir: '' });
test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lease-'));
  writeFileSync(path.join(ctx.dir, LEASE_DIR_MARKER), '');
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const lease: Lease = {
  guest: 'vm1',
  holder: 'node1',
  expiresAt: Date.UTC(2030, 0, 1),
  renewedAt: Date.UTC(2029, 11, 31),
  renewals: 41,
  takenOverFrom: 'node2',
};

test('serialize and parse round trip; names are made safe; a lease from before the renewal count has 0', () => {
  assert.equal(parseLease(serializeLease(lease)), lease);
  assert.is(leaseFile('/l', 'web/db'), '/l/web_db.lease');
  assert.is(parseLease('{"holder":"n","expires":"2020-01-01T00:00:00Z","renewed":"2020-01-01T00:00:00Z"}').renewals, 0);
  assert.throws(() => parseLease('{"holder":"x","expires":"soon","renewed":"2020-01-01T00:00:00Z"}'), /"expires" is not a timestamp/);
  assert.throws(() => parseLease('{"expires":"2020-01-01T00:00:00Z"}'), /no holder/);
  assert.throws(
    () => parseLease('{"holder":"n","expires":"2020-01-01T00:00:00Z","renewed":"2020-01-01T00:00:00Z","renewals":-1}'),
    /"renewals" is not a count/,
  );
  assert.throws(() => parseLease('null'), /not a JSON object/);
});

test('decision table: what a node may do with the lease it reads', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const skewMs = 30_000;
  const at = (holder: string, expiresIn: number, extra: Partial<Lease> = {}): LeaseFact => ({
    kind: 'lease',
    lease: { guest: 'vm1', holder, expiresAt: now + expiresIn, renewedAt: now - 1000, renewals: 3, ...extra },
  });
  const toNode2: Handoff = { role: 'source', source: 'node1', target: 'node2' };
  const cases: Array<[string, string, LeaseFact, Handoff | undefined, boolean, string, RegExp?]> = [
    ['no lease', 'node1', { kind: 'none' }, undefined, false, 'create'],
    ['own lease', 'node1', at('node1', 60000), undefined, false, 'renew'],
    ['own lease, expired by this clock: never a replace', 'node1', at('node1', 0), undefined, false, 'take'],
    [
      'held by node2',
      'node1',
      at('node2', 60000),
      undefined,
      false,
      'refuse',
      /^node2 holds the lease until 2026-01-01T12:01:00.000Z \(\/l\/vm1.lease, renewed .*, renewal #3\)$/,
    ],
    [
      'node2 expired, within the skew margin',
      'node1',
      at('node2', -30000),
      undefined,
      false,
      'refuse',
      /^node2's lease expired only 30 s ago, within lease_skew_margin=30 s/,
    ],
    ['node2 expired beyond the skew margin', 'node1', at('node2', -30001), undefined, false, 'take from node2'],
    ['corrupt', 'node1', { kind: 'corrupt', file: '/l/vm1.lease', error: 'Unexpected token' }, undefined, false, 'refuse', /unreadable/],
    ['handoff at target from the source', 'node3', at('node1', 60000), { role: 'target', source: 'node1', target: 'node3' }, false, 'take'],
    ['handoff at target, a third holder', 'node3', at('node2', 60000), { role: 'target', source: 'node4', target: 'node3' }, false, 'refuse', /node2/],
    ['handoff at source, held by target', 'node1', at('node2', 60000, { handoffFrom: 'node1' }), toNode2, false, 'refuse'],
    ['hand-back at source, handed to the target by this node', 'node1', at('node2', 60000, { handoffFrom: 'node1' }), toNode2, true, 'take'],
    ['hand-back at source, the target holds it on its own', 'node1', at('node2', 60000), toNode2, true, 'refuse'],
  ];
  // the same lease, seen before the peers were asked with a lower renewal count: its holder lives
  const seen = (renewals: number): LeaseFact => ({ kind: 'lease', lease: { ...(at('node2', -600_000) as { lease: Lease }).lease, renewals } });
  const renewedMeanwhile = decideLease(at('node2', -600_000), 'node1', { now, skewMs }, '/l/vm1.lease', { seen: seen(2) });
  assert.ok(!renewedMeanwhile.ok && /^node2 renewed its lease while this node checked \(renewal #2 to #3\): it is alive/.test(renewedMeanwhile.reason));
  assert.ok(decideLease(at('node2', -600_000), 'node1', { now, skewMs }, '/l/vm1.lease', { seen: seen(3) }).ok, 'not renewed since: expired');
  for (const [name, self, fact, handoff, handback, expected, reason] of cases) {
    const verdict = decideLease(fact, self, { now, skewMs }, '/l/vm1.lease', { handoff, handback });
    const got = !verdict.ok ? 'refuse' : verdict.step.kind === 'take' && verdict.step.from ? `take from ${verdict.step.from}` : verdict.step.kind;
    assert.is(got, expected, name);
    if (!verdict.ok && reason) assert.match(verdict.reason, reason, name);
  }
  // the node and the verdict fit in the 128 characters of an exit reason Pacemaker keeps
  const long = decideLease(at('node2.example.net', 60000), 'node1', { now, skewMs }, `/srv/shared/${'long/'.repeat(30)}g.lease`);
  assert.ok(!long.ok && /^node2\.example\.net holds the lease until 2026-01-01T12:01:00\.000Z/.test(long.reason.slice(0, 128)));
});

test('the next lease: a renewal counts on and keeps the takeover record; a take or a handover starts at 0', () => {
  const renewed = nextLease({ kind: 'renew', previous: lease }, 'vm1', 'node1', 1000, 60_000);
  assert.equal(renewed, { guest: 'vm1', holder: 'node1', renewedAt: 1000, expiresAt: 61_000, renewals: 42, takenOverFrom: 'node2' });
  assert.equal(nextLease({ kind: 'take', previous: { ...lease, holder: 'node3' }, from: 'node3' }, 'vm1', 'node1', 1000, 60_000), {
    guest: 'vm1',
    holder: 'node1',
    renewedAt: 1000,
    expiresAt: 61_000,
    renewals: 0,
    takenOverFrom: 'node3',
  });
  assert.equal(nextLease({ kind: 'renew', previous: lease }, 'vm1', 'node5', 1000, 60_000, 'node1'), {
    guest: 'vm1',
    holder: 'node5',
    renewedAt: 1000,
    expiresAt: 61_000,
    renewals: 0,
    handoffFrom: 'node1',
  });
});

test('the lease directory proves it is the shared one by its marker; it is never created', (ctx) => {
  assert.ok(checkLeaseDir(ctx.dir).ok);
  const missing = path.join(ctx.dir, 'missing');
  assert.equal(checkLeaseDir(missing), { ok: false, reason: `the lease directory ${missing} does not exist here (shared storage not mounted?)` });
  const unmounted = path.join(ctx.dir, 'mnt');
  mkdirSync(unmounted);
  assert.equal(checkLeaseDir(unmounted), {
    ok: false,
    reason: `no ${unmounted}/${LEASE_DIR_MARKER} here: not the shared lease directory (storage not mounted?); the admin creates it once`,
  });
  const log = memoryLogger();
  const settings = (leaseDir: string) => ({ leaseDir, leaseDurationMs: 60_000, leaseSkewMs: 0 });
  for (const dir of [missing, unmounted]) {
    const outcome = acquireLease(settings(dir), { guest: 'vm1', self: 'node1' }, log);
    assert.ok(!outcome.ok && !outcome.conflict, dir);
  }
  assert.not.ok(existsSync(missing), 'the missing directory was not created');
  assert.equal(readdirSync(unmounted), [], 'nothing written to an unmounted mount point');
  symlinkSync(path.join(ctx.dir, LEASE_DIR_MARKER), path.join(unmounted, LEASE_DIR_MARKER));
  assert.match((checkLeaseDir(unmounted) as { reason: string }).reason, /is not a regular file/);
});

test('acquire: create, refuse a live foreign lease, renew (counting), take over an expired one with a true log line', (ctx) => {
  const settings = { leaseDir: ctx.dir, leaseDurationMs: 60_000, leaseSkewMs: 10_000 };
  const file = path.join(ctx.dir, 'vm1.lease');
  const log = memoryLogger();
  assert.equal(acquireLease(settings, { guest: 'vm1', self: 'node1', now: 1000 }, log), { ok: true });
  assert.equal(readLease(file), { kind: 'lease', lease: { guest: 'vm1', holder: 'node1', renewedAt: 1000, expiresAt: 61_000, renewals: 0 } });
  const held = acquireLease(settings, { guest: 'vm1', self: 'node2', now: 2000 }, log);
  assert.ok(!held.ok && held.conflict && /^node1 holds the lease until/.test(held.reason));
  assert.equal(acquireLease(settings, { guest: 'vm1', self: 'node1', now: 30_000 }, log), { ok: true });
  assert.equal(readLease(file), { kind: 'lease', lease: { guest: 'vm1', holder: 'node1', renewedAt: 30_000, expiresAt: 90_000, renewals: 1 } });
  const early = acquireLease(settings, { guest: 'vm1', self: 'node2', now: 95_000 }, log);
  assert.ok(!early.ok && /within lease_skew_margin=10 s/.test(early.reason), 'not before the skew margin has passed');
  assert.equal(acquireLease(settings, { guest: 'vm1', self: 'node2', now: 100_001 }, log), { ok: true });
  assert.equal(readLease(file), {
    kind: 'lease',
    lease: { guest: 'vm1', holder: 'node2', renewedAt: 100_001, expiresAt: 160_001, renewals: 0, takenOverFrom: 'node1' },
  });
  assert.ok(
    log.lines.some((l) =>
      l.includes(`lease ${file}: taken over from node1; its lease expired at 1970-01-01T00:01:30.000Z, 10 s ago by this node's clock (renewal #1)`),
    ),
    log.lines.join('\n'),
  );
  assert.equal(readdirSync(ctx.dir).sort(), [LEASE_DIR_MARKER, 'vm1.lease'], 'no temporary or moved files left');
});

test('a lease file that is a symbolic link is never followed: refused, and its target untouched', (ctx) => {
  const target = path.join(ctx.dir, 'elsewhere');
  writeFileSync(target, serializeLease({ ...lease, holder: 'node1', expiresAt: 0 }));
  symlinkSync(target, path.join(ctx.dir, 'vm1.lease'));
  const outcome = acquireLease({ leaseDir: ctx.dir, leaseDurationMs: 60_000, leaseSkewMs: 0 }, { guest: 'vm1', self: 'node1' }, memoryLogger());
  assert.ok(!outcome.ok && outcome.conflict && /a symbolic link/.test(outcome.reason), JSON.stringify(outcome));
  assert.ok(lstatSync(path.join(ctx.dir, 'vm1.lease')).isSymbolicLink());
  assert.is(parseLease(readFileSync(target, 'utf8')).expiresAt, 0);
});

test('release removes only a lease that parses and names this node', (ctx) => {
  const settings = { leaseDir: ctx.dir, leaseDurationMs: 60_000, leaseSkewMs: 0 };
  const file = path.join(ctx.dir, 'vm1.lease');
  assert.is(releaseLease(settings, 'vm1', 'node1'), 'none');
  writeFileSync(file, serializeLease({ ...lease, holder: 'node2' }));
  assert.equal(releaseLease(settings, 'vm1', 'node1'), { kept: `the lease ${file} is held by node2; left alone` });
  assert.ok(existsSync(file));
  writeFileSync(file, '{"holder": "node1", "exp');
  const torn = releaseLease(settings, 'vm1', 'node1');
  assert.ok(typeof torn === 'object' && /^the lease file is unreadable \(.*\): .*vm1\.lease; left as it is$/.test(torn.kept), JSON.stringify(torn));
  assert.ok(existsSync(file), 'an unreadable lease stays');
  writeFileSync(file, serializeLease(lease));
  rmSync(path.join(ctx.dir, LEASE_DIR_MARKER));
  assert.ok(typeof releaseLease(settings, 'vm1', 'node1') === 'object', 'not the shared directory: nothing removed');
  writeFileSync(path.join(ctx.dir, LEASE_DIR_MARKER), '');
  assert.is(releaseLease(settings, 'vm1', 'node1'), 'released');
  assert.equal(readdirSync(ctx.dir), [LEASE_DIR_MARKER]);
});

test.run();
