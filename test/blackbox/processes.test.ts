// The built executable and the processes it starts: a hung tool (with a helper holding its pipe)
// ends with the action's deadline or with ocfkit itself; unknown and prototype-named actions are
// ERR_UNIMPLEMENTED with one line and no stack trace.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ocfkit, ocfkitBinary } from '../support/binaries';
import { hungTool, hungToolPids, waitGroupGone } from '../support/process-group';

const s = suite('dist/ocfkit: processes and errors');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-processes-'));
const bin = path.join(dir, 'bin');
mkdirSync(bin);
// every program VirtualMachine's monitor could run first hangs
for (const tool of ['virsh', 'xl', 'crm_node', 'crm_mon', 'drbdsetup']) symlinkSync(hungTool, path.join(bin, tool));
let n = 0;
const monitorEnv = (pidFile: string, timeoutMs: number) => ({
  PATH: bin,
  HUNG_PID_FILE: pidFile,
  OCF_ROOT: '/usr/lib/ocf',
  OCF_RESOURCE_INSTANCE: 'vm1',
  OCF_RESKEY_name: 'vm1',
  OCF_RESKEY_state_dir: path.join(dir, 'state'),
  OCF_RESKEY_CRM_meta_interval: '10000',
  OCF_RESKEY_CRM_meta_timeout: String(timeoutMs),
});
const STACK_FRAME = /^\s+at (?:.+ \()?[^\s()]+:\d+:\d+\)?$/m;

s('the deadline ends a monitor whose tool hangs, and its whole process group', async () => {
  const pidFile = path.join(dir, `pids-${++n}`);
  const r = ocfkit(['run', 'VirtualMachine', 'monitor'], monitorEnv(pidFile, 2500));
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /^ocf-exit-reason:.*did not finish within/m);
  const { leader } = await hungToolPids(pidFile);
  await waitGroupGone(leader);
});

s('a SIGTERM to ocfkit takes the hung tool along, and ocfkit dies of the signal', async () => {
  const pidFile = path.join(dir, `pids-${++n}`);
  const child = spawn(ocfkitBinary, ['run', 'VirtualMachine', 'monitor'], { env: monitorEnv(pidFile, 600_000), stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const { leader } = await hungToolPids(pidFile);
  child.kill('SIGTERM');
  assert.is(await exited, 'SIGTERM');
  await waitGroupGone(leader);
});

s('actions named like Object.prototype members: ERR_UNIMPLEMENTED, one line, no stack trace', () => {
  for (const action of ['toString', 'constructor', '__proto__']) {
    const r = ocfkit(['run', 'SharedVolumes', action]);
    assert.is(r.status, 3, `${action}: ${r.stderr}`);
    assert.ok(r.stderr.endsWith(`ocf-exit-reason:action ${action} is not implemented by SharedVolumes\n`), r.stderr);
    assert.not.match(r.stderr, STACK_FRAME);
  }
});

s('CLI errors on hostile input: one bounded line naming the file and line, never a stack trace', () => {
  const config = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const proto = config('proto.yaml', 'block:\n  devices: []\nconstructor: 1\n');
  const catchAll = config('catch-all.yaml', 'block:\n  devices:\n    - match: {kernel: "?*"}\n      set: {read_ahead_kb: 1}\n');
  const cases: Array<[args: string[], status: number, line: RegExp]> = [
    [['udev', 'generate', '--config', proto, '--stdout'], 2, /^ocfkit: \/.*proto\.yaml:3:1: constructor: unknown key "constructor" \(known: version, block\)$/],
    [
      ['udev', 'generate', '--config', catchAll, '--stdout'],
      2,
      /^ocfkit: \/.*catch-all\.yaml:3:23: block\.devices\[0\]\.match\.kernel: "\?\*" would match every block device/,
    ],
    [['udev', 'generate', '--config', path.join(dir, 'f'.repeat(5000)), '--stdout'], 2, /^ocfkit: \/.*f+\.\.\. \(\d+ characters\)$/],
    [['run', '__proto__', 'start'], 1, /^ocfkit: unknown agent "__proto__"/],
  ];
  for (const [args, status, line] of cases) {
    const r = ocfkit(args);
    assert.is(r.status, status, `${args.join(' ').slice(0, 80)}: ${r.stderr}`);
    assert.is(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.ok(r.stderr.length < 700, 'bounded');
    assert.match(r.stderr.trim(), line);
  }
});

s.after(() => rmSync(dir, { recursive: true, force: true }));
s.run();
