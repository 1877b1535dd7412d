// SharedVolumes notifications and the notify variables on start, as Pacemaker sends them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEnv, notifyVars, reason, recordedNotify, run, shared, vanish } from './shared-volumes-helpers';

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
