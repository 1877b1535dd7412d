// The xl backend, black-box against the fake xl in test/fakes (state in a temp dir, real xl
// list layout), driven through the OCF runner with the real executor.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createExecaExecutor } from '../../../agents/core/execa-executor';
import { runAgent } from '../../../agents/ocf/runner';
import { virtualMachineAgent } from '../../../agents/virtual-machine/spec';
import { parseXlList } from '../../../agents/virtual-machine/xl';

const FAKES = path.resolve('test/fakes');
interface Ctx {
  dir: string;
  cfg: string;
  state: string;
}
const test = suite<Ctx>('virtual-machine xl backend (fake xl)', { dir: '', cfg: '', state: '' });

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-xl-'));
  ctx.cfg = path.join(ctx.dir, 'web.cfg');
  ctx.state = path.join(ctx.dir, 'xl-state');
  writeFileSync(ctx.cfg, 'name = "web"\nuuid = "3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21"\nmemory = 512\nvcpus = 2\ncpus = "^0,^1,2-7"\n');
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

async function run(ctx: Ctx, action: string, env: Record<string, string> = {}) {
  const savedPath = process.env.PATH;
  const savedState = process.env.FAKE_XL_STATE;
  process.env.PATH = `${FAKES}:${savedPath}`;
  process.env.FAKE_XL_STATE = ctx.state;
  // the fake's switches travel in the process environment, which the executor passes on
  for (const key of ['FAKE_XL_IGNORE_SHUTDOWN', 'FAKE_XL_MIGRATE_FAIL', 'FAKE_XL_NO_PV_CONTROL', 'CIB_file']) {
    if (env[key]) process.env[key] = env[key];
    else delete process.env[key];
  }
  const stderr: string[] = [];
  try {
    const result = await runAgent(virtualMachineAgent, [action], {
      env: {
        OCF_RESOURCE_INSTANCE: 'web',
        OCF_RESKEY_backend: 'xl',
        OCF_RESKEY_config: ctx.cfg,
        OCF_RESKEY_peers: 'none',
        OCF_RESKEY_state_dir: path.join(ctx.dir, 'run'),
        OCF_RESKEY_host_root: path.join(ctx.dir, 'host'),
        OCF_RESKEY_CRM_meta_timeout: '20000',
        OCF_RESKEY_CRM_meta_on_node: 'node1',
        ...env,
      },
      stdout: () => undefined,
      stderr: (t) => stderr.push(t),
      executor: (log, deadline) => createExecaExecutor(log, deadline),
    });
    return { ...result, stderr: stderr.join('') };
  } finally {
    process.env.PATH = savedPath;
    delete process.env.FAKE_XL_IGNORE_SHUTDOWN;
    delete process.env.FAKE_XL_MIGRATE_FAIL;
    delete process.env.FAKE_XL_NO_PV_CONTROL;
    delete process.env.CIB_file;
    if (savedState === undefined) delete process.env.FAKE_XL_STATE;
    else process.env.FAKE_XL_STATE = savedState;
  }
}
const calls = (ctx: Ctx) => readFileSync(path.join(ctx.state, 'calls.log'), 'utf8').trim().split('\n');

