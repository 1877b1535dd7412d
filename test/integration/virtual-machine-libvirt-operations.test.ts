// ocf:ocfkit:VirtualMachine's stop and migration tuning against a real libvirtd (qemu:///system)
// and a real BIOS-only guest, which ignores the ACPI power button: shutdown_mode reaches real
// virsh/QEMU, shutdown_timeout bounds the wait; migrate_options are checked by real virsh.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
}
const vm = integrationSuite<Ctx>('VirtualMachine stop and migration tuning against real libvirtd', [...needs.libvirt], {
  dir: '',
  agent: '',
  name: '',
  uuid: '',
  config: '',
});

const virsh = (...args: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60000 });

vm.before(async (ctx) => {
  await ensureLibvirt();
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-ops-it-'));
  ctx.agent = path.join(ctx.dir, 'VirtualMachine');
  symlinkSync(ocfkitBinary, ctx.agent);
  ctx.name = `ocfkit-ops-${process.pid}`;
  ctx.uuid = randomUUID();
  ctx.config = path.join(ctx.dir, 'guest.xml');
  writeFileSync(
    ctx.config,
    `<domain type='${kvmUsable ? 'kvm' : 'qemu'}'>
  <name>${ctx.name}</name>
  <uuid>${ctx.uuid}</uuid>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='network'/></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
`,
  );
});
vm.after.each((ctx) => {
  virsh('destroy', ctx.uuid);
});
vm.after((ctx) => {
  virsh('destroy', ctx.uuid);
  rmSync(ctx.dir, { recursive: true, force: true });
});

const agent = (ctx: Ctx, action: string, env: Record<string, string> = {}) => runVmProgram(ctx, action, env);

vm('shutdown_mode=acpi reaches the guest through real virsh; shutdown_timeout is the wait before destroy', (ctx) => {
  const start = agent(ctx, 'start');
  assert.is(start.status, 0, start.stderr);
  // a 10-minute stop timeout would wait about 8 minutes by default; shutdown_timeout=2 waits 2 s
  const stop = agent(ctx, 'stop', { OCF_RESKEY_CRM_meta_timeout: '600000', OCF_RESKEY_shutdown_mode: 'acpi', OCF_RESKEY_shutdown_timeout: '2' });
  assert.is(stop.status, 0, stop.stderr);
  assert.not.match(stop.stderr, /shutdown request failed/, 'virsh and QEMU accepted --mode acpi');
  assert.match(stop.stderr, /did not shut down in time \(running after 2 s\); destroying it/);
  assert.is(virsh('domstate', ctx.uuid).status, 1, 'the transient domain is gone after stop');
});

vm('shutdown_mode=agent without a guest agent: libvirt refuses the request, stop destroys at once', (ctx) => {
  assert.is(agent(ctx, 'start').status, 0);
  const stop = agent(ctx, 'stop', { OCF_RESKEY_CRM_meta_timeout: '600000', OCF_RESKEY_shutdown_mode: 'agent' });
  assert.is(stop.status, 0, stop.stderr);
  assert.match(stop.stderr, /the shutdown request failed .*; destroying it/);
  assert.is(virsh('domstate', ctx.uuid).status, 1);
  const validate = agent(ctx, 'validate-all', { OCF_RESKEY_shutdown_mode: 'agent' });
  assert.is(validate.status, 6, validate.stderr);
  assert.match(validate.reason ?? '', /shutdown_mode=agent: .* has no qemu guest agent channel/);
});

vm('migrate_options are checked against the real virsh help migrate', (ctx) => {
  const ok = agent(ctx, 'validate-all', {
    OCF_RESKEY_migrate_options: '--auto-converge --compressed --postcopy --postcopy-after-precopy --parallel --parallel-connections 2',
  });
  assert.is(ok.status, 0, ok.stderr);
  const unknown = agent(ctx, 'validate-all', { OCF_RESKEY_migrate_options: '--auto-converge --fancy' });
  assert.is(unknown.status, 6, unknown.stderr);
  assert.match(unknown.reason ?? '', /--fancy is not supported by this node's virsh/);
});

vm.run();
