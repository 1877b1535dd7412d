// ocf:ocfkit:DrbdReconnect (the built executable through its agent name) under resource-agents'
// ocf-tester, against the fake DRBD userland and a fake attrd_updater.
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ocfkitBinary, repoRoot, runProgram } from '../support/binaries';
import { fakeDrbd, type FakeDrbd } from '../support/fake-drbd';
import { integrationSuite } from '../support/integration';
import { binary, file, root } from '../harness/needs';

const suite = integrationSuite('DrbdReconnect under ocf-tester', [root, binary('ocf-tester'), file(ocfkitBinary)], {
  f: undefined as unknown as FakeDrbd,
  agent: '',
  env: {} as Record<string, string>,
});

suite.before((ctx) => {
  ctx.f = fakeDrbd(['--version', '8.4.11']);
  ctx.f.ctl('add', 'r0', '--minor', '0', '--local', '127.0.0.1:7900', '--peer', 'bob', '--remote', '127.0.0.2:7900');
  chmodSync(ctx.f.dir, 0o755); // ocf-tester runs meta-data as nobody
  const bin = path.join(ctx.f.dir, 'agent');
  mkdirSync(bin);
  ctx.agent = path.join(bin, 'DrbdReconnect');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.env = {
    ...ctx.f.env,
    PATH: `${path.join(repoRoot, 'test/fakes/attrd')}:${ctx.f.env.PATH}`,
    OCF_ROOT: '/usr/lib/ocf',
    OCFKIT_RUN_DIR: path.join(ctx.f.dir, 'run'),
    OCFKIT_FAKE_ATTRD: path.join(ctx.f.dir, 'attrd.json'),
  };
});
suite.after((ctx) => ctx.f.cleanup());

suite('ocf-tester passes the agent', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'drbd-reconnect', '-o', `state_dir=${ctx.f.env.OCFKIT_DRBD_STATE_DIR}`, ctx.agent], ctx.env);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /passed all tests/);
  assert.is(ctx.f.read('forbidden.log'), '');
});

suite('ocf-tester fails it with a broken parameter (the check can fail)', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'drbd-reconnect', '-o', 'state_dir=relative/dir', ctx.agent], ctx.env);
  assert.is.not(r.status, 0);
  assert.match(r.stdout + r.stderr, 'state_dir "relative/dir" must be an absolute path', r.stdout + r.stderr);
});

suite.run();
