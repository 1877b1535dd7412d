// require_lock_manager against a real virtlockd: the agent (the built binary) in a private mount
// namespace where qemu.conf says lock_manager = "lockd", qemu-lockd.conf is the test's, and
// /run/libvirt holds the socket of a virtlockd the test runs unprivileged (so it never touches the
// machine's own lock daemon). Lockspaces on this host's file systems must be refused, naming the
// setting; a shared file system cannot be mounted here, so the passing side is in the unit tables.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { probeSocket } from '../../agents/virtual-machine/lock-manager';
import { ocfkitBinary } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import * as needs from '../harness/needs';

interface Ctx {
  dir: string;
  run: string;
  daemon?: ChildProcess;
  config: string;
  agent: string;
}
const lockd = integrationSuite<Ctx>(
  'VirtualMachine require_lock_manager against a real virtlockd',
  [
    needs.root,
    needs.binary('virtlockd', 'libvirt-daemon-system'),
    needs.binary('setpriv', 'util-linux'),
    needs.binary('unshare', 'util-linux'),
    needs.binary('findmnt', 'util-linux'),
    needs.file(ocfkitBinary),
  ],
  { dir: '', run: '', config: '', agent: '' },
);

lockd.before(async (ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lockd-it-'));
  chmodSync(ctx.dir, 0o755); // virtlockd runs as nobody: it must reach its runtime directory
  ctx.run = path.join(ctx.dir, 'run');
  mkdirSync(ctx.run);
  const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  chownSync(ctx.run, nobody, -1);
  // unprivileged, virtlockd puts its socket under $XDG_RUNTIME_DIR/libvirt
  ctx.daemon = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'env', `XDG_RUNTIME_DIR=${ctx.run}`, `HOME=${ctx.run}`, 'virtlockd'], {
    stdio: 'ignore',
  });
  const socket = path.join(ctx.run, 'libvirt', 'virtlockd-sock');
  for (let i = 0; !(await probeSocket(socket, 1000)).listening; i++) {
    if (i > 100 || ctx.daemon.exitCode !== null) throw new Error(`virtlockd did not listen on ${socket}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  ctx.agent = path.join(ctx.dir, 'VirtualMachine');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.config = path.join(ctx.dir, 'guest.xml');
  writeFileSync(
    ctx.config,
    "<domain type='kvm'><name>ocfkit-lockd-it</name><uuid>7b1f3c2a-9d4e-4f60-8a1b-2c3d4e5f6a7b</uuid><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>\n",
  );
  writeFileSync(path.join(ctx.dir, 'qemu.conf'), '# lock_manager = "sanlock"\nlock_manager = "lockd"\n');
});
lockd.after((ctx) => {
  if (ctx.daemon?.pid && ctx.daemon.exitCode === null) process.kill(ctx.daemon.pid);
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** validate-all (or start) of the built agent with the test's qemu.conf, qemu-lockd.conf and virtlockd socket */
function agent(ctx: Ctx, action: string, lockdConf: string) {
  const conf = path.join(ctx.dir, 'qemu-lockd.conf');
  writeFileSync(conf, lockdConf);
  const script =
    'mount --bind "$1" /etc/libvirt/qemu.conf && mount --bind "$2" /etc/libvirt/qemu-lockd.conf && mkdir -p /run/libvirt && mount --bind "$3" /run/libvirt && shift 3 && exec "$@"';
  const result = spawnSync(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', path.join(ctx.dir, 'qemu.conf'), conf, path.join(ctx.run, 'libvirt'), ctx.agent, action],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH,
        OCF_ROOT: '/usr/lib/ocf',
        OCF_RESOURCE_INSTANCE: 'vm-lockd',
        OCF_RESKEY_config: ctx.config,
        OCF_RESKEY_require_lock_manager: 'true',
        OCF_RESKEY_peers: 'none',
        OCF_RESKEY_check_storage: 'false',
        OCF_RESKEY_state_dir: path.join(ctx.dir, 'state'),
        HA_debug: '0',
      },
    },
  );
  return { status: result.status, stderr: result.stderr ?? '' };
}

lockd('virtlockd answering but no lockspace set: validate-all and start refuse, naming file_lockspace_dir', (ctx) => {
  const validate = agent(ctx, 'validate-all', '#file_lockspace_dir = "/var/lib/libvirt/lockd/files"\n');
  assert.is(validate.status, 6, validate.stderr);
  assert.match(
    validate.stderr,
    /virtlockd has no lockspace on shared storage: none of file_lockspace_dir, lvm_lockspace_dir, scsi_lockspace_dir is set in \/etc\/libvirt\/qemu-lockd\.conf.*set file_lockspace_dir = /,
  );
  const start = agent(ctx, 'start', '');
  assert.is(start.status, 1, start.stderr);
  assert.match(start.stderr, /start refused on .*virtlockd has no lockspace on shared storage/);
});

lockd("a lockspace on this host's own file system is refused with its type and mount point", (ctx) => {
  const local = path.join(ctx.dir, 'lockspace');
  mkdirSync(local);
  const fstype = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', local], { encoding: 'utf8' }).stdout.trim();
  const validate = agent(ctx, 'validate-all', `file_lockspace_dir = "${local}"\n`);
  assert.is(validate.status, 6, validate.stderr);
  assert.ok(validate.stderr.includes(`file_lockspace_dir = "${local}" in /etc/libvirt/qemu-lockd.conf lies on ${fstype} (mounted on `), validate.stderr);
  const missing = agent(ctx, 'validate-all', `lvm_lockspace_dir = "${path.join(ctx.dir, 'no-such-dir')}"\n`);
  assert.is(missing.status, 6, missing.stderr);
  assert.match(missing.stderr, /lvm_lockspace_dir = ".*no-such-dir" in \/etc\/libvirt\/qemu-lockd\.conf: cannot tell its file system/);
});

lockd.run();
