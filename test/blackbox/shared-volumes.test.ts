// SharedVolumes with the lvmlockd backend, as Pacemaker runs the built binary (fakes on PATH).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { monitorEnv, reason, run, setup, shared, vanish } from './shared-volumes-helpers';

const lvmlockd = suite('SharedVolumes lvmlockd (black box)');

lvmlockd('probe, start, monitor, a vanished volume named, restart, stop twice', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san' };
    assert.is(run(ctx, 'monitor', p).status, 7, 'probe of a stopped clone');
    assert.is(ctx.fakes.calls().length, 0, 'a probe of a stopped clone runs nothing');
    const started = run(ctx, 'start', p);
    assert.is(started.status, 0, started.stderr);
    assert.equal(ctx.fakes.calls(), [
      'lvmlockctl --info',
      'pvscan --cache',
      'vgchange --lock-start vg_san',
      'vgchange -asy vg_san',
      'lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san',
    ]);
    assert.ok(existsSync(path.join(ctx.fakes.devRoot, 'vg_san/vm2')));
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 0);
    assert.is(run(ctx, 'monitor', p).status, 0, 'probe of a started clone');

    vanish(ctx.fakes, 'vg_san/vm2');
    const failed = run(ctx, 'monitor', p, monitorEnv);
    assert.is(failed.status, 1);
    assert.is(reason(failed), 'shared volumes missing on this node: vg_san/vm2 (not active)');

    assert.is(run(ctx, 'start', p).status, 0, 'start again reactivates');
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 0);

    ctx.fakes.clearCalls();
    assert.is(run(ctx, 'stop', p).status, 0);
    assert.equal(ctx.fakes.calls(), [
      'lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san',
      'vgchange -an vg_san',
      'lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san',
      'vgchange --lock-stop vg_san',
    ]);
    assert.not.ok(existsSync(path.join(ctx.fakes.devRoot, 'vg_san/vm1')));
    assert.is(ctx.fakes.state().vgs.vg_san!.lockspace, false);
    assert.is(run(ctx, 'stop', p).status, 0, 'stop of a stopped clone');
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 7);
  } finally {
    ctx.fakes.cleanup();
  }
});

lvmlockd('stop refuses to pull an open volume and names it', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san' };
    assert.is(run(ctx, 'start', p).status, 0);
    ctx.fakes.update((s) => {
      s.lvs[0]!.open = true;
    });
    const refused = run(ctx, 'stop', p);
    assert.is(refused.status, 1);
    assert.match(reason(refused), 'refusing to deactivate vg_san/vm1: open here');
    assert.ok(
      ctx.fakes.state().lvs.every((lv) => lv.active),
      'nothing was deactivated',
    );
    assert.not.ok(ctx.fakes.calls().some((c) => c.startsWith('vgchange -an')));
    ctx.fakes.update((s) => {
      s.lvs[0]!.open = false;
    });
    assert.is(run(ctx, 'stop', p).status, 0);
  } finally {
    ctx.fakes.cleanup();
  }
});

lvmlockd('single LVs: lvchange -asy, and the lockspace stays while another LV of the VG is active', () => {
  const ctx = setup({
    vgs: { vg_san: { lockType: 'sanlock' } },
    lvs: [
      { vg: 'vg_san', lv: 'vm1' },
      { vg: 'vg_san', lv: 'other' },
    ],
  });
  try {
    const p = { volumes: 'vg_san/vm1' };
    assert.is(run(ctx, 'start', p).status, 0);
    assert.ok(ctx.fakes.calls().includes('lvchange -asy vg_san/vm1'));
    assert.not.ok(ctx.fakes.state().lvs[1]!.active);
    ctx.fakes.update((s) => {
      s.lvs[1]!.active = true; // activated by someone else
    });
    ctx.fakes.clearCalls();
    assert.is(run(ctx, 'stop', p).status, 0);
    assert.ok(ctx.fakes.calls().includes('lvchange -an vg_san/vm1'));
    assert.not.ok(ctx.fakes.calls().some((c) => c.includes('--lock-stop')));
    assert.equal(
      ctx.fakes.calls(),
      [
        'lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san/vm1',
        'lvchange -an vg_san/vm1',
        'lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san',
      ],
      'after deactivating, one read of the whole VG',
    );
  } finally {
    ctx.fakes.cleanup();
  }
});

lvmlockd('deactivate_on_stop=false leaves the volumes active, and monitor reports stopped', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san', deactivate_on_stop: 'false' };
    assert.is(run(ctx, 'start', p).status, 0);
    assert.is(run(ctx, 'stop', p).status, 0);
    assert.ok(ctx.fakes.state().lvs.every((lv) => lv.active));
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 7);
  } finally {
    ctx.fakes.cleanup();
  }
});

lvmlockd('validate-all: lock type, lvmlockd, tools, parameters', () => {
  const ctx = setup({ vgs: { vg_san: { lockType: 'dlm' }, vg_local: { lockType: '' } }, lvs: [] });
  try {
    assert.is(run(ctx, 'validate-all', { volumes: 'vg_san' }).status, 0);
    const local = run(ctx, 'validate-all', { volumes: 'vg_local' });
    assert.is(local.status, 6);
    assert.match(reason(local), 'parameter backend: volume group vg_local has lock type none (a local VG)');
    const clvmd = run(ctx, 'validate-all', { volumes: 'vg_san', backend: 'clvmd' });
    assert.is(clvmd.status, 6);
    assert.match(reason(clvmd), 'not clustered');
    const gone = run(ctx, 'validate-all', { volumes: 'vg_gone' });
    assert.is(gone.status, 6);
    assert.match(reason(gone), 'parameter volumes: volume group vg_gone not found');
    const bad = run(ctx, 'validate-all', { volumes: 'vg_san', discovery: 'pvscan floppy' });
    assert.is(bad.status, 6);
    assert.match(reason(bad), 'parameter discovery: "floppy"');
    const noVolumes = run(ctx, 'validate-all', {});
    assert.is(noVolumes.status, 6);
    assert.match(reason(noVolumes), 'volumes');

    ctx.fakes.update((s) => {
      s.lvmlockd = false;
    });
    const down = run(ctx, 'validate-all', { volumes: 'vg_san' });
    assert.is(down.status, 1);
    assert.match(reason(down), 'lvmlockd is not running');
    assert.is(run(ctx, 'start', { volumes: 'vg_san' }).status, 1, 'start fails fast without lvmlockd');

    const bare = { ...ctx, fakes: { ...ctx.fakes, path: '/nonexistent' } };
    const missing = run(bare, 'validate-all', { volumes: 'vg_san' });
    assert.is(missing.status, 5);
    assert.match(reason(missing), 'lvs, vgs, vgchange, lvchange, lvmlockctl, pvscan not found on PATH');
    assert.is(run(bare, 'monitor', { volumes: 'vg_san' }).status, 7, 'a probe without the tools and not started: not running');
    assert.is(run(bare, 'stop', { volumes: 'vg_san' }).status, 0, 'stop without the tools and not started: stopped');
  } finally {
    ctx.fakes.cleanup();
  }
});

lvmlockd.run();
