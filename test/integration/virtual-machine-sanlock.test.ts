// require_lock_manager with lock_manager = "sanlock" against a real sanlock daemon: the agent (the
// built binary) with host_root in the test's directory, whose etc/libvirt holds qemu.conf and a
// qemu-sanlock.conf made from the one libvirt ships, and whose run/sanlock is the run directory
// of a sanlock daemon the test starts (SANLOCK_RUN_DIR, no watchdog), so the machine's own
// /run/sanlock is never touched. Each missing setting is refused by name while the daemon
// answers; a lease directory on this host's own file system is refused with its type; a daemon
// shut down is noticed through its socket. No file system shared between nodes can be mounted
// on the test machines (no nfs, gfs2 or ocfs2 in their kernel), so the passing side (lease
// directory on nfs4) is tested through the agent with findmnt's answer faked
// (test/agents/virtual-machine/guard-parameters.test.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { probeSocket } from '../../agents/virtual-machine/lock-manager';
import { ocfkitBinary } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import * as needs from '../harness/needs';

const SHIPPED = '/etc/libvirt/qemu-sanlock.conf';

interface Ctx {
  dir: string;
  root: string;
  run: string;
  daemon?: ChildProcess;
  daemonLog: string[];
  config: string;
  agent: string;
}
const sanlock = integrationSuite<Ctx>(
  'VirtualMachine require_lock_manager against a real sanlock daemon',
  [
    needs.root,
    needs.binary('sanlock', 'sanlock'),
    needs.file(SHIPPED, 'libvirt-daemon-system'),
    needs.binary('gcc', 'gcc'),
    needs.binary('findmnt', 'util-linux'),
    needs.file(ocfkitBinary),
  ],
  { dir: '', root: '', run: '', daemonLog: [], config: '', agent: '' },
);

// uvu counts a failing before hook as 0/N passed without printing why: print it here
sanlock.before(async (ctx) => {
  try {
    await setUp(ctx);
  } catch (error) {
    console.error('sanlock suite setup failed:', error);
    throw error;
  }
});
async function setUp(ctx: Ctx) {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-sanlock-it-'));
  chmodSync(ctx.dir, 0o755);
  ctx.root = path.join(ctx.dir, 'host');
  mkdirSync(path.join(ctx.root, 'etc', 'libvirt'), { recursive: true });
  ctx.run = path.join(ctx.root, 'run', 'sanlock');
  mkdirSync(ctx.run, { recursive: true }); // sanlock creates its run directory, not the parents
  const shim = path.join(ctx.dir, 'sanlock-memlock.so');
  const cc = spawnSync('gcc', ['-shared', '-fPIC', '-o', shim, path.join(__dirname, '..', 'harness', 'sanlock-memlock.c'), '-ldl'], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`gcc sanlock-memlock.c: ${cc.stderr}`);
  // -D: stay in the foreground, log to stderr; -w 0: no watchdog (wdmd); -l 0: no mlockall
  ctx.daemon = spawn('sanlock', ['daemon', '-D', '-w', '0', '-l', '0', '-L', '-1', '-S', '-1', '-U', 'root', '-G', 'root'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SANLOCK_RUN_DIR: ctx.run, LD_PRELOAD: shim },
  });
  ctx.daemon.stderr!.on('data', (chunk: Buffer) => ctx.daemonLog.push(chunk.toString()));
  await waitForSocket(ctx, true);
  ctx.agent = path.join(ctx.dir, 'VirtualMachine');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.config = path.join(ctx.dir, 'guest.xml');
  writeFileSync(
    ctx.config,
    "<domain type='kvm'><name>ocfkit-sanlock-it</name><uuid>0d6f3a52-8c1e-4b7a-9e2f-51c4a8d3b6e9</uuid><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>\n",
  );
  writeFileSync(path.join(ctx.root, 'etc', 'libvirt', 'qemu.conf'), '#lock_manager = "lockd"\nlock_manager = "sanlock"\n');
}
sanlock.after((ctx) => {
  if (ctx.daemon?.pid && ctx.daemon.exitCode === null) process.kill(ctx.daemon.pid);
  rmSync(ctx.dir, { recursive: true, force: true });
});

