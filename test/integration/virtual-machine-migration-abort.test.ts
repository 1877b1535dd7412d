// A live migration that cannot finish before the migrate_to timeout, between two real libvirt
// daemons on this machine: the harness's libvirtd (the source, qemu:///system) and a second
// libvirtd the test starts as the target, in a private mount and UTS namespace with its own
// /etc/libvirt (another host_uuid: libvirt refuses a migration to the host it runs on), /run,
// /var/lib, /var/cache and /var/log libvirt directories, reached through its socket
// (qemu+unix:///system?socket=...). The guest carries 48 MiB of random data in its memory (QEMU's
// generic loader device), and migration_speed=1 (MiB/s) makes the copy take far longer than the
// 20 s migrate_to timeout: the agent must abort the job with virsh domjobabort while there is time
// left, leave the guest running on the source, and say so in the exit reason.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { ocfkitBinary, runVmProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { ensureLibvirt } from '../harness/libvirt';
import * as needs from '../harness/needs';

interface Ctx {
  dir: string;
  agent: string;
  name: string;
  uuid: string;
  config: string;
  target?: ChildProcess;
  targetLog: string[];
  socket: string;
}
const vm = integrationSuite<Ctx>(
  'VirtualMachine aborts a migration that does not finish in time (two real libvirtd)',
  [...needs.libvirt, needs.binary('unshare', 'util-linux'), needs.file(ocfkitBinary)],
  {
    dir: '',
    agent: '',
    name: '',
    uuid: '',
    config: '',
    targetLog: [],
    socket: '',
  },
);

const source = (...args: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60000 });
const targetUri = (ctx: Ctx) => `qemu+unix:///system?socket=${ctx.socket}`;
const target = (ctx: Ctx, ...args: string[]) => spawnSync('virsh', ['-c', targetUri(ctx), ...args], { encoding: 'utf8', timeout: 60000 });

// uvu counts a failing before hook as 0/N passed without printing why: print it here
vm.before(async (ctx) => {
  try {
    await setUp(ctx);
  } catch (error) {
    console.error(`migration-abort suite setup failed: ${(error as Error).message}\n${ctx.targetLog.join('')}`);
    throw error;
  }
});

async function setUp(ctx: Ctx): Promise<void> {
  await ensureLibvirt();
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-mig-abort-'));
  chmodSync(ctx.dir, 0o755); // QEMU runs as libvirt's qemu user: it must reach the payload
  const t = (sub: string) => path.join(ctx.dir, 'target', sub);
  for (const sub of ['etc', 'run', 'lib', 'cache', 'log']) mkdirSync(t(sub), { recursive: true });
  writeFileSync(t('etc/libvirtd.conf'), `host_uuid = "${randomUUID()}"\n`);
  // no virtlogd in the target's /run, no cgroups shared with the source's daemon
  writeFileSync(t('etc/qemu.conf'), 'stdio_handler = "file"\ncgroup_controllers = [ ]\nsecurity_driver = "none"\n');
  ctx.socket = t('run/libvirt-sock');
  const script = [
    'hostname ocfkit-migration-target',
    'mount --bind "$1/etc" /etc/libvirt',
    'mount --bind "$1/run" /run/libvirt',
    'mount --bind "$1/lib" /var/lib/libvirt',
    'mount --bind "$1/cache" /var/cache/libvirt',
    'mount --bind "$1/log" /var/log/libvirt',
    'exec libvirtd --pid-file "$1/run/libvirtd.pid"',
  ].join(' && ');
  ctx.target = spawn('unshare', ['-m', '-u', '--propagation', 'private', 'sh', '-c', script, 'sh', path.join(ctx.dir, 'target')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ctx.target.stdout!.on('data', (c: Buffer) => ctx.targetLog.push(c.toString()));
  ctx.target.stderr!.on('data', (c: Buffer) => ctx.targetLog.push(c.toString()));
  // a fresh libvirtd probes QEMU's capabilities before it answers
  for (let i = 0; !(existsSync(ctx.socket) && target(ctx, 'version').status === 0); i++) {
    if (i > 600 || ctx.target.exitCode !== null) throw new Error(`the target libvirtd did not answer on ${ctx.socket}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  ctx.agent = path.join(ctx.dir, 'VirtualMachine');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.name = `ocfkit-migabort-${process.pid}`;
  ctx.uuid = randomUUID();
  const payload = path.join(ctx.dir, 'payload.bin');
  writeFileSync(payload, randomBytes(48 * 1024 * 1024), { mode: 0o644 });
  ctx.config = path.join(ctx.dir, 'guest.xml');
  writeFileSync(
    ctx.config,
    `<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>${ctx.name}</name>
  <uuid>${ctx.uuid}</uuid>
  <memory unit='MiB'>96</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
  <qemu:commandline><qemu:arg value='-device'/><qemu:arg value='loader,file=${payload},addr=0x2000000'/></qemu:commandline>
</domain>
`,
  );
}

vm.after((ctx) => {
  source('destroy', ctx.uuid);
  if (ctx.socket && existsSync(ctx.socket)) target(ctx, 'destroy', ctx.uuid);
  if (ctx.target?.pid && ctx.target.exitCode === null) process.kill(ctx.target.pid);
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

vm('migrate_to at 1 MiB/s cannot copy 48 MiB in 20 s: aborted with domjobabort, the guest keeps running on the source', (ctx) => {
  const start = runVmProgram(ctx, 'start');
  assert.is(start.status, 0, start.stderr);
  const migrate = runVmProgram(ctx, 'migrate_to', {
    OCF_RESKEY_CRM_meta_migrate_source: 'node1',
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    OCF_RESKEY_CRM_meta_timeout: '20000',
    OCF_RESKEY_migration_uri: targetUri(ctx),
    OCF_RESKEY_migrateuri: 'tcp://127.0.0.1:49231',
    OCF_RESKEY_migration_speed: '1',
  });
  assert.is(migrate.status, 1, migrate.stderr);
  assert.match(
    migrate.reason ?? '',
    /^the migration to node2 did not converge within \d+ s; aborted it \(virsh domjobabort\); the guest keeps running on this node$/,
  );
  assert.match(source('domstate', ctx.uuid).stdout, /^running/, 'still running on the source');
  assert.is(target(ctx, 'domstate', ctx.uuid).status, 1, 'nothing left on the target');
});

vm.run();
