// Every stack's generated hook, installed below a private root and called the way its network
// stack calls it (arguments, a from-scratch environment, cwd; ifupdown through the real run-parts),
// with a recording stand-in for ocfkit: the exact argv it receives, and the events it must ignore.
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installHooks } from '../../rules/hooks/install';
import { STACKS } from '../../rules/hooks/registry';
import { STACK_NAMES, type StackName } from '../../rules/hooks/types';
import { integrationSuite } from '../support/integration';
import * as needs from '../harness/needs';
import { fire, recordedCalls, recordingOcfkit, waitForCalls, type Event } from './hook-events';

const s = integrationSuite<{ dir: string }>('hooks: each stack calls ocfkit drbd reconnect --iface IF', [needs.root, ...needs.binaries({ 'run-parts': 'debianutils', timeout: 'coreutils', logger: 'bsdutils' })], { dir: '' });
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-hooks-stacks-${process.pid}-`));
});
s.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** Installs `stack`'s hooks below dir/root calling a recording ocfkit in dir/bin; returns the hook files. */
function setUp(dir: string, stack: StackName, delaySeconds?: number): string[] {
  const ocfkit = recordingOcfkit(path.join(dir, 'bin'), delaySeconds);
  const root = path.join(dir, 'root');
  installHooks({ root, stack, ocfkit, version: '0.0.0-test' });
  return STACKS[stack].files({ ocfkit, version: '0.0.0-test' }).map((f) => path.join(root, f.path));
}

const UP = ['drbd', 'reconnect', '--iface', 'eth1'];

for (const stack of STACK_NAMES) {
  s(`${stack}: "interface up" runs exactly ${UP.join(' ')}`, async ({ dir }) => {
    const hooks = setUp(dir, stack);
    for (const hook of hooks) {
      const ran = await fire(stack, hook, { iface: 'eth1' });
      assert.is(ran.code, 0, `${hook}: ${ran.stderr}`);
      assert.is(ran.stdout + ran.stderr, '', 'a hook prints nothing to its caller');
    }
    const calls = await waitForCalls(path.join(dir, 'bin'), hooks.length);
    assert.equal(calls, hooks.map(() => UP));
  });
}

const ignored: Array<[StackName, Event, string]> = [
  ['ifupdown', { iface: '--all' }, 'IFACE=--all (ifup -a)'],
  ['ifupdown', { iface: 'lo' }, 'loopback'],
  ['ifupdown', { iface: 'eth1', action: 'stop' }, 'MODE=stop'],
  ['ifupdown', { iface: 'eth1', phase: 'pre-up' }, 'PHASE=pre-up'],
  ['wicked', { iface: 'eth1', action: 'pre-down' }, '-o pre-down'],
  ['networkmanager', { iface: 'eth1', action: 'down' }, 'action down'],
  ['networkmanager', { iface: 'eth1', action: 'pre-up' }, 'action pre-up'],
  ['networkmanager', { iface: 'eth1', action: 'connectivity-change' }, 'action connectivity-change'],
  ['networkd-dispatcher', { iface: '' }, 'no IFACE'],
  ['rhel-initscripts', { iface: 'eth1 ; touch /tmp/x' }, 'an unexpected device name'],
];

s('events that are not "interface up" (or name no usable interface) never call ocfkit', async ({ dir }) => {
  for (const [stack, event, what] of ignored) {
    const sub = path.join(dir, `${stack}-${ignored.findIndex((c) => c[2] === what)}`);
    const [hook] = setUp(sub, stack);
    const ran = await fire(stack, hook!, event);
    assert.is(ran.code, 0, `${stack} ${what}: ${ran.stderr}`);
  }
  // the reconnect would have been forked before the hook exited; give any stray child time to record
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const [stack, , what] of ignored) {
    const sub = path.join(dir, `${stack}-${ignored.findIndex((c) => c[2] === what)}`);
    assert.equal(recordedCalls(path.join(sub, 'bin')).finished, [], `${stack}: ${what}`);
  }
});

s('NetworkManager acts on dhcp4-change and reapply too, and uses DEVICE_IP_IFACE', async ({ dir }) => {
  const [hook] = setUp(dir, 'networkmanager');
  await fire('networkmanager', hook!, { iface: 'eth1', action: 'dhcp4-change' });
  await fire('networkmanager', hook!, { iface: 'ppp0-dev', ipIface: 'ppp0', action: 'reapply' });
  const calls = await waitForCalls(path.join(dir, 'bin'), 2);
  assert.equal(calls.map((c) => c.join(' ')).sort(), ['drbd reconnect --iface eth1', 'drbd reconnect --iface ppp0']);
});

s('RHEL: an alias device reconnects its parent; a chained ifup-local runs first with the same arguments and keeps its exit status', async ({ dir }) => {
  const root = path.join(dir, 'root');
  const chained = path.join(root, 'sbin/ifup-local');
  const marker = path.join(dir, 'chained-ran');
  // the admin's ifup-local, there before ocfkit
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(chained), { recursive: true });
  writeFileSync(chained, `#!/bin/sh\nprintf '%s\\n' "$@" > '${marker}'\nexit 3\n`);
  chmodSync(chained, 0o755);
  const [hook] = setUp(dir, 'rhel-initscripts');
  assert.ok(existsSync(`${chained}.ocfkit-chained`));
  const ran = await fire('rhel-initscripts', hook!, { iface: 'eth1:0' });
  assert.is(ran.code, 3, 'the chained script\'s exit status is the hook\'s');
  assert.is(readFileSync(marker, 'utf8'), 'eth1:0\n');
  assert.equal(await waitForCalls(path.join(dir, 'bin'), 1), [UP]);
});

s('a slow reconnect never holds up the network stack: the hook returns while ocfkit still runs', async ({ dir }) => {
  for (const stack of STACK_NAMES) {
    const sub = path.join(dir, stack);
    const bin = path.join(sub, 'bin');
    const hooks = setUp(sub, stack, 2);
    const ran = await fire(stack, hooks[0]!, { iface: 'eth1' });
    assert.is(ran.code, 0, stack);
    // the hook is back while the (2 s) reconnect has not finished: it did not wait for it
    assert.equal(recordedCalls(bin).finished, [], stack);
    // and the reconnect finishes on its own, with the argv the hook gave it
    assert.equal(await waitForCalls(bin, 1), [UP], stack);
  }
});

s('one reconnect at a time: two events for the same interface (inet and inet6 stanzas) run one after the other', async ({ dir }) => {
  const [hook] = setUp(dir, 'ifupdown', 1);
  const bin = path.join(dir, 'bin');
  await fire('ifupdown', hook!, { iface: 'eth1' });
  await fire('ifupdown', hook!, { iface: 'eth1' });
  let overlapped = false;
  const until = Date.now() + 15_000;
  while (recordedCalls(bin).finished.length < 2 && Date.now() < until) {
    if (recordedCalls(bin).running > 1) overlapped = true;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.not.ok(overlapped, 'two reconnects ran at once');
  assert.equal(recordedCalls(bin).finished, [UP, UP]);
});

s.run();