async function waitForSocket(ctx: Ctx, listening: boolean): Promise<void> {
  const socket = path.join(ctx.run, 'sanlock.sock');
  for (let i = 0; (await probeSocket(socket, 1000)).listening !== listening; i++) {
    if (i > 200 || (listening && ctx.daemon!.exitCode !== null))
      throw new Error(`sanlock ${listening ? 'did not listen' : 'still listens'} on ${socket}: ${ctx.daemonLog.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** validate-all or start of the built agent, qemu-sanlock.conf = libvirt's shipped file plus `settings` */
function agent(ctx: Ctx, action: string, settings: string) {
  writeFileSync(path.join(ctx.root, 'etc', 'libvirt', 'qemu-sanlock.conf'), `${readFileSync(SHIPPED, 'utf8')}\n${settings}`);
  const result = spawnSync(ctx.agent, [action], {
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: process.env.PATH,
      OCF_ROOT: '/usr/lib/ocf',
      OCF_RESOURCE_INSTANCE: 'vm-sanlock',
      OCF_RESKEY_config: ctx.config,
      OCF_RESKEY_require_lock_manager: 'true',
      OCF_RESKEY_peers: 'none',
      OCF_RESKEY_check_storage: 'false',
      OCF_RESKEY_state_dir: path.join(ctx.dir, 'state'),
      OCF_RESKEY_host_root: ctx.root,
      HA_debug: '0',
    },
  });
  return { status: result.status, stderr: result.stderr ?? '' };
}

const conf = (ctx: Ctx) => `${ctx.root}/etc/libvirt/qemu-sanlock.conf`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

sanlock("sanlock answering, libvirt's shipped qemu-sanlock.conf: refused, naming auto_disk_leases", (ctx) => {
  const validate = agent(ctx, 'validate-all', '');
  assert.is(validate.status, 6, validate.stderr);
  assert.match(
    validate.stderr,
    new RegExp(`sanlock takes no disk leases by itself: auto_disk_leases is not set in ${conf(ctx)}; set auto_disk_leases = 1 in `),
  );
  const start = agent(ctx, 'start', '');
  assert.is(start.status, 1, start.stderr);
  assert.match(start.stderr, /start refused on .*sanlock takes no disk leases by itself/);
});

sanlock('auto_disk_leases = 1 without host_id: refused, naming host_id', (ctx) => {
  const validate = agent(ctx, 'validate-all', 'auto_disk_leases = 1\n');
  assert.is(validate.status, 6, validate.stderr);
  assert.match(validate.stderr, new RegExp(`sanlock host_id is not set in ${conf(ctx)}; set host_id = <1-2000, different on every node> in `));
});

sanlock("host_id set, disk_lease_dir on this host's own file system: refused with its type and mount point", (ctx) => {
  const leases = path.join(ctx.dir, 'leases');
  mkdirSync(leases);
  const fstype = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', leases], { encoding: 'utf8' }).stdout.trim();
  const settings = `auto_disk_leases = 1\nhost_id = 1\ndisk_lease_dir = "${leases}"\n`;
  const validate = agent(ctx, 'validate-all', settings);
  assert.is(validate.status, 6, validate.stderr);
  assert.ok(
    validate.stderr.includes(`disk_lease_dir = "${leases}" in ${ctx.root}/etc/libvirt/qemu-sanlock.conf lies on ${fstype} (mounted on `),
    validate.stderr,
  );
  assert.match(validate.stderr, /not a file system shared by the nodes: the locks protect this host only; set disk_lease_dir = /);
  const start = agent(ctx, 'start', settings);
  assert.is(start.status, 1, start.stderr);
  assert.match(start.stderr, /start refused on .*disk_lease_dir = .* lies on /);
});

sanlock('sanlock shut down (its socket file left behind): refused because nothing answers', async (ctx) => {
  const shutdown = spawnSync('sanlock', ['client', 'shutdown'], { encoding: 'utf8', env: { ...process.env, SANLOCK_RUN_DIR: ctx.run } });
  assert.is(shutdown.status, 0, shutdown.stderr);
  await waitForSocket(ctx, false);
  const validate = agent(ctx, 'validate-all', 'auto_disk_leases = 1\nhost_id = 1\n');
  assert.is(validate.status, 6, validate.stderr);
  assert.match(
    validate.stderr,
    /sanlock is configured in .*\/etc\/libvirt\/qemu\.conf but nothing listens on its socket \(.*sanlock\.sock: (ECONNREFUSED|ENOENT)/,
  );
});

sanlock.run();
