import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLeaseExclusive, leaseFile, parseLease, readLease, releaseLease, serializeLease, writeLease } from '../../../agents/virtual-machine/lease';
import { takeLease } from '../../../agents/virtual-machine/run-guards';
import { memoryLogger } from '../../../agents/ocf/log';

const lease = { guest: 'vm1', holder: 'node1', expiresAt: Date.UTC(2030, 0, 1), renewedAt: Date.UTC(2029, 11, 31), takenOverFrom: 'node2' };

test('serialize and parse round trip; names are made safe', () => {
  assert.equal(parseLease(serializeLease(lease)), lease);
  assert.is(leaseFile('/l', 'web/db'), '/l/web_db.lease');
  assert.throws(() => parseLease('{"holder":"x","expires":"soon","renewed":"2020-01-01T00:00:00Z"}'), /"expires" is not a timestamp/);
  assert.throws(() => parseLease('{"expires":"2020-01-01T00:00:00Z"}'), /no holder/);
});

test('read: none, lease, corrupt (a torn or hand-edited file)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lease-'));
  try {
    const file = path.join(dir, 'vm1.lease');
    assert.equal(readLease(file), { kind: 'none' });
    writeLease(file, lease);
    assert.equal(readLease(file), { kind: 'lease', lease });
    writeFileSync(file, '{"holder": "node1", "exp');
    assert.is(readLease(file).kind, 'corrupt');
    assert.equal(readdirSync(dir), ['vm1.lease'], 'no temporary files left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exclusive creation: the second creator loses', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lease-'));
  try {
    const file = path.join(dir, 'vm1.lease');
    assert.is(createLeaseExclusive(file, lease), 'created');
    assert.is(createLeaseExclusive(file, { ...lease, holder: 'node2' }), 'exists');
    assert.is(parseLease(require('node:fs').readFileSync(file, 'utf8')).holder, 'node1');
    assert.equal(readdirSync(dir), ['vm1.lease']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('release removes only our own lease', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lease-'));
  try {
    const file = path.join(dir, 'vm1.lease');
    assert.is(releaseLease(file, 'node1'), 'none');
    writeLease(file, { ...lease, holder: 'node2' });
    assert.is(releaseLease(file, 'node1'), 'not-held');
    assert.ok(existsSync(file));
    writeLease(file, lease);
    assert.is(releaseLease(file, 'node1'), 'released');
    assert.not.ok(existsSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('takeLease: renewal keeps the takeover record; a takeover is recorded and logged', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lease-'));
  const settings = { leaseDir: dir, leaseDurationMs: 60_000 } as Parameters<typeof takeLease>[0];
  try {
    const log = memoryLogger();
    takeLease(settings, 'vm1', 'node1', log, {}, 1000);
    assert.equal(readLease(path.join(dir, 'vm1.lease')), { kind: 'lease', lease: { guest: 'vm1', holder: 'node1', renewedAt: 1000, expiresAt: 61000 } });
    takeLease(settings, 'vm1', 'node2', log, {}, 70_000);
    const taken = readLease(path.join(dir, 'vm1.lease'));
    assert.ok(taken.kind === 'lease' && taken.lease.takenOverFrom === 'node1' && taken.lease.holder === 'node2');
    assert.ok(log.lines.some((l) => /taken over from node1/.test(l)));
    takeLease(settings, 'vm1', 'node2', log, {}, 80_000);
    const renewed = readLease(path.join(dir, 'vm1.lease'));
    assert.ok(renewed.kind === 'lease' && renewed.lease.takenOverFrom === 'node1' && renewed.lease.expiresAt === 140_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