test('xl list layout parses (Domain-0, verbose UUID column; xl 4.17.5 as captured in the Xen lab)', () => {
  const captured = readFileSync(path.resolve('test/fixtures/xl/list-verbose.txt'), 'utf8').replace(/^(#( .*)?\n)+/, '');
  const rows = parseXlList(captured);
  assert.equal(
    rows.map((r) => [r.name, r.id, r.memMiB, r.vcpus, r.state, r.uuid]),
    [
      ['Domain-0', 0, 1280, 1, 'running', '00000000-0000-0000-0000-000000000000'],
      ['web', 2, 128, 1, 'blocked', '3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21'],
    ],
  );
});

test('start, monitor, start again, stop (graceful), monitor', async (ctx) => {
  assert.is((await run(ctx, 'monitor')).code, 7);
  const start = await run(ctx, 'start');
  assert.is(start.code, 0, start.stderr);
  assert.ok(calls(ctx).includes(`create ${ctx.cfg}`));
  assert.is((await run(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000' })).code, 0);
  assert.is((await run(ctx, 'start')).code, 0);
  assert.equal(calls(ctx).filter((c) => c.startsWith('create')).length, 1, 'the second start created nothing');
  const stop = await run(ctx, 'stop');
  assert.is(stop.code, 0, stop.stderr);
  assert.ok(calls(ctx).includes('shutdown web'));
  assert.not.ok(calls(ctx).includes('destroy web'));
  assert.is((await run(ctx, 'monitor')).code, 7);
});

test('a guest that ignores shutdown is destroyed before the deadline', async (ctx) => {
  assert.is((await run(ctx, 'start')).code, 0);
  const stop = await run(ctx, 'stop', { FAKE_XL_IGNORE_SHUTDOWN: '1', OCF_RESKEY_CRM_meta_timeout: '8000' });
  // stop ended by itself with success: it gave up waiting for the shutdown and destroyed in time
  assert.is(stop.code, 0, stop.stderr);
  assert.match(stop.stderr, /did not shut down in time/);
  assert.ok(calls(ctx).indexOf('shutdown web') < calls(ctx).indexOf('destroy web'), calls(ctx).join('\n'));
});

test('shutdown_mode: an HVM guest without PV drivers stops by the ACPI power button, not by destroy', async (ctx) => {
  writeFileSync(ctx.cfg, 'name = "win"\ntype = "hvm"\nmemory = 512\n');
  assert.is((await run(ctx, 'start')).code, 0);
  // default (paravirt only): xl cannot reach it, so stop ends in destroy
  const plain = await run(ctx, 'stop', { FAKE_XL_NO_PV_CONTROL: '1', OCF_RESKEY_CRM_meta_timeout: '8000' });
  assert.is(plain.code, 0, plain.stderr);
  assert.ok(calls(ctx).includes('destroy win'));
  assert.is((await run(ctx, 'start')).code, 0);
  rmSync(path.join(ctx.state, 'calls.log'));
  const acpi = await run(ctx, 'stop', { FAKE_XL_NO_PV_CONTROL: '1', OCF_RESKEY_shutdown_mode: 'paravirt,acpi', OCF_RESKEY_shutdown_timeout: '30' });
  assert.is(acpi.code, 0, acpi.stderr);
  assert.equal(
    calls(ctx).filter((c) => !c.startsWith('list')),
    ['shutdown win', 'trigger win power'],
  );
  assert.match(acpi.stderr, /shutdown_timeout=30 s is more than the stop timeout leaves/);
});

test('shutdown_mode=acpi on a guest without an ACPI power button: xl refuses the trigger yet exits 0, stop destroys at once', async (ctx) => {
  // the domain runs as PV (the fake has no button for it) while the file now says hvm
  assert.is((await run(ctx, 'start')).code, 0);
  writeFileSync(ctx.cfg, readFileSync(ctx.cfg, 'utf8') + 'type = "hvm"\n');
  const stop = await run(ctx, 'stop', { OCF_RESKEY_shutdown_mode: 'acpi' });
  assert.is(stop.code, 0, stop.stderr);
  assert.equal(
    calls(ctx).filter((c) => !c.startsWith('list') && !c.startsWith('create')),
    ['trigger web power', 'destroy web'],
  );
  assert.match(stop.stderr, /the shutdown request failed \(.*Send trigger 'power' failed/);
});

test('shutdown_mode validation: modes per backend; acpi needs an HVM config', async (ctx) => {
  const pv = await run(ctx, 'validate-all', { OCF_RESKEY_shutdown_mode: 'acpi' });
  assert.is(pv.code, 6, pv.stderr + pv.reason);
  assert.match(pv.reason ?? '', /acpi \(xl trigger power\) needs an HVM guest/);
  writeFileSync(ctx.cfg, 'name = "win"\ntype = "hvm"\nmemory = 512\n');
  assert.is((await run(ctx, 'validate-all', { OCF_RESKEY_shutdown_mode: 'acpi' })).code, 0);
  const agent = await run(ctx, 'start', { OCF_RESKEY_shutdown_mode: 'agent' });
  assert.is(agent.code, 6);
  assert.match(agent.reason ?? '', /"agent" is not a mode of backend=xl \(paravirt, acpi\)/);
});

test('probe by UUID when the cfg is gone and only the uuid parameter is set', async (ctx) => {
  assert.is((await run(ctx, 'start')).code, 0);
  rmSync(ctx.cfg);
  const probe = await run(ctx, 'monitor', { OCF_RESKEY_uuid: '3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21', OCF_RESKEY_state_dir: path.join(ctx.dir, 'other') });
  assert.is(probe.code, 0, probe.stderr);
  assert.ok(calls(ctx).includes('list -v'));
});

test('migrate_to runs xl migrate to the target host with the network suffix', async (ctx) => {
  assert.is((await run(ctx, 'start')).code, 0);
  const migrate = await run(ctx, 'migrate_to', {
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    OCF_RESKEY_CRM_meta_migrate_source: 'node1',
    OCF_RESKEY_migration_network_suffix: '-mig',
  });
  assert.is(migrate.code, 0, migrate.stderr);
  assert.ok(calls(ctx).includes('migrate web node2-mig'));
  assert.is(readFileSync(path.join(ctx.state, 'migrated.log'), 'utf8'), 'web node2-mig\n');
  assert.is((await run(ctx, 'monitor')).code, 7);
});

test('migrate_to: the target address from node_ip_attribute (real crm_attribute on a CIB file), the ssh command for -s', async (ctx) => {
  assert.is((await run(ctx, 'start')).code, 0);
  const env = {
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    OCF_RESKEY_node_ip_attribute: 'mig_ip',
    OCF_RESKEY_migration_ssh_command: 'ssh -i /root/.ssh/xen_migration -o BatchMode=yes',
    CIB_file: path.resolve('test/fixtures/pacemaker/cib-node-attributes.xml'),
  };
  const migrate = await run(ctx, 'migrate_to', env);
  assert.is(migrate.code, 0, migrate.stderr);
  assert.ok(calls(ctx).includes('migrate -s ssh -i /root/.ssh/xen_migration -o BatchMode=yes web 192.168.2.2'), calls(ctx).join('\n'));
  assert.is((await run(ctx, 'start')).code, 0);
  const none = await run(ctx, 'migrate_to', { ...env, OCF_RESKEY_CRM_meta_migrate_target: 'node3' });
  assert.is(none.code, 1);
  assert.match(none.reason ?? '', /node node3 has no mig_ip \(crm_attribute: Error performing operation: No such device or address\)/);
});

test('stop destroys what a failed xl migrate left (migrating-<name>, <name>--incoming, <name>--migratedaway), running guest or not', async (ctx) => {
  const leftover = (name: string) => {
    const cfg = path.join(ctx.dir, `${name}.cfg`);
    writeFileSync(cfg, `name = "${name}"\nmemory = 512\n`);
    return cfg;
  };
  const other = leftover('migrating-webapp'); // another guest's leftover stays
  for (const cfg of [leftover('migrating-web'), other])
    assert.is((await run(ctx, 'start', { OCF_RESKEY_config: cfg, OCF_RESKEY_name: '', OCF_RESOURCE_INSTANCE: 'x' })).code, 0);
  assert.is((await run(ctx, 'start')).code, 0);
  const stop = await run(ctx, 'stop');
  assert.is(stop.code, 0, stop.stderr);
  assert.ok(calls(ctx).includes('destroy migrating-web'));
  assert.match(stop.stderr, /destroyed migrating-web, left by a failed migration of web/);
  assert.ok(existsSync(path.join(ctx.state, 'migrating-webapp.json')));
  // the guest itself already stopped: the leftover still goes
  assert.is((await run(ctx, 'start', { OCF_RESKEY_config: leftover('web--incoming'), OCF_RESOURCE_INSTANCE: 'x' })).code, 0);
  const again = await run(ctx, 'stop');
  assert.is(again.code, 0, again.stderr);
  assert.ok(calls(ctx).includes('destroy web--incoming'));
  assert.not.ok(existsSync(path.join(ctx.state, 'web--incoming.json')));
  // xl's sender renames the guest to <name>--migratedaway before the final handshake
  assert.is((await run(ctx, 'start', { OCF_RESKEY_config: leftover('web--migratedaway'), OCF_RESOURCE_INSTANCE: 'x' })).code, 0);
  assert.is((await run(ctx, 'stop')).code, 0);
  assert.ok(calls(ctx).includes('destroy web--migratedaway'));
});

test('a failed migration is an error naming the command', async (ctx) => {
  assert.is((await run(ctx, 'start')).code, 0);
  const migrate = await run(ctx, 'migrate_to', { OCF_RESKEY_CRM_meta_migrate_target: 'node2', FAKE_XL_MIGRATE_FAIL: '1' });
  assert.is(migrate.code, 1);
  assert.match(migrate.reason ?? '', /xl migrate web node2 failed \(exit 1\): .*Connection refused/);
});

test('the list-form cpus config fails to start in xl and validate-all names the fix', async (ctx) => {
  writeFileSync(ctx.cfg, 'name = "web"\nmemory = 512\ncpus = [ "^0,^1" ]\n');
  const validate = await run(ctx, 'validate-all');
  assert.is(validate.code, 6);
  assert.match(validate.reason ?? '', /web\.cfg:3: cpus: .*fix: write it as one string/);
  const start = await run(ctx, 'start');
  assert.is(start.code, 1);
  assert.not.ok(existsSync(path.join(ctx.state, 'web.json')));
});

test.run();
