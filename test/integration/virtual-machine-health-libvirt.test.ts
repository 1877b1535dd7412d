// The VirtualMachine health parameters against a real libvirtd (qemu:///system) and a real
// BIOS-only guest, through the built agent: start_resources starts an inactive network the guest
// uses, monitor_scripts gate start and fail the monitor, save_config_on_stop writes the running
// definition back keeping owner and mode.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ocfkitBinary, runVmProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { ensureLibvirt } from '../harness/libvirt';
import * as needs from '../harness/needs';

const kvmUsable = (() => {
  try {
    closeSync(openSync('/dev/kvm', constants.O_RDWR));
    return true;
  } catch {
    return false;
  }
})();

interface Ctx {
  dir: string;
  agent: string;
  name: string;
  uuid: string;
  config: string;
  network: string;
}
const vm = integrationSuite<Ctx>('VirtualMachine health parameters against real libvirtd', [...needs.libvirt], {
  dir: '',
  agent: '',
  name: '',
  uuid: '',
  config: '',
  network: '',
});

const virsh = (...args: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60000 });

function domainXml(ctx: Ctx, devices = ''): string {
  return `<domain type='${kvmUsable ? 'kvm' : 'qemu'}'>
  <name>${ctx.name}</name>
  <uuid>${ctx.uuid}</uuid>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>${devices}</devices>
</domain>
`;
}

vm.before(async (ctx) => {
  await ensureLibvirt();
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-health-it-'));
  ctx.agent = path.join(ctx.dir, 'VirtualMachine');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.name = `ocfkit-health-${process.pid}`;
  ctx.uuid = randomUUID();
  ctx.config = path.join(ctx.dir, 'guest.xml');
  ctx.network = `ocfkit-it-${process.pid}`;
});
vm.before.each((ctx) => writeFileSync(ctx.config, domainXml(ctx)));
vm.after.each((ctx) => {
  virsh('destroy', ctx.uuid);
});
vm.after((ctx) => {
  virsh('destroy', ctx.uuid);
  virsh('net-destroy', ctx.network);
  virsh('net-undefine', ctx.network);
  rmSync(ctx.dir, { recursive: true, force: true });
});

const agent = (ctx: Ctx, action: string, env: Record<string, string> = {}) => runVmProgram(ctx, action, env);

vm('start_resources: a defined but inactive network the guest uses is started before the guest', (ctx) => {
  // an isolated network (no forward, no address): only a bridge
  const bridge = `ocfk${process.pid % 100000}`;
  const netXml = path.join(ctx.dir, 'net.xml');
  writeFileSync(netXml, `<network><name>${ctx.network}</name><bridge name='${bridge}'/></network>\n`);
  const defined = virsh('net-define', netXml);
  assert.is(defined.status, 0, defined.stderr);
  assert.match(virsh('net-info', ctx.network).stdout, /^Active:\s+no$/m);
  writeFileSync(ctx.config, domainXml(ctx, `<interface type='network'><source network='${ctx.network}'/><model type='virtio'/></interface>`));

  const without = agent(ctx, 'start');
  assert.is(without.status, 1, 'libvirt refuses a guest on an inactive network');
  const start = agent(ctx, 'start', { OCF_RESKEY_start_resources: 'true' });
  assert.is(start.status, 0, start.stderr);
  assert.match(start.stderr, new RegExp(`starting the inactive network ${ctx.network} the guest uses`));
  assert.match(virsh('net-info', ctx.network).stdout, /^Active:\s+yes$/m);
  assert.is(virsh('domstate', ctx.uuid).stdout.trim(), 'running');
});

vm('monitor_scripts: start waits until a script passes; a failing one fails the monitor with its last line', (ctx) => {
  const marker = path.join(ctx.dir, 'service-up');
  const boot = path.join(ctx.dir, 'check-boot');
  // fails on its first run, passes from the second: a service that comes up after the guest
  writeFileSync(boot, `#!/bin/sh\n[ -e '${marker}' ] && exit 0\ntouch '${marker}'\necho 'service not up yet'\nexit 1\n`);
  const down = path.join(ctx.dir, 'check-down');
  writeFileSync(down, '#!/bin/sh\necho "GET /health"\necho "http://guest/health: 503 Service Unavailable"\nexit 3\n');
  chmodSync(boot, 0o755);
  chmodSync(down, 0o755);
  const start = agent(ctx, 'start', { OCF_RESKEY_monitor_scripts: boot });
  assert.is(start.status, 0, start.stderr);
  assert.match(start.stderr, /monitor scripts passed \(try 2\)/);
  const ok = agent(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_monitor_scripts: boot });
  assert.is(ok.status, 0, ok.stderr);
  const failing = agent(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_monitor_scripts: `${boot} ${down}` });
  assert.is(failing.status, 1, failing.stderr);
  assert.is(failing.reason, `monitor script ${down} failed (exit 3): http://guest/health: 503 Service Unavailable`);
});

