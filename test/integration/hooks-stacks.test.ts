// Every stack's generated hook, installed below a private root and called the way its network
// stack calls it (arguments, a from-scratch environment, cwd; ifupdown through the real run-parts),
// with a recording stand-in for ocfkit: the exact argv it receives, and the events it must ignore.
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installHooks } from '../../rules/hooks/install';
import { STACKS } from '../../rules/hooks/registry';
import { STACK_NAMES, type StackName } from '../../rules/hooks/types';
import { integrationSuite } from '../support/integration';
import * as needs from '../harness/needs';
import { repoRoot } from '../support/binaries';
import { callParents, fire, recordedCalls, recordingOcfkit, releaseGate, waitForCalls, type Event } from './hook-events';

const s = integrationSuite<{ dir: string }>(
  'hooks: each stack calls ocfkit drbd reconnect --iface IF',
  [needs.root, ...needs.binaries({ 'run-parts': 'debianutils', timeout: 'coreutils', logger: 'bsdutils' })],
  { dir: '' },
);
s.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-hooks-stacks-${process.pid}-`));
});
s.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** Installs `stack`'s hooks below dir/root calling a recording ocfkit in dir/bin; returns the hook files. */
function setUp(dir: string, stack: StackName, delaySeconds?: number, options: { gate?: boolean } = {}): string[] {
  const ocfkit = recordingOcfkit(path.join(dir, 'bin'), delaySeconds, options);
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
    assert.equal(
      calls,
      hooks.map(() => UP),
    );
  });
}

const ignored: Array<[StackName, Event, string]> = [
  ['ifupdown', { iface: '--all' }, 'IFACE=--all (ifup -a)'],
  ['ifupdown', { iface: 'lo' }, 'loopback'],
  // the METHOD check on its own: lo is also refused by name, so this one names another interface
  ['ifupdown', { iface: 'eth1', method: 'loopback' }, 'METHOD=loopback'],
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
    // returns once every process the hook started has exited: a reconnect it forked has recorded
    const ran = await fire(stack, hook!, event, undefined, { waitForDescendants: true });
    assert.is(ran.code, 0, `${stack} ${what}: ${ran.stderr}`);
    assert.equal(recordedCalls(path.join(sub, 'bin')), { finished: [], running: 0 }, `${stack}: ${what}`);
  }
});

s("waiting for the hook's descendants sees a forked reconnect finished (what the test above relies on)", async ({ dir }) => {
  const [hook] = setUp(dir, 'ifupdown', 1);
  await fire('ifupdown', hook!, { iface: 'eth1' }, undefined, { waitForDescendants: true });
  assert.equal(recordedCalls(path.join(dir, 'bin')), { finished: [UP], running: 0 });
});

/** A logger(1) stand-in in dir/logger-bin (test/fakes/hooks/recording-logger); returns its directory. */
function recordingLogger(dir: string): { bin: string; lines: () => string[] } {
  const bin = path.join(dir, 'logger-bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(path.join(repoRoot, 'test/fakes/hooks/recording-logger'), path.join(bin, 'logger'));
  chmodSync(path.join(bin, 'logger'), 0o755);
  const log = path.join(bin, 'log');
  return { bin, lines: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(0, -1) : []) };
}

// 120 s: the bound docs/hooks.md promises
s('every stack bounds the reconnect with timeout 120 and reports it through logger -t ocfkit-hook', async ({ dir }) => {
  for (const stack of STACK_NAMES) {
    const sub = path.join(dir, stack);
    const logger = recordingLogger(sub);
    const [hook] = setUp(sub, stack);
    const ocfkit = path.join(sub, 'bin', 'ocfkit');
    const ran = await fire(stack, hook!, { iface: 'eth1' }, undefined, { pathFirst: logger.bin, waitForDescendants: true });
    assert.is(ran.code, 0, `${stack}: ${ran.stderr}`);
    assert.equal(callParents(path.join(sub, 'bin')), [['timeout', '120', ocfkit, ...UP]], `${stack}: ocfkit runs under timeout`);
    assert.equal(
      logger.lines(),
      ['-t ocfkit-hook -p daemon.info\tstand-in ran: drbd reconnect --iface eth1', '-t ocfkit-hook -p daemon.info\tdrbd reconnect --iface eth1 exited 0'],
      stack,
    );
  }
});

s('a hook whose ocfkit is gone (package removed) logs a warning and exits 0, silently to its caller', async ({ dir }) => {
  for (const stack of STACK_NAMES) {
    const sub = path.join(dir, stack);
    const logger = recordingLogger(sub);
    const [hook] = setUp(sub, stack);
    const ocfkit = path.join(sub, 'bin', 'ocfkit');
    rmSync(ocfkit);
    const ran = await fire(stack, hook!, { iface: 'eth1' }, undefined, { pathFirst: logger.bin, waitForDescendants: true });
    // RHEL's hook passes a chained ifup-local's status through; there is none here
    assert.is(ran.code, 0, `${stack}: ${ran.stderr}`);
    assert.is(ran.stdout + ran.stderr, '', stack);
    assert.equal(logger.lines(), [`-t ocfkit-hook -p daemon.warning\t${ocfkit} is not executable: DRBD resources on eth1 not reconnected`], stack);
  }
});

s('NetworkManager acts on dhcp4-change, dhcp6-change and reapply too, and uses DEVICE_IP_IFACE', async ({ dir }) => {
  const [hook] = setUp(dir, 'networkmanager');
  await fire('networkmanager', hook!, { iface: 'eth1', action: 'dhcp4-change' });
  await fire('networkmanager', hook!, { iface: 'eth2', action: 'dhcp6-change' });
  await fire('networkmanager', hook!, { iface: 'ppp0-dev', ipIface: 'ppp0', action: 'reapply' });
  const calls = await waitForCalls(path.join(dir, 'bin'), 3);
  assert.equal(calls.map((c) => c.join(' ')).sort(), ['drbd reconnect --iface eth1', 'drbd reconnect --iface eth2', 'drbd reconnect --iface ppp0']);
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
  assert.is(ran.code, 3, "the chained script's exit status is the hook's");
  assert.is(readFileSync(marker, 'utf8'), 'eth1:0\n');
  assert.equal(await waitForCalls(path.join(dir, 'bin'), 1), [UP]);
});

s('a slow reconnect never holds up the network stack: the hook returns while ocfkit still runs', async ({ dir }) => {
  for (const stack of STACK_NAMES) {
    const sub = path.join(dir, stack);
    const bin = path.join(sub, 'bin');
    // the stand-in cannot finish before the test releases it: a hook that waited would never return
    const hooks = setUp(sub, stack, undefined, { gate: true });
    const ran = await fire(stack, hooks[0]!, { iface: 'eth1' });
    assert.is(ran.code, 0, stack);
    assert.equal(recordedCalls(bin).finished, [], stack);
    // released, the reconnect finishes on its own, with the argv the hook gave it
    releaseGate(bin);
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
