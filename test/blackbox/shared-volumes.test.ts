// SharedVolumes as Pacemaker runs it: the built dist/ocfkit through a symlink named after the
// agent, OCF environment variables, the fake volume tools first on PATH.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ocfkitBinary, runProgram, type Ran } from '../support/binaries';
import { createVolumeFakes, type FakeState, type VolumeFakes } from '../fakes/lvm/fakes';

interface Ctx {
  fakes: VolumeFakes;
  agent: string;
}

function setup(initial: Partial<Omit<FakeState, 'devRoot'>>): Ctx {
  const fakes = createVolumeFakes(initial);
  const agent = path.join(fakes.dir, 'agents', 'SharedVolumes');
  mkdirSync(path.dirname(agent));
  symlinkSync(ocfkitBinary, agent);
  return { fakes, agent };
}

function run(ctx: Ctx, action: string, params: Record<string, string>, extra: NodeJS.ProcessEnv = {}): Ran {
  const env: NodeJS.ProcessEnv = {
    PATH: ctx.fakes.path,
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'volumes:0',
    OCF_RESKEY_CRM_meta_on_node: 'node1',
    OCF_RESKEY_CRM_meta_timeout: '20000',
    OCF_RESKEY_state_dir: path.join(ctx.fakes.dir, 'run'),
    OCF_RESKEY_dev_root: ctx.fakes.devRoot,
    OCF_RESKEY_sysfs_root: ctx.fakes.sysfsRoot,
    OCF_RESKEY_retry_delay_ms: '20',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
    ...extra,
  };
  return runProgram(ctx.agent, [action], env);
}

const reason = (r: Ran) => /ocf-exit-reason:(.*)/.exec(r.stderr)?.[1] ?? '';
const monitorEnv = { OCF_RESKEY_CRM_meta_interval: '20000' };

function vanish(fakes: VolumeFakes, name: string): void {
  const [vg, lv] = name.split('/');
  fakes.update((s) => {
    for (const entry of s.lvs) if (entry.vg === vg && entry.lv === lv) entry.active = false;
  });
  require('node:fs').rmSync(path.join(fakes.devRoot, vg!, lv!), { force: true });
}

// Pacemaker's notify variables for a clone with notify=true (lists are space separated with a trailing space)
function notifyVars(type: 'pre' | 'post', operation: 'start' | 'stop', startUnames: string[], stopUnames: string[], active: string[]): NodeJS.ProcessEnv {
  const list = (names: string[], suffix: (i: number) => string) => names.map((_, i) => suffix(i)).join(' ') + ' ';
  return {
    OCF_RESKEY_CRM_meta_notify: 'true',
    OCF_RESKEY_CRM_meta_notify_type: type,
    OCF_RESKEY_CRM_meta_notify_operation: operation,
    OCF_RESKEY_CRM_meta_notify_start_uname: startUnames.join(' ') + ' ',
    OCF_RESKEY_CRM_meta_notify_start_resource: list(startUnames, (i) => `volumes:${i + 1}`),
    OCF_RESKEY_CRM_meta_notify_stop_uname: stopUnames.join(' ') + ' ',
    OCF_RESKEY_CRM_meta_notify_stop_resource: list(stopUnames, (i) => `volumes:${i + 1}`),
    OCF_RESKEY_CRM_meta_notify_active_uname: active.join(' ') + ' ',
    OCF_RESKEY_CRM_meta_notify_all_uname: 'node1 node2 ',
  };
}

const lvmlockd = suite('SharedVolumes lvmlockd (black box)');
const shared = () => setup({ vgs: { vg_san: { lockType: 'dlm' } }, lvs: [{ vg: 'vg_san', lv: 'vm1' }, { vg: 'vg_san', lv: 'vm2' }] });

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
    assert.ok(ctx.fakes.state().lvs.every((lv) => lv.active), 'nothing was deactivated');
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
  const ctx = setup({ vgs: { vg_san: { lockType: 'sanlock' } }, lvs: [{ vg: 'vg_san', lv: 'vm1' }, { vg: 'vg_san', lv: 'other' }] });
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

const notify = suite('SharedVolumes notifications (black box)');

notify('a peer post-start rediscovers: a volume created meanwhile becomes active here', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san' };
    assert.is(run(ctx, 'start', p).status, 0);
    // node2 rejoins; meanwhile vm3 was created in the shared VG and is not yet visible here
    ctx.fakes.update((s) => {
      s.pendingLvs = [{ vg: 'vg_san', lv: 'vm3' }];
    });
    ctx.fakes.clearCalls();
    assert.is(run(ctx, 'notify', p, notifyVars('pre', 'start', ['node2'], [], ['node1'])).status, 0);
    assert.equal(ctx.fakes.calls(), [], 'pre-start does nothing');
    const post = run(ctx, 'notify', p, notifyVars('post', 'start', ['node2'], [], ['node1']));
    assert.is(post.status, 0, post.stderr);
    assert.match(post.stderr, 'node2 started the shared volumes; rediscovering here');
    assert.equal(ctx.fakes.calls().slice(0, 3), ['pvscan --cache', 'vgchange --lock-start vg_san', 'vgchange -asy vg_san']);
    assert.ok(existsSync(path.join(ctx.fakes.devRoot, 'vg_san/vm3')));
    const marker = JSON.parse(readFileSync(path.join(ctx.fakes.dir, 'run', 'volumes.json'), 'utf8')) as { activated: string[] };
    assert.equal(marker.activated, ['vg_san/vm1', 'vg_san/vm2', 'vg_san/vm3']);
    vanish(ctx.fakes, 'vg_san/vm3');
    assert.match(reason(run(ctx, 'monitor', p, monitorEnv)), 'vg_san/vm3 (not active)');
  } finally {
    ctx.fakes.cleanup();
  }
});