vm('save_config_on_stop: monitor notes the difference once; stop writes the running definition back, owner and mode kept', (ctx) => {
  chownSync(ctx.config, 4321, 4322);
  chmodSync(ctx.config, 0o640);
  const before = readFileSync(ctx.config, 'utf8');
  assert.is(agent(ctx, 'start').status, 0);
  const env = { OCF_RESKEY_save_config_on_stop: 'true' };
  const first = agent(ctx, 'monitor', { ...env, OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stderr, /the running definition of the guest differs from/, `libvirt filled in defaults the hand-written file lacks: ${first.stderr}`);
  const second = agent(ctx, 'monitor', { ...env, OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.not.match(second.stderr, /differs from/);
  const stop = agent(ctx, 'stop', { ...env, OCF_RESKEY_force_stop: 'true' });
  assert.is(stop.status, 0, stop.stderr);
  const after = readFileSync(ctx.config, 'utf8');
  assert.is.not(after, before);
  assert.equal(virsh('dumpxml', '--migratable', '--inactive', ctx.uuid).status === 0 ? 'defined' : 'transient', 'transient');
  assert.match(after, new RegExp(`<uuid>${ctx.uuid}</uuid>`));
  assert.match(after, /<currentMemory unit='KiB'>32768<\/currentMemory>/);
  const st = statSync(ctx.config);
  assert.equal([st.uid, st.gid, (st.mode & 0o7777).toString(8)], [4321, 4322, '640']);
  // the saved definition starts the guest again
  const again = agent(ctx, 'start');
  assert.is(again.status, 0, again.stderr);
});

vm('on_io_error: a guest paused on a real read error (qemu blkdebug, rerror=stop) is degraded, then failed after io_error_grace', (ctx) => {
  // qemu's blkdebug driver fails every read of the disk; SeaBIOS reads its boot sector, qemu stops
  // the guest and libvirt records the reason: "paused (I/O error)"
  chmodSync(ctx.dir, 0o755);
  const image = path.join(ctx.dir, 'disk.img');
  writeFileSync(image, Buffer.alloc(1024 * 1024));
  chmodSync(image, 0o666);
  const rules = path.join(ctx.dir, 'blkdebug.conf');
  writeFileSync(rules, '[inject-error]\nevent = "read_aio"\nerrno = "5"\n');
  chmodSync(rules, 0o644);
  writeFileSync(
    ctx.config,
    domainXml(ctx)
      .replace('<domain type=', "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0' type=")
      .replace("<boot dev='network'/>", '')
      .replace(
        '</domain>',
        `  <qemu:commandline>
    <qemu:arg value='-drive'/>
    <qemu:arg value='file=blkdebug:${rules}:${image},format=raw,if=none,id=ocfkiterr,rerror=stop,werror=stop'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='virtio-blk-pci,drive=ocfkiterr,bootindex=1,addr=0x9'/>
  </qemu:commandline>
</domain>`,
      ),
  );
  const start = agent(ctx, 'start');
  // the pause may come before start sees the guest running: start then reports it paused
  const state = () => virsh('domstate', '--reason', ctx.uuid).stdout.trim();
  for (let i = 0; i < 300 && state() !== 'paused (I/O error)'; i++) spawnSync('sleep', ['0.1']);
  assert.is(state(), 'paused (I/O error)', start.stderr);

  const monitor = (env: Record<string, string>) => agent(ctx, 'monitor', { OCF_RESKEY_CRM_meta_interval: '10000', ...env });
  const plain = monitor({});
  assert.is(plain.status, 190, plain.stderr);
  assert.is(plain.reason, 'the guest is paused (I/O error)');
  const recover = { OCF_RESKEY_on_io_error: 'recover', OCF_RESKEY_io_error_grace: '0' };
  const first = monitor(recover);
  assert.is(first.status, 190, first.stderr);
  assert.match(first.reason ?? '', /recovered after io_error_grace=0 s$/);
  const next = monitor(recover);
  assert.is(next.status, 1, next.stderr);
  assert.match(
    next.reason ?? '',
    /^the guest is paused on an I\/O error since \d+ s \(io_error_grace=0 s, on_io_error=recover\): failing it so the cluster recovers it$/,
  );
  // its disk is not in libvirt's definition (qemu command line): resume cannot prove it readable
  const resume = monitor({ OCF_RESKEY_on_io_error: 'resume' });
  assert.is(resume.status, 190, resume.stderr);
  assert.match(resume.reason ?? '', /not resuming: the guest's disks are not known$/);
  assert.is(state(), 'paused (I/O error)');
});

vm.run();
