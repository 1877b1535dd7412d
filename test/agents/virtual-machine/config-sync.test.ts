// save_config_on_stop: whether the running definition may replace the config file (a table),
// then stop and monitor through the agent with a fake executor answering `virsh dumpxml
// --migratable` (libvirt's running definition without runtime ids, aliases and ports).
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decideSave, sameDefinition, saveConfigProblem } from '../../../agents/virtual-machine/config-sync';
import { type FakeRule } from '../../support/fake-executor';
import { runVmAction, standInTools } from '../../support/vm-agent';

const UUID = '3c9b6f1e-52a4-4f0b-8d7e-6a1f0c2b9e41';
const FILE_XML = `<domain type='kvm'>\n  <name>vm1</name>\n  <uuid>${UUID}</uuid>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n  <os><type>hvm</type></os>\n</domain>\n`;
// what dumpxml --migratable prints after `virsh attach-disk vm1 /dev/vg0/data vdb --persistent` (shape of libvirt 9.0's output)
const RUNNING_XML = `<domain type='kvm'>
  <name>vm1</name>
  <uuid>${UUID}</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
  </os>
  <devices>
    <disk type='block' device='disk'>
      <driver name='qemu' type='raw'/>
      <source dev='/dev/vg0/data'/>
      <target dev='vdb' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
    </disk>
  </devices>
</domain>
`;

interface Ctx {
  dir: string;
  config: string;
  binDir: string;
}
const test = suite<Ctx>('virtual-machine save_config_on_stop', { dir: '', config: '', binDir: '' });

test("decideSave: only a domain with the file's UUID replaces it, and only when it differs beyond whitespace", () => {
  const f = '/etc/libvirt/qemu/vm1.xml';
  const cases: Array<[string, string, string, string, RegExp?]> = [
    ['hot-plugged disk', FILE_XML, RUNNING_XML, 'write'],
    ['same, other indentation', FILE_XML, FILE_XML.replace(/\n\s*/g, '\n    '), 'unchanged'],
    ['same', FILE_XML, FILE_XML, 'unchanged'],
    [
      'another guest',
      FILE_XML,
      RUNNING_XML.replace(UUID, '9f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b'),
      'refuse',
      /^the running definition has UUID 9f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b, \/etc\/libvirt\/qemu\/vm1\.xml has 3c9b6f1e-.*; not overwriting it$/,
    ],
    ['running without a UUID', FILE_XML, RUNNING_XML.replace(/<uuid>.*<\/uuid>/, ''), 'refuse', /UUID \(none\)/],
    ['dumpxml printed garbage', FILE_XML, 'error: internal error\n', 'refuse', /^the running definition is not a domain \(not a libvirt domain definition/],
    ['file is not a domain', '<network><name>x</name></network>', RUNNING_XML, 'refuse', /^\/etc\/libvirt\/qemu\/vm1\.xml is not a domain definition/],
  ];
  for (const [name, file, running, kind, reason] of cases) {
    const d = decideSave(file, running, f);
    assert.is(d.kind, kind, name);
    if (d.kind === 'refuse' && reason) assert.match(d.reason, reason, name);
  }
  assert.ok(sameDefinition('<a>\n  <b/>\n</a>\n', '<a><b/></a>'));
  assert.not.ok(sameDefinition('<a><b/></a>', '<a><c/></a>'));
});

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-savecfg-'));
  const etc = path.join(ctx.dir, 'etc');
  mkdirSync(etc);
  ctx.config = path.join(etc, 'vm1.xml');
  writeFileSync(ctx.config, FILE_XML);
  ctx.binDir = standInTools(ctx.dir, ['virsh']);
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const run = (ctx: Ctx, action: string, rules: FakeRule[], env: Record<string, string> = {}) =>
  runVmAction(ctx, action, rules, { OCF_RESKEY_CRM_meta_interval: action === 'monitor' ? '10000' : '0', ...env });

const virsh = (...args: string[]) => ['virsh', '-c', 'qemu:///system', ...args];
const dumpxml = (stdout: string): FakeRule => ({ match: virsh('dumpxml', '--migratable', UUID), answer: { stdout } });
const stopsFine = (): FakeRule[] => [
  { match: virsh('domstate', '--reason', UUID), answer: { stdout: 'running (booted)\n' }, times: 1 },
  { match: virsh('shutdown', UUID), answer: { stdout: 'Domain vm1 is being shutdown\n' } },
  { match: virsh('domstate', '--reason', UUID), answer: { stdout: 'shut off (shutdown)\n' } },
];

test('stop with save_config_on_stop: the running definition replaces the file, owner and mode kept, before the shutdown', async (ctx) => {
  chownSync(ctx.config, 4321, 4322);
  chmodSync(ctx.config, 0o640);
  const r = await run(ctx, 'stop', [dumpxml(RUNNING_XML), ...stopsFine()], { OCF_RESKEY_save_config_on_stop: 'true' });
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(ctx.config, 'utf8'), RUNNING_XML);
  const st = statSync(ctx.config);
  assert.equal([st.uid, st.gid, (st.mode & 0o7777).toString(8)], [4321, 4322, '640']);
  assert.equal(readdirSync(path.dirname(ctx.config)), ['vm1.xml'], 'no temp file left behind');
  const commands = r.exec.commands();
  assert.ok(commands.findIndex((c) => c.includes('dumpxml')) < commands.findIndex((c) => c.includes(' shutdown ')), 'saved while the guest still ran');
});

