// SharedVolumes with the clvmd, evms and rescan backends (built binary, fakes on PATH).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { monitorEnv, reason, run, setup } from './shared-volumes-helpers';

const others = suite('SharedVolumes clvmd, evms, rescan (black box)');

others('clvmd: shared activation without lockspaces', () => {
  const ctx = setup({ lvmlockd: false, vgs: { vg_c: { lockType: 'clvm' } }, lvs: [{ vg: 'vg_c', lv: 'vm1' }] });
  try {
    const p = { volumes: 'vg_c', backend: 'clvmd' };
    assert.is(run(ctx, 'validate-all', p).status, 0);
    ctx.fakes.clearCalls();
    assert.is(run(ctx, 'start', p).status, 0);
    assert.equal(ctx.fakes.calls().slice(0, 2), ['pvscan --cache', 'vgchange -asy vg_c']);
    assert.is(run(ctx, 'stop', p).status, 0);
    assert.ok(ctx.fakes.calls().includes('vgchange -an vg_c'));
    assert.not.ok(ctx.fakes.calls().some((c) => c.includes('--lock-')));
  } finally {
    ctx.fakes.cleanup();
  }
});

others('evms: evms_activate retried with backoff until it succeeds, as the seed ran it', () => {
  const ctx = setup({ evmsVolumes: ['san2/vm2'], failures: { evms_activate: 3 } });
  try {
    const p = { volumes: 'san2/vm2', backend: 'evms' };
    const r = run(ctx, 'start', p);
    assert.is(r.status, 0, r.stderr);
    assert.equal(ctx.fakes.calls(), ['evms_activate -q', 'evms_activate -q', 'evms_activate -q', 'evms_activate -q']);
    assert.is((r.stderr.match(/attempt \d failed: .*evms_activate -q failed \(exit 1\)/g) ?? []).length, 3);
    assert.match(r.stderr, 'after 4 attempt(s)');
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 0);
    rmSync(path.join(ctx.fakes.devRoot, 'evms/san2/vm2'));
    assert.match(reason(run(ctx, 'monitor', p, monitorEnv)), 'san2/vm2 (device node');
    assert.is(run(ctx, 'stop', p).status, 0);
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 7);
  } finally {
    ctx.fakes.cleanup();
  }
});

// The agent itself decides that another attempt no longer fits before the deadline and says so.
// How many attempts fit depends on how fast this machine starts the fake evms_activate (a node
// process: over a second on a loaded machine), so the test checks the decision and that the
// count it reports is true, never a number of attempts or a wall-clock time.
others('evms: a start that never succeeds gives up by itself before the action timeout, naming why', () => {
  const ctx = setup({ evmsVolumes: ['san2/vm2'], failures: { evms_activate: 1000 } });
  try {
    const r = run(ctx, 'start', { volumes: 'san2/vm2', backend: 'evms', retry_delay_ms: '100' }, { OCF_RESKEY_CRM_meta_timeout: '4000' });
    assert.is(r.status, 1, r.stderr);
    const gaveUp =
      /start gave up after (\d+) attempt\(s\) \((?:(\d+) ms left, an attempt needs about (\d+) ms|(.*deadline has passed|.*did not finish within \d+ s))\); last: evms_activate -q failed \(exit 1\)/.exec(
        reason(r),
      );
    assert.ok(gaveUp, reason(r));
    const [, attempts, left, needed, cut] = gaveUp;
    const ran = ctx.fakes.calls().length;
    if (cut === undefined) {
      assert.ok(Number(left) < Number(needed), `gave up with ${left} ms left although an attempt needs ${needed} ms`);
      assert.is(ran, Number(attempts), 'the reason counts the attempts that ran');
    } else {
      // the last attempt met the deadline: its evms_activate was not started, or was stopped
      assert.ok(ran === Number(attempts) || ran === Number(attempts) - 1, `${ran} calls for ${attempts} attempts`);
    }
    // every attempt but the last was followed by a retry (none silently dropped)
    assert.is((r.stderr.match(/attempt \d+ failed: evms_activate -q failed \(exit 1\)[^\n]*; retrying in \d+ ms/g) ?? []).length, Number(attempts) - 1);
  } finally {
    ctx.fakes.cleanup();
  }
});

others('rescan: iSCSI, SCSI hosts and multipath, then the devices must exist', () => {
  const ctx = setup({ multipathMaps: ['mpath1'] });
  try {
    const p = { volumes: '/dev/mapper/mpath1', backend: 'rescan', discovery: 'multipath iscsi scsi' };
    const r = run(ctx, 'start', p);
    assert.is(r.status, 0, r.stderr);
    assert.equal(ctx.fakes.calls(), ['iscsiadm -m session --rescan', 'multipath -r'], 'iSCSI (no sessions: exit 21 is fine), then multipath');
    for (const host of ['host0', 'host1']) assert.is(readFileSync(path.join(ctx.fakes.sysfsRoot, 'class/scsi_host', host, 'scan'), 'utf8'), '- - -');
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 0);
    const missing = run(ctx, 'start', { ...p, volumes: 'mapper/mpath1 mapper/mpath9', retry_delay_ms: '50' }, { OCF_RESKEY_CRM_meta_timeout: '6000' });
    assert.is(missing.status, 1);
    assert.match(reason(missing), 'mapper/mpath9 (device node', missing.stderr.split('\n').slice(-4).join('\n'));
  } finally {
    ctx.fakes.cleanup();
  }
});

others.run();
