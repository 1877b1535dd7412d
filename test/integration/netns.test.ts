// Proves the network-hook harness: real ifup/ifdown in a network namespace with a private
// /etc/network run an if-up.d hook exactly as on a Debian node; the other stacks' invokers call
// a hook with the environment they build, and the dispatchers' file checks hold.
import { chmodSync, chownSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import { networkManagerDispatcher, networkdDispatcher, rhelIfupLocal, suseSysconfigIfUp, wickedPostUp } from '../harness/hook-invokers';
import * as needs from '../harness/needs';
import { envRecorderHook, networkNamespace, readRecordedCalls } from '../harness/netns';
import { freshDir } from '../harness/tmp';

const s = integrationSuite('network hooks: ifupdown in a network namespace, other stacks by convention', needs.ifupdown);

s('ifup runs an if-up.d hook with the ifupdown environment; ifdown/ifup runs it again', async () => {
  const machineHooks = readdirSync('/etc/network/if-up.d').sort();
  const out = path.join(freshDir('hook-out'), 'calls.log');
  const ns = await networkNamespace();
  ns.writeInterfaces('auto lo\niface lo inet loopback\n\niface veth1 inet static\n\taddress 192.0.2.2/24\n\tocfkit-test-option yes\n');
  ns.addHook('if-up.d', 'ocfkit-test', envRecorderHook(out));
  ns.addHook('if-up.d', 'skipped.sh', envRecorderHook(`${out}.sh-ran`));
  await ns.exec(['ip', 'link', 'set', 'veth0', 'up']);

  const up = await ns.ifup('veth1');
  assert.is(up.code, 0, up.stderr);
  const calls = readRecordedCalls(readFileSync(out, 'utf8'));
  assert.is(calls.length, 1);
  const env = calls[0]!.env;
  assert.is(calls[0]!.args, '', 'run-parts passes no arguments');
  assert.equal([env.IFACE, env.LOGICAL, env.ADDRFAM, env.METHOD, env.MODE, env.PHASE], ['veth1', 'veth1', 'inet', 'static', 'start', 'post-up']);
  assert.is(env.IF_ADDRESS, '192.0.2.2', 'ifupdown splits address/prefix into IF_ADDRESS and IF_NETMASK');
  assert.is(env.IF_OCFKIT_TEST_OPTION, 'yes');
  assert.not.ok(existsSync(`${out}.sh-ran`), 'run-parts skips hook names with a dot');
  const addr = await ns.exec(['ip', '-o', 'addr', 'show', 'veth1']);
  assert.match(addr.stdout, /inet 192\.0\.2\.2\/24/);

  assert.is((await ns.ifdown('veth1')).code, 0);
  assert.is((await ns.ifup('veth1')).code, 0);
  assert.is(readRecordedCalls(readFileSync(out, 'utf8')).length, 2);
  assert.equal(readdirSync('/etc/network/if-up.d').sort(), machineHooks, "the machine's hooks are unchanged");
  await ns.destroy();
  const list = await import('../harness/proc').then((p) => p.run(['ip', 'netns', 'list']));
  assert.not.match(list.stdout, new RegExp(`^${ns.name}\\b`, 'm'));
});

// The invokers' argv and variables are the harness's reading of each stack (rules/hooks/*.ts say
// where from); asserting them back here would only repeat that reading. What the harness itself
// must get right: a hook sees nothing of the test process's environment (the stacks build theirs
// from scratch), runs in the stack's working directory, and the dispatchers' file checks refuse
// what the real dispatchers refuse to run.
s('invokers: the hook sees only the environment its stack builds; dispatchers refuse files they would not run', async () => {
  const dir = freshDir('invokers');
  const out = path.join(dir, 'calls.log');
  const script = path.join(dir, 'hook');
  writeFileSync(script, envRecorderHook(out), { mode: 0o755 });
  const last = () => readRecordedCalls(readFileSync(out, 'utf8')).pop()!;
  process.env.OCFKIT_TEST_NOT_FOR_HOOKS = 'leaked';
  try {
    const invocations: Array<[string, () => Promise<unknown>]> = [
      ['NetworkManager', () => networkManagerDispatcher(script, { iface: 'eth1', ip4Addresses: ['192.0.2.2/24'] })],
      ['networkd-dispatcher', () => networkdDispatcher(script, { iface: 'eth1', ipAddrs: ['192.0.2.2'] })],
      ['SUSE sysconfig', () => suseSysconfigIfUp(script, { iface: 'eth1' })],
      ['wicked', () => wickedPostUp(script, { iface: 'eth1' })],
      ['RHEL ifup-local', () => rhelIfupLocal(script, { device: 'eth1' })],
    ];
    for (const [stack, invoke] of invocations) {
      await invoke();
      const call = last();
      assert.is(call.env.OCFKIT_TEST_NOT_FOR_HOOKS, undefined, `${stack}: the test's environment leaked into the hook`);
      assert.is(call.env.PATH, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', stack);
      assert.ok(call.cwd === '/' || call.cwd === '/etc/sysconfig/network', `${stack}: cwd ${call.cwd}`);
    }
  } finally {
    delete process.env.OCFKIT_TEST_NOT_FOR_HOOKS;
  }

  chmodSync(script, 0o775);
  assert.throws(() => networkManagerDispatcher(script, { iface: 'eth1' }), /writable by group or others/);
  chmodSync(script, 0o754);
  chownSync(script, 0, 1);
  assert.throws(() => networkdDispatcher(script, { iface: 'eth1' }), /group is not root/);
  chownSync(script, 0, 0);
  chmodSync(script, 0o644);
  assert.throws(() => networkdDispatcher(script, { iface: 'eth1' }), /not executable/);
});

s('an invoker can run the hook inside the namespace', async () => {
  const ns = await networkNamespace();
  const out = path.join(freshDir('ns-invoker'), 'calls.log');
  const script = ns.addHook('if-up.d', 'nm-hook', envRecorderHook(out));
  await ns.exec(['ip', 'link', 'set', 'veth1', 'up']);
  const result = await rhelIfupLocal('/etc/network/if-up.d/nm-hook', { device: 'veth1', ns });
  assert.is(result.code, 0, result.stderr);
  assert.ok(existsSync(script));
  assert.is(readRecordedCalls(readFileSync(out, 'utf8'))[0]!.args, 'veth1');
  await ns.destroy();
});

s.run();
