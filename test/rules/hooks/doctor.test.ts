import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { doctor } from '../../../rules/hooks/doctor';
import { installHooks } from '../../../rules/hooks/install';
import { addToRoot, fakeRoot, NODES, program } from './fake-root';

const version = '0.0.0-test';
const repl = (...ifaces: string[]) => ({ ifaces, from: '--iface', notes: [] });
const ocfkit = { '/usr/sbin/ocfkit': program };
const s = suite<{ roots: string[] }>('hooks doctor', { roots: [] });
s.after((ctx) => {
  for (const root of ctx.roots) rmSync(root, { recursive: true, force: true });
});
const node = (ctx: { roots: string[] }, entries: Parameters<typeof fakeRoot>[0]) => {
  const root = fakeRoot({ ...entries, ...ocfkit });
  ctx.roots.push(root);
  return root;
};

s('Debian without the hook: stack found, hook missing, a problem', (ctx) => {
  const root = node(ctx, NODES.debian);
  const report = doctor({ root, version });
  assert.is(report.stack, 'ifupdown');
  assert.equal(
    report.hooks.map((h) => [h.path, h.state]),
    [['/etc/network/if-up.d/ocfkit-drbd-reconnect', 'missing']],
  );
  assert.is(report.problems.length, 1);
});

s('after install: intact, no problems; then modified, outdated, loosened mode, foreign', (ctx) => {
  const root = node(ctx, NODES.debian);
  installHooks({ root, stack: 'ifupdown', ocfkit: '/usr/sbin/ocfkit', version });
  let report = doctor({ root, version });
  assert.equal(
    report.hooks.map((h) => h.state),
    ['intact'],
  );
  assert.is(report.hooks[0]!.ocfkit, '/usr/sbin/ocfkit');
  assert.equal(report.problems, []);

  const hook = path.join(root, 'etc/network/if-up.d/ocfkit-drbd-reconnect');
  const text = readFileSync(hook, 'utf8');
  assert.equal(
    doctor({ root, version: '9.9.9' }).hooks.map((h) => h.state),
    ['outdated'],
  );

  writeFileSync(hook, text.replace('LIMIT=120', 'LIMIT=5'));
  report = doctor({ root, version });
  assert.equal(
    report.hooks.map((h) => h.state),
    ['modified'],
  );

  writeFileSync(hook, text);
  chmodSync(hook, 0o777);
  report = doctor({ root, version });
  assert.equal(
    report.hooks.map((h) => h.state),
    ['intact'],
  );
  assert.match(report.problems.join('\n'), /0777 is group- or world-writable/);

  chmodSync(hook, 0o755);
  chmodSync(path.dirname(hook), 0o777);
  assert.match(doctor({ root, version }).problems.join('\n'), /its directory is group- or world-writable \(mode 0777\)/);
  chmodSync(path.dirname(hook), 0o755);

  writeFileSync(hook, '#!/bin/sh\necho mine\n');
  assert.equal(
    doctor({ root, version }).hooks.map((h) => h.state),
    ['foreign'],
  );
});

s('a hook generated with another --ocfkit is intact, and a missing ocfkit is a problem', (ctx) => {
  const root = node(ctx, NODES.debian);
  installHooks({ root, stack: 'ifupdown', ocfkit: '/opt/ocfkit/ocfkit', version });
  const report = doctor({ root, version });
  assert.equal(
    report.hooks.map((h) => h.state),
    ['intact'],
  );
  assert.match(report.problems.join('\n'), /calls \/opt\/ocfkit\/ocfkit, which is not there/);
  addToRoot(root, { '/opt/ocfkit/ocfkit': program });
  assert.equal(doctor({ root, version }).problems, []);
});

s('SUSE sysconfig: STARTMODE=nfsroot reported with the seed note; GLOBAL_POST_UP_EXEC=no is a problem', (ctx) => {
  const root = node(ctx, NODES.sles11);
  installHooks({ root, stack: 'suse-sysconfig', ocfkit: '/usr/sbin/ocfkit', version });
  const report = doctor({ root, version, replication: repl('eth1') });
  assert.is(report.stack, 'suse-sysconfig');
  assert.is(report.globalPostUpExec, 'no');
  assert.equal(
    report.startmodes.map((m) => [m.iface, m.startmode]),
    [['eth1', 'nfsroot']],
  );
  assert.match(report.startmodes[0]!.note, /no post-up hook runs/);
  assert.match(report.problems.join('\n'), /GLOBAL_POST_UP_EXEC is not 'yes'/);
  addToRoot(root, { '/etc/sysconfig/network/config.new': '' });
  writeFileSync(path.join(root, 'etc/sysconfig/network/config'), "GLOBAL_POST_UP_EXEC='yes'\n");
  assert.equal(doctor({ root, version, replication: repl('eth1') }).problems, []);
});

s('wicked: the hook is not enough until ifcfg-IF names it; STARTMODE defaults to manual', (ctx) => {
  const root = node(ctx, { ...NODES.sles15, '/etc/sysconfig/network/ifcfg-eth2': "IPADDR='10.2.2.2/24'\n" });
  installHooks({ root, stack: 'wicked', ocfkit: '/usr/sbin/ocfkit', version });
  let report = doctor({ root, version });
  assert.equal(
    report.startmodes.map((m) => [m.iface, m.startmode]),
    [
      ['eth1', 'auto'],
      ['eth2', 'manual'],
    ],
  );
  assert.match(report.problems.join('\n'), /no \/etc\/sysconfig\/network\/ifcfg-\* names the hook/);
  assert.match(doctor({ root, version, replication: repl('eth1') }).problems.join('\n'), /ifcfg-eth1: POST_UP_SCRIPT is not set/);
  installHooks({ root, stack: 'wicked', ocfkit: '/usr/sbin/ocfkit', version, iface: 'eth1' });
  report = doctor({ root, version, replication: repl('eth1') });
  assert.is(report.startmodes[0]!.postUpScript, 'compat:suse:/etc/sysconfig/network/scripts/ocfkit-drbd-reconnect');
  assert.equal(report.problems, []);
  assert.equal(doctor({ root, version }).problems, [], 'eth2 (not replication) need not name the hook');
  assert.match(doctor({ root, version, replication: repl('eth2') }).problems.join('\n'), /ifcfg-eth2: POST_UP_SCRIPT is not set/);
});

s('RHEL: a chained ifup-local is reported', (ctx) => {
  const root = node(ctx, { ...NODES.rhel7, '/sbin/ifup-local': { mode: 0o755, content: '#!/bin/sh\n' } });
  installHooks({ root, stack: 'rhel-initscripts', ocfkit: '/usr/sbin/ocfkit', version });
  const report = doctor({ root, version });
  assert.is(report.chained, '/sbin/ifup-local.ocfkit-chained');
  assert.equal(report.problems, []);
});

s('no stack found: reported as a problem, not a crash; --stack overrides detection', (ctx) => {
  const root = node(ctx, {});
  const report = doctor({ root, version });
  assert.is(report.stack, undefined);
  assert.match(report.problems.join('\n'), /no supported network stack/);
  assert.is(doctor({ root, version, stack: 'networkmanager' }).stack, 'networkmanager');
});

s.run();
