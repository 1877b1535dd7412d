// The built executable and the processes it starts: a hung tool (with a helper holding its pipe)
// ends with the action's deadline or with ocfkit itself; unknown and prototype-named actions are
// ERR_UNIMPLEMENTED with one line and no stack trace.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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

s.after(() => rmSync(dir, { recursive: true, force: true }));
s.run();
