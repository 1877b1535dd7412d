// Host shutdown ordering proven on a real systemd: the agent (migrate_from, libvirt's test driver
// as the hypervisor) writes its drop-in into a scratch root; `systemd-analyze verify` reads it
// without a complaint; then systemd 252 boots in a container (systemd-nspawn, the host's /usr,
// a volatile root, the drop-in bound to /run/systemd/system/resource-agents-deps.target.d) and
// `systemctl list-dependencies --after` there shows the order Pacemaker stops in.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ocfkitBinary, runProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import * as needs from '../harness/needs';

interface Ctx {
  dir: string;
  root: string;
}
const suite = integrationSuite<Ctx>(
  'VirtualMachine host shutdown ordering on a real systemd',
  [
    needs.root,
    ...needs.binaries({ virsh: 'libvirt-clients', 'systemd-analyze': 'systemd', 'systemd-nspawn': 'systemd-container' }),
    needs.file('/usr/lib/systemd/system/resource-agents-deps.target', 'resource-agents'),
  ],
  { dir: '', root: '' },
);

const DEPS = 'run/systemd/system/resource-agents-deps.target.d';

suite.before((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-vm-order-'));
  ctx.root = path.join(ctx.dir, 'host');
  mkdirSync(path.join(ctx.root, 'run/systemd/system'), { recursive: true });
});
suite.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

function migrateFrom(ctx: Ctx) {
  const agent = path.join(ctx.dir, 'VirtualMachine');
  if (!readdirSync(ctx.dir).includes('VirtualMachine')) symlinkSync(ocfkitBinary, agent);
  // test:///default always has a running domain "test"; no migration source: migrate_from looks once
  return runProgram(agent, ['migrate_from'], {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'vm-order',
    OCF_RESKEY_hypervisor: 'test:///default',
    OCF_RESKEY_name: 'test',
    OCF_RESKEY_peers: 'none',
    OCF_RESKEY_state_dir: path.join(ctx.dir, 'state'),
    OCF_RESKEY_host_root: ctx.root,
    OCF_RESKEY_CRM_meta_timeout: '30000',
    OCF_RESKEY_CRM_meta_on_node: 'node1',
  });
}

suite('the agent writes the drop-in; systemd-analyze verify reads it cleanly', (ctx) => {
  const r = migrateFrom(ctx);
  assert.is(r.status, 0, r.stderr);
  const file = path.join(ctx.root, DEPS, '50-ocfkit-virtual-machine-libvirt.conf');
  assert.match(readFileSync(file, 'utf8'), /^After=libvirtd\.service /m);
  // a unit path holding the target and the drop-in directory, then the standard ones
  const units = path.join(ctx.dir, 'units');
  mkdirSync(path.join(units, 'resource-agents-deps.target.d'), { recursive: true });
  writeFileSync(path.join(units, 'resource-agents-deps.target'), readFileSync('/usr/lib/systemd/system/resource-agents-deps.target'));
  writeFileSync(path.join(units, 'resource-agents-deps.target.d', path.basename(file)), readFileSync(file));
  const verify = (): { status: number | null; stderr: string } =>
    spawnSync('systemd-analyze', ['verify', path.join(units, 'resource-agents-deps.target')], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_UNIT_PATH: `${units}:` },
    });
  const clean = verify();
  assert.is(clean.status, 0, clean.stderr);
  assert.is(clean.stderr.trim(), '', 'no complaint about the drop-in');
  // the same check complains about a broken drop-in: it does read the directory
  writeFileSync(path.join(units, 'resource-agents-deps.target.d', '99-broken.conf'), '[Unit]\nAfter=libvirtd.service\nNoSuchKey=1\n');
  assert.match(verify().stderr, /99-broken\.conf:3: Unknown key 'NoSuchKey'/);
});

suite("booted systemd (nspawn): Pacemaker is ordered after the target, the target after libvirt's units", (ctx) => {
  if (!readdirSync(path.join(ctx.root, DEPS)).length) assert.is(migrateFrom(ctx).status, 0);
  const out = path.join(ctx.dir, 'out');
  mkdirSync(out);
  const probe = path.join(ctx.dir, 'ocfkit-probe.service');
  writeFileSync(
    probe,
    `[Unit]
Description=read the shutdown ordering, then power off
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'systemctl list-dependencies --after --plain --no-legend resource-agents-deps.target > /out/deps.txt 2>&1; systemctl show -p After pacemaker.service > /out/pacemaker.txt 2>&1; systemctl poweroff'
`,
  );
  const existedBefore = new Set(readdirSync('/run/systemd'));
  try {
    const boot = spawnSync(
      'systemd-nspawn',
      [
        '-q',
        '--register=no',
        '--keep-unit',
        '-D',
        '/',
        '--volatile=yes',
        '--console=pipe',
        `--bind=${out}:/out`,
        `--bind-ro=${probe}:/etc/systemd/system/ocfkit-probe.service`,
        `--bind-ro=${path.join(ctx.root, DEPS)}:/${DEPS}`,
        '-b',
        '--',
        'systemd.unit=ocfkit-probe.service',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const deps = readFileSync(path.join(out, 'deps.txt'), 'utf8');
    const after = deps
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const unit of ['libvirtd.service', 'virtqemud.service', 'virtlockd.service', 'systemd-machined.service', 'libvirt-guests.service']) {
      assert.ok(after.includes(unit), `${unit} in:\n${deps}\n${boot.stderr}`);
    }
    assert.match(readFileSync(path.join(out, 'pacemaker.txt'), 'utf8'), /^After=.*\bresource-agents-deps\.target\b/m);
  } finally {
    // nspawn leaves empty bookkeeping directories under the host's /run/systemd
    for (const name of ['nspawn/propagate', 'nspawn', 'nspawn-root']) {
      if (!existedBefore.has(name.split('/')[0]!)) {
        try {
          rmdirSync(path.join('/run/systemd', name));
        } catch {
          // not empty or already gone: not ours to force
        }
      }
    }
  }
});

suite.run();