test("stop with save_config_on_stop: another guest's definition is not written, and the stop still succeeds", async (ctx) => {
  const other = RUNNING_XML.replace(UUID, '9f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b');
  const r = await run(ctx, 'stop', [dumpxml(other), ...stopsFine()], { OCF_RESKEY_save_config_on_stop: 'true' });
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(ctx.config, 'utf8'), FILE_XML);
  assert.match(r.stderr, /save_config_on_stop: the running definition has UUID 9f0e1d2c-/);
});

test('stop without save_config_on_stop reads no definition and leaves the file alone', async (ctx) => {
  const r = await run(ctx, 'stop', [dumpxml(RUNNING_XML), ...stopsFine()]);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(ctx.config, 'utf8'), FILE_XML);
  assert.not.ok(r.exec.commands().some((c) => c.includes('dumpxml')));
});

test('monitor with save_config_on_stop logs a differing definition once, and again after it changes', async (ctx) => {
  const running: FakeRule = { match: virsh('domstate', '--reason', UUID), answer: { stdout: 'running (booted)\n' } };
  const env = { OCF_RESKEY_save_config_on_stop: 'true' };
  const drift = /the running definition of the guest differs from .*vm1\.xml/;
  const first = await run(ctx, 'monitor', [running, dumpxml(RUNNING_XML)], env);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stderr, drift);
  const second = await run(ctx, 'monitor', [running, dumpxml(RUNNING_XML)], env);
  assert.not.match(second.stderr, drift);
  const changed = await run(ctx, 'monitor', [running, dumpxml(RUNNING_XML.replace('vdb', 'vdc'))], env);
  assert.match(changed.stderr, drift);
  const inStep = await run(ctx, 'monitor', [running, dumpxml(FILE_XML)], env);
  assert.not.match(inStep.stderr, drift);
  assert.not.ok(existsSync(path.join(ctx.dir, 'state', 'vm1.config-drift')), 'in step again: the next difference is logged');
  const plain = await run(ctx, 'monitor', [running]);
  assert.equal(plain.exec.commands(), [`virsh -c qemu:///system domstate --reason ${UUID}`]);
});

test('save_config_on_stop: needs libvirt and a config file; validate-all wants its directory writable', async (ctx) => {
  standInTools(ctx.dir, ['xl']);
  const xl = await run(ctx, 'monitor', [], { OCF_RESKEY_backend: 'xl', OCF_RESKEY_name: 'vm1', OCF_RESKEY_save_config_on_stop: 'true' });
  assert.is(xl.code, 6, xl.stderr);
  assert.is(xl.reason, 'parameter save_config_on_stop=true needs backend=libvirt');
  const noConfig = await run(ctx, 'monitor', [], { OCF_RESKEY_config: '', OCF_RESKEY_name: 'vm1', OCF_RESKEY_save_config_on_stop: 'true' });
  assert.is(noConfig.code, 6, noConfig.stderr);
  assert.match(noConfig.reason, /^parameter save_config_on_stop=true needs config/);
  // root writes anywhere that exists: a directory that is gone stands in for one it may not write
  const missingDir = path.join(ctx.dir, 'gone');
  assert.is(
    saveConfigProblem({ save_config_on_stop: true, config: path.join(missingDir, 'vm1.xml') }),
    `save_config_on_stop: the directory ${missingDir} of config is not writable (ENOENT)`,
  );
  assert.is(saveConfigProblem({ save_config_on_stop: true, config: ctx.config }), undefined);
  assert.is(saveConfigProblem({ save_config_on_stop: false, config: path.join(missingDir, 'vm1.xml') }), undefined);
});

test.run();