notify('own post-start, peer post-stop and a stopped instance do not rediscover', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san' };
    assert.is(run(ctx, 'notify', p, notifyVars('post', 'start', ['node2'], [], ['node2'])).status, 0);
    assert.equal(ctx.fakes.calls(), [], 'not started here: nothing activated');
    assert.is(run(ctx, 'start', p).status, 0);
    ctx.fakes.clearCalls();
    assert.is(run(ctx, 'notify', p, notifyVars('post', 'start', ['node1'], [], ['node1'])).status, 0);
    const stopped = run(ctx, 'notify', p, notifyVars('post', 'stop', [], ['node2'], ['node1']));
    assert.is(stopped.status, 0);
    assert.match(stopped.stderr, 'node2 stopped the shared volumes; nothing to do here');
    assert.equal(ctx.fakes.calls(), []);
    assert.is(run(ctx, 'notify', p).status, 0, 'notify without variables (ocf-tester) succeeds');
  } finally {
    ctx.fakes.cleanup();
  }
});

notify('start with notify variables naming several starting nodes waits its turn', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san', retry_delay_ms: '300' };
    const r = run(ctx, 'start', p, { ...notifyVars('pre', 'start', ['node1', 'node2'], [], []), OCF_RESKEY_CRM_meta_on_node: 'node2' });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stderr, /node1, node2 start together; waiting \d+ ms/);
    const alone = run(ctx, 'start', p, notifyVars('pre', 'start', ['node1'], [], []));
    assert.not.match(alone.stderr, 'start together');
  } finally {
    ctx.fakes.cleanup();
  }
});

// Pacemaker's own notify environment, recorded verbatim from the harness's cluster (node1)
function recordedNotify(name: string): NodeJS.ProcessEnv {
  const text = readFileSync(path.join(__dirname, '../fixtures/pacemaker', name), 'utf8');
  return Object.fromEntries(text.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

notify('the post-start Pacemaker really sent triggers rediscovery on a peer, not on the node that started', () => {
  const ctx = shared();
  try {
    const p = { volumes: 'vg_san' };
    assert.is(run(ctx, 'start', p).status, 0);
    ctx.fakes.update((s) => {
      s.pendingLvs = [{ vg: 'vg_san', lv: 'vm3' }];
    });
    ctx.fakes.clearCalls();
    const own = run(ctx, 'notify', p, { ...recordedNotify('notify-env-post-start.txt'), OCF_RESKEY_CRM_meta_on_node: 'node1' });
    assert.is(own.status, 0);
    assert.equal(ctx.fakes.calls(), [], 'node1 started itself: nothing to rediscover');
    const peer = run(ctx, 'notify', p, { ...recordedNotify('notify-env-post-start.txt'), OCF_RESKEY_CRM_meta_on_node: 'node2' });
    assert.is(peer.status, 0);
    assert.match(peer.stderr, 'node1 started the shared volumes; rediscovering here');
    assert.ok(ctx.fakes.calls().includes('pvscan --cache'));
    assert.ok(existsSync(path.join(ctx.fakes.devRoot, 'vg_san/vm3')));
    ctx.fakes.clearCalls();
    const preStop = run(ctx, 'notify', p, { ...recordedNotify('notify-env-pre-stop.txt'), OCF_RESKEY_CRM_meta_on_node: 'node2' });
    assert.is(preStop.status, 0);
    assert.equal(ctx.fakes.calls(), [], 'a pre-stop does nothing');
  } finally {
    ctx.fakes.cleanup();
  }
});

notify.run();

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
    require('node:fs').rmSync(path.join(ctx.fakes.devRoot, 'evms/san2/vm2'));
    assert.match(reason(run(ctx, 'monitor', p, monitorEnv)), 'san2/vm2 (device node');
    assert.is(run(ctx, 'stop', p).status, 0);
    assert.is(run(ctx, 'monitor', p, monitorEnv).status, 7);
  } finally {
    ctx.fakes.cleanup();
  }
});

others('evms: a start that never succeeds gives up inside the action timeout', () => {
  const ctx = setup({ evmsVolumes: ['san2/vm2'], failures: { evms_activate: 1000 } });
  try {
    const began = Date.now();
    const r = run(ctx, 'start', { volumes: 'san2/vm2', backend: 'evms', retry_delay_ms: '100' }, { OCF_RESKEY_CRM_meta_timeout: '4000' });
    const took = Date.now() - began;
    assert.is(r.status, 1);
    assert.match(reason(r), /start gave up after \d+ attempt\(s\)/);
    assert.ok(took < 4000, `took ${took} ms, past the 4 s timeout`);
    assert.ok(ctx.fakes.calls().length >= 3, `retried (${ctx.fakes.calls().length} attempts)`);
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
    const missing = run(ctx, 'start', { ...p, volumes: 'mapper/mpath1 mapper/mpath9', retry_delay_ms: '50' }, { OCF_RESKEY_CRM_meta_timeout: '2000' });
    assert.is(missing.status, 1);
    assert.match(reason(missing), 'mapper/mpath9 (device node');
  } finally {
    ctx.fakes.cleanup();
  }
});

others.run();
