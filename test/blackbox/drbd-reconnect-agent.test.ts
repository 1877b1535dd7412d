// ocf:ocfkit:DrbdReconnect as Pacemaker calls it (through `ocfkit run`, the same code path as the
// agent symlink), against the fake DRBD userland and a fake attrd_updater.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ocfkit } from '../support/binaries';
import { fakeDrbd, type FakeDrbd } from '../support/fake-drbd';
import { repoRoot } from '../support/binaries';

const attrdBin = path.join(repoRoot, 'test', 'fakes', 'attrd');

interface Ctx {
  f: FakeDrbd;
  env: Record<string, string>;
}
const s = suite<Ctx>('DrbdReconnect agent', { f: undefined as unknown as FakeDrbd, env: {} });
s.before.each((ctx) => {
  ctx.f = fakeDrbd(['--version', '8.4.11']);
  for (const [i, res] of ['r0', 'r1'].entries())
    ctx.f.ctl('add', res, '--minor', String(i), '--local', `127.0.0.1:${7800 + i}`, '--peer', 'bob', '--remote', `127.0.0.2:${7800 + i}`);
  ctx.env = {
    ...ctx.f.env,
    PATH: `${attrdBin}:${ctx.f.env.PATH}`,
    OCFKIT_RUN_DIR: path.join(ctx.f.dir, 'run'),
    OCFKIT_FAKE_ATTRD: path.join(ctx.f.dir, 'attrd.json'),
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'drbd-reconnect:0',
    OCF_RESKEY_state_dir: ctx.f.env.OCFKIT_DRBD_STATE_DIR,
    OCF_RESKEY_CRM_meta_interval: '20000',
    OCF_RESKEY_backoff_base: '0',
  };
});
s.after.each((ctx) => ctx.f.cleanup());

const run = (ctx: Ctx, action: string, extra: Record<string, string> = {}) => ocfkit(['run', 'DrbdReconnect', action], { ...ctx.env, ...extra });
const attrs = (ctx: Ctx) => JSON.parse(readFileSync(ctx.env.OCFKIT_FAKE_ATTRD!, 'utf8')) as Record<string, string>;
const probe = { OCF_RESKEY_CRM_meta_interval: '0' };

s('probe before start: not running, and no DRBD or attrd calls', (ctx) => {
  const r = run(ctx, 'monitor', probe);
  assert.is(r.status, 7, r.stderr);
  assert.is(ctx.f.read('calls.log'), '');
});

s('start publishes attributes; a network restart is repaired by monitor; degraded while it cannot be', (ctx) => {
  let r = run(ctx, 'start');
  assert.is(r.status, 0, r.stderr);
  assert.equal(attrs(ctx), { 'drbd-r0-connection': 'Connected', 'drbd-r1-connection': 'Connected' });
  assert.is(run(ctx, 'monitor', probe).status, 0, 'probe after start: running');

  ctx.f.ctl('set', 'net-down', 'yes');
  ctx.f.ctl('tick');
  ctx.f.ctl('set', 'r1', 'peer-down', 'yes');
  ctx.f.ctl('set', 'net-down', 'no');
  r = run(ctx, 'monitor');
  assert.is(r.status, 0, `reconnected r0 (Connected) and r1 (waiting for its peer by itself): ${r.stderr}`);
  assert.equal(attrs(ctx), { 'drbd-r0-connection': 'Connected', 'drbd-r1-connection': 'WFConnection' });

  // split brain on the next drop: the handler is not configured here, but the kernel log says it
  ctx.f.ctl('set', 'r0', 'split-brain', 'yes');
  ctx.f.ctl('set', 'net-down', 'yes');
  ctx.f.ctl('tick');
  r = run(ctx, 'monitor');
  assert.is(r.status, 190, 'the network is still down: the reconnect fails to bind again, degraded');
  assert.match(r.stderr, /ocf-exit-reason:r0:bob StandAlone \(reconnect: network cause ".*bind before connect failed, err = -99" \(dmesg, [^)]*\)\)/);
  ctx.f.ctl('set', 'net-down', 'no');
  r = run(ctx, 'monitor');
  assert.is(r.status, 190, 'reconnected, but the handshake found a split brain and dropped it again');
  r = run(ctx, 'monitor');
  assert.is(r.status, 0, 'the kernel log now shows the split brain: left alone, not degraded');
  assert.is(attrs(ctx)['drbd-r0-connection'], 'StandAlone');
  const connects = ctx.f
    .read('calls.log')
    .split('\n')
    .filter((l) => l === 'drbdadm connect r0');
  assert.is(connects.length, 3, 'after the first restart, during the second (bind fails), after it; never after the split brain');
  assert.is(ctx.f.read('forbidden.log'), '');

  assert.is(run(ctx, 'stop').status, 0);
  assert.equal(attrs(ctx), {}, 'stop withdraws the attributes');
  assert.is(run(ctx, 'monitor', probe).status, 7);
  assert.is(run(ctx, 'stop').status, 0, 'double stop');
});

s('reconnect=false only observes: degraded, no connect', (ctx) => {
  assert.is(run(ctx, 'start').status, 0);
  ctx.f.ctl('set', 'net-down', 'yes');
  ctx.f.ctl('tick');
  ctx.f.ctl('set', 'net-down', 'no');
  const r = run(ctx, 'monitor', { OCF_RESKEY_reconnect: 'false', OCF_RESKEY_resources: 'r1' });
  assert.is(r.status, 190);
  assert.match(r.stderr, /r1:bob StandAlone \(reconnect: network cause "[^"]*r1: bind before connect failed, err = -99"/);
  assert.not.match(r.stderr, /r0:bob/);
  assert.not.match(ctx.f.read('calls.log'), /drbdadm connect/);
});

s('bad parameters: ERR_CONFIGURED naming the parameter; no drbdadm: ERR_INSTALLED, stop still succeeds', (ctx) => {
  let r = run(ctx, 'start', { OCF_RESKEY_resources: 'r0 b@d' });
  assert.is(r.status, 6);
  assert.match(r.stderr, /resources: "b@d"/);
  r = run(ctx, 'start', { PATH: `${attrdBin}:/usr/bin:/bin` });
  assert.is(r.status, 5);
  assert.match(r.stderr, /drbdadm not found/);
  assert.is(run(ctx, 'stop', { PATH: '/usr/bin:/bin' }).status, 0);
});

s.run();
