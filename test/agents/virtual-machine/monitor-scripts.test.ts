// monitor_scripts: the verdict on one script's run as a table, then through the agent (runner,
// spec, parameters, monitor and start) with a fake executor answering for the scripts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMonitorScripts, scriptVerdict, type ScriptRun } from '../../../agents/virtual-machine/monitor-scripts';
import { type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';

const UUID = '3c9b6f1e-52a4-4f0b-8d7e-6a1f0c2b9e41';
interface Ctx {
  dir: string;
  config: string;
  binDir: string;
}
const test = suite<Ctx>('virtual-machine monitor_scripts', { dir: '', config: '', binDir: '' });

test('parseMonitorScripts: spaces or commas, empty parts dropped', () => {
  assert.equal(parseMonitorScripts('/usr/local/bin/check-web  /usr/local/bin/check-db,/opt/x'), [
    '/usr/local/bin/check-web',
    '/usr/local/bin/check-db',
    '/opt/x',
  ]);
  assert.equal(parseMonitorScripts(undefined), []);
  assert.equal(parseMonitorScripts(' '), []);
});

test('scriptVerdict: exit 0 passes; otherwise the last non-empty output line is the reason', () => {
  const s = '/usr/local/bin/check-web';
  // [name, run, undefined = passes | the reason]
  const cases: Array<[string, ScriptRun, string | undefined]> = [
    ['exit 0', { exitCode: 0, stdout: 'ok\n', stderr: '' }, undefined],
    ['exit 0 with complaints on stderr', { exitCode: 0, stdout: '', stderr: 'curl: warning\n' }, undefined],
    [
      'exit 1, verdict on stdout',
      { exitCode: 1, stdout: 'checking http://vm1/health\nhttp://vm1/health: 503 Service Unavailable\n\n', stderr: 'noise\n' },
      `monitor script ${s} failed (exit 1): http://vm1/health: 503 Service Unavailable`,
    ],
    [
      'exit 7, only stderr (curl)',
      { exitCode: 7, stdout: '', stderr: "curl: (7) Failed to connect to vm1 port 80 after 0 ms: Couldn't connect to server\n" },
      `monitor script ${s} failed (exit 7): curl: (7) Failed to connect to vm1 port 80 after 0 ms: Couldn't connect to server`,
    ],
    ['exit 2, silent', { exitCode: 2, stdout: '', stderr: '  \n' }, `monitor script ${s} failed (exit 2)`],
    ['timed out', { timedOut: 'timed out after 25000 ms' }, `monitor script ${s} did not finish: timed out after 25000 ms`],
    [
      'missing',
      { notRunnable: `${s} not found (is it installed and on PATH?)` },
      `monitor script ${s} cannot be run: ${s} not found (is it installed and on PATH?)`,
    ],
  ];
  for (const [name, run, reason] of cases) {
    const verdict = scriptVerdict(s, run);
    assert.equal(verdict, reason === undefined ? { ok: true } : { ok: false, reason }, name);
  }
});

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-scripts-'));
  ctx.config = path.join(ctx.dir, 'vm1.xml');
  writeFileSync(
    ctx.config,
    `<domain type='kvm'><name>vm1</name><uuid>${UUID}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`,
  );
  ctx.binDir = standInTools(ctx.dir, ['virsh']);
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const run = (ctx: Ctx, action: string, rules: FakeRule[], env: Record<string, string> = {}) =>
  runVmAction(ctx, action, rules, { OCF_RESKEY_CRM_meta_interval: action === 'monitor' ? '10000' : '0', OCF_RESKEY_peers: 'none', ...env });

const domstate = (answer: FakeRule['answer'], times?: number): FakeRule => ({
  match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', UUID],
  answer,
  ...(times ? { times } : {}),
});
const running = domstate({ stdout: 'running (booted)\n\n' });
const WEB = '/usr/local/bin/check-web';
const DB = '/usr/local/bin/check-db';
const script = (file: string, answer: FakeRule['answer'], times?: number): FakeRule => ({ match: [file], answer, ...(times ? { times } : {}) });
const scripts = (r: { exec: { commands(): string[] } }) => r.exec.commands().filter((c) => c.startsWith('/usr/local/bin/'));

test('monitor: every script passes: running; the first failing one fails the monitor with its last line', async (ctx) => {
  const env = { OCF_RESKEY_monitor_scripts: `${WEB} ${DB}` };
  const pass = await run(ctx, 'monitor', [running, script(WEB, { stdout: 'ok\n' }), script(DB, {})], env);
  assert.is(pass.code, 0, pass.stderr);
  assert.equal(scripts(pass), [WEB, DB]);
  const fail = await run(
    ctx,
    'monitor',
    [running, script(WEB, { exitCode: 1, stdout: 'GET /health\nhttp://vm1/health: 503 Service Unavailable\n' }), script(DB, {})],
    env,
  );
  assert.is(fail.code, 1, fail.stderr);
  assert.is(fail.reason, `monitor script ${WEB} failed (exit 1): http://vm1/health: 503 Service Unavailable`);
  assert.equal(scripts(fail), [WEB], 'the scripts after a failing one are not run');
});

test('monitor: scripts run only when the hypervisor says running, never on a probe', async (ctx) => {
  const env = { OCF_RESKEY_monitor_scripts: WEB };
  const paused = await run(ctx, 'monitor', [domstate({ stdout: 'paused (user)\n\n' }), script(WEB, {})], env);
  assert.is(paused.code, 190, paused.stderr);
  assert.equal(scripts(paused), []);
  const probe = await run(ctx, 'monitor', [running, script(WEB, { exitCode: 1 })], { ...env, OCF_RESKEY_CRM_meta_interval: '0' });
  assert.is(probe.code, 0, probe.stderr);
  assert.equal(scripts(probe), []);
});

test('start waits until the scripts pass, and fails naming the script when they never do', async (ctx) => {
  const noDomain = { exitCode: 1, stderr: `error: failed to get domain '${UUID}'\n` };
  const created: FakeRule = { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: { stdout: 'Domain vm1 created\n' } };
  const absent = [domstate(noDomain, 1), { match: ['virsh', '-c', 'qemu:///system', 'domstate', '--reason', 'vm1'], answer: noDomain, times: 1 }];
  const env = { OCF_RESKEY_monitor_scripts: WEB };
  const booting = await run(ctx, 'start', [...absent, created, running, script(WEB, { exitCode: 1, stdout: 'connection refused\n' }, 2), script(WEB, {})], env);
  assert.is(booting.code, 0, booting.stderr);
  assert.equal(scripts(booting), [WEB, WEB, WEB], 'tried until it passed');
  const never = await run(ctx, 'start', [...absent, created, running, script(WEB, { exitCode: 3, stdout: 'connection refused\n' })], {
    ...env,
    OCF_RESKEY_CRM_meta_timeout: '6000',
  });
  assert.is(never.code, 1, never.stderr);
  assert.is(never.reason, `the guest runs but its monitor scripts did not pass before the timeout: monitor script ${WEB} failed (exit 3): connection refused`);
});

test('monitor_scripts: a relative path is a configuration error; validate-all wants executables', async (ctx) => {
  const relative = await run(ctx, 'monitor', [], { OCF_RESKEY_monitor_scripts: `${WEB} check-db` });
  assert.is(relative.code, 6, relative.stderr);
  assert.is(relative.reason, 'parameter monitor_scripts: "check-db" must be an absolute path');
  const missing = path.join(ctx.dir, 'no-such-check');
  const validate = await run(ctx, 'validate-all', [{ match: ['virsh', '-c', 'qemu:///system', 'dominfo'], answer: { exitCode: 1 } }], {
    OCF_RESKEY_monitor_scripts: missing,
  });
  assert.is(validate.code, 6, validate.stderr);
  assert.match(validate.reason, new RegExp(`monitor script ${missing} is not an executable file \\(ENOENT\\)`));
});

test.run();
