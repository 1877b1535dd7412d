// The agent's actions through the real runner with the fake executor: exact commands, retries,
// failure reasons. Device nodes live in a temp dir.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAgent } from '../../../agents/ocf/runner';
import { sharedVolumesAgent } from '../../../agents/shared-volumes/spec';
import { fakeExecutor, type FakeRule } from '../../support/fake-executor';
import { lvmFixture as fixture } from '../../fakes/lvm/fakes';

const lvsJson = (rows: Array<[string, string, string]>) =>
  JSON.stringify({ report: [{ lv: rows.map(([vg, lv, attr]) => ({ vg_name: vg, lv_name: lv, lv_attr: attr, vg_lock_type: 'dlm' })) }] });

interface Ctx {
  dir: string;
}
const s = suite<Ctx>('SharedVolumes actions with the fake executor', { dir: '' });
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-sv-unit-'));
  mkdirSync(path.join(ctx.dir, 'dev'));
  mkdirSync(path.join(ctx.dir, 'bin'));
  // validate looks the tools up on PATH: empty executables are enough, the fake executor answers
  for (const tool of ['lvs', 'vgs', 'vgchange', 'lvchange', 'lvmlockctl', 'pvscan', 'evms_activate'])
    writeFileSync(path.join(ctx.dir, 'bin', tool), '', { mode: 0o755 });
});
s.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

async function act(ctx: Ctx, action: string, rules: FakeRule[], params: Record<string, string> = {}, meta: Record<string, string> = {}) {
  const exec = fakeExecutor(rules);
  const stderr: string[] = [];
  const savedPath = process.env.PATH;
  process.env.PATH = path.join(ctx.dir, 'bin');
  try {
    const env: NodeJS.ProcessEnv = {
      OCF_RESOURCE_INSTANCE: 'volumes:1',
      OCF_RESKEY_volumes: 'vg_san',
      OCF_RESKEY_state_dir: path.join(ctx.dir, 'run'),
      OCF_RESKEY_dev_root: path.join(ctx.dir, 'dev'),
      OCF_RESKEY_retry_delay_ms: '10',
      OCF_RESKEY_CRM_meta_timeout: '5000',
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
      ...Object.fromEntries(Object.entries(meta).map(([k, v]) => [`OCF_RESKEY_CRM_meta_${k}`, v])),
    };
    const result = await runAgent(sharedVolumesAgent, [action], { env, stdout: () => undefined, stderr: (t) => stderr.push(t), executor: () => exec });
    return { ...result, commands: exec.commands(), stderr: stderr.join('') };
  } finally {
    process.env.PATH = savedPath;
  }
}

const node = (ctx: Ctx, name: string) => {
  mkdirSync(path.dirname(path.join(ctx.dir, 'dev', name)), { recursive: true });
  writeFileSync(path.join(ctx.dir, 'dev', name), '');
};

s('start retries a failing shared activation with backoff, then succeeds and verifies', async (ctx) => {
  node(ctx, 'vg_san/vm1');
  const r = await act(ctx, 'start', [
    { match: ['lvmlockctl'], answer: { stdout: 'VG vg_san lock_type=dlm\n' } },
    { match: ['pvscan'], answer: {} },
    { match: ['vgchange', '--lock-start'], answer: {} },
    { match: ['vgchange', '-asy'], answer: { exitCode: 5, stderr: '  LV vg_san/vm1 lock failed: lockspace is not started.\n' }, times: 2 },
    { match: ['vgchange', '-asy'], answer: {} },
    { match: ['lvs'], answer: { stdout: lvsJson([['vg_san', 'vm1', '-wi-a-----']]) } },
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.commands.filter((c) => c === 'vgchange -asy vg_san').length, 3);
  assert.is(r.commands.filter((c) => c === 'pvscan --cache').length, 3, 'each attempt rediscovers');
  assert.match(r.stderr, 'attempt 2 failed: vgchange -asy vg_san failed (exit 5): LV vg_san/vm1 lock failed');
});

s('start gives up before the deadline and names what is still missing', async (ctx) => {
  const r = await act(
    ctx,
    'start',
    [
      { match: ['lvmlockctl'], answer: {} },
      { match: ['pvscan'], answer: {} },
      { match: ['vgchange'], answer: {} },
      { match: ['lvs'], answer: { stdout: lvsJson([['vg_san', 'vm1', '-wi-------']]) } },
    ],
    {},
    { timeout: '1500' },
  );
  assert.is(r.code, 1);
  assert.match(r.reason!, /start gave up after \d+ attempt\(s\) .*last: not usable after activation: vg_san\/vm1 \(not active\)/);
  assert.not.ok(readFileSafe(path.join(ctx.dir, 'run', 'volumes.json')), 'no marker after a failed start');
});

s('monitor reads lvs exit 5 for a vanished VG and names it', async (ctx) => {
  writeMarker(ctx, ['vg_san/vm1', 'vg_san/vm2']);
  const r = await act(
    ctx,
    'monitor',
    [
      {
        match: ['lvs'],
        answer: {
          exitCode: 5,
          stdout: fixture('lvs-missing-vg.json').replace(/vgcap7124/g, 'vg_other'),
          stderr: fixture('lvs-missing-vg.stderr').replace('nosuchvg', 'vg_san').replace('nosuchvg', 'vg_san'),
        },
      },
    ],
    {},
    { interval: '20000' },
  );
  assert.is(r.code, 1);
  assert.is(r.reason, 'shared volumes missing on this node: vg_san (volume group vg_san not found)');
});

s('monitor: lvm without device-mapper reports state unknown (X), which is not "active"', async (ctx) => {
  writeMarker(ctx, ['vgcap7124/vm1', 'vgcap7124/vm2']);
  const r = await act(
    ctx,
    'monitor',
    [{ match: ['lvs'], answer: { stdout: fixture('lvs-two-lvs-inactive.json') } }],
    { volumes: 'vgcap7124' },
    { interval: '20000' },
  );
  assert.is(r.code, 1);
  assert.match(r.reason!, 'vgcap7124/vm1 (state unknown (lv_attr -wi-XX----))');
});

s('monitor: a new LV of a whole VG is not a failure; an explicitly listed one is', async (ctx) => {
  writeMarker(ctx, ['vg_san/vm1']);
  node(ctx, 'vg_san/vm1');
  const rows = lvsJson([
    ['vg_san', 'vm1', '-wi-ao----'],
    ['vg_san', 'new', '-wi-------'],
  ]);
  const whole = await act(ctx, 'monitor', [{ match: ['lvs'], answer: { stdout: rows } }], {}, { interval: '20000' });
  assert.is(whole.code, 0, whole.reason);
  assert.match(whole.stderr, 'new, not yet active here');
  const listed = await act(ctx, 'monitor', [{ match: ['lvs'], answer: { stdout: rows } }], { volumes: 'vg_san/vm1 vg_san/new' }, { interval: '20000' });
  assert.is(listed.code, 1);
  assert.is(listed.reason, 'shared volumes missing on this node: vg_san/new (not active)');
});

s('monitor: an LV created in a VG that was empty at start is new; a damaged marker expects every LV', async (ctx) => {
  writeMarker(ctx, []);
  const rows = lvsJson([['vg_san', 'first', '-wi-------']]);
  const empty = await act(ctx, 'monitor', [{ match: ['lvs'], answer: { stdout: rows } }], {}, { interval: '20000' });
  assert.is(empty.code, 0, empty.reason);
  writeFileSync(path.join(ctx.dir, 'run', 'volumes.json'), '{"backend": "lvmlo');
  const damaged = await act(ctx, 'monitor', [{ match: ['lvs'], answer: { stdout: rows } }], {}, { interval: '20000' });
  assert.is(damaged.code, 1);
  assert.match(damaged.reason!, 'vg_san/first (not active)');
});

s('stop with an LV whose open state lvm cannot tell refuses', async (ctx) => {
  writeMarker(ctx, ['vgcap7124/vm1']);
  const r = await act(ctx, 'stop', [{ match: ['lvs'], answer: { stdout: fixture('lvs-two-lvs-inactive.json') } }], { volumes: 'vgcap7124' });
  assert.is(r.code, 1);
  assert.match(r.reason!, 'refusing to deactivate vgcap7124/vm1, vgcap7124/vm2: lvm cannot tell whether they are open');
});

s('stop skips a VG that no longer exists instead of failing (and fencing the node)', async (ctx) => {
  writeMarker(ctx, ['vg_san/vm1']);
  const r = await act(ctx, 'stop', [
    { match: ['lvs'], answer: { exitCode: 5, stdout: lvsJson([]), stderr: '  Volume group "vg_san" not found\n  Cannot process volume group vg_san\n' } },
    { match: ['vgchange'], answer: { exitCode: 5 } },
  ]);
  assert.is(r.code, 0, r.reason);
  assert.equal(r.commands, ['lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san']);
});

s('a probe with unparseable lvs output fails with the command in the reason', async (ctx) => {
  writeMarker(ctx, []);
  const r = await act(ctx, 'monitor', [
    { match: ['lvs'], answer: { exitCode: 3, stdout: '', stderr: '  Reading VG vg_san without a lock.\n  something broke\n' } },
  ]);
  assert.is(r.code, 1);
  assert.match(r.reason!, 'lvs --reportformat json -o vg_name,lv_name,lv_attr,vg_lock_type vg_san (exit 3): not a JSON report');
  assert.match(r.reason!, 'something broke');
});

function writeMarker(ctx: Ctx, activated: string[]) {
  mkdirSync(path.join(ctx.dir, 'run'), { recursive: true });
  writeFileSync(path.join(ctx.dir, 'run', 'volumes.json'), JSON.stringify({ backend: 'lvmlockd', activated, since: 'x' }));
}
function readFileSafe(file: string) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

s.run();
