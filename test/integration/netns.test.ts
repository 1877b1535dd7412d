// Proves the network-hook harness: real ifup/ifdown in a network namespace with a private
// /etc/network run an if-up.d hook exactly as on a Debian node; the other stacks' invokers call
// a hook with their argv/env conventions.
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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

s('other stacks: NetworkManager, networkd-dispatcher, SUSE sysconfig, wicked, RHEL ifup-local', async () => {
  const dir = freshDir('invokers');
  const out = path.join(dir, 'calls.log');
  const script = path.join(dir, 'hook');
  writeFileSync(script, envRecorderHook(out), { mode: 0o755 });
  const last = () => readRecordedCalls(readFileSync(out, 'utf8')).pop()!;

  await networkManagerDispatcher(script, { iface: 'eth1', ip4Addresses: ['192.0.2.2/24'] });
  assert.is(last().args, 'eth1 up');
  assert.equal([last().env.DEVICE_IFACE, last().env.NM_DISPATCHER_ACTION, last().env.IP4_ADDRESS_0], ['eth1', 'up', '192.0.2.2/24 0.0.0.0']);

  await networkdDispatcher(script, { iface: 'eth1', ipAddrs: ['192.0.2.2'] });
  assert.is(last().args, '');
  assert.equal([last().env.IFACE, last().env.STATE, last().env.ADDR], ['eth1', 'routable', '192.0.2.2']);

  await suseSysconfigIfUp(script, { iface: 'eth1' });
  assert.is(last().args, 'eth1 eth1 -o rc');

  await wickedPostUp(script, { iface: 'eth1' });
  assert.is(last().args, 'eth1 eth1 -o post-up');
  assert.equal([last().env.INTERFACE, last().env.CONFIG], ['eth1', 'eth1']);

  await rhelIfupLocal(script, { device: 'eth1' });
  assert.is(last().args, 'eth1');

  chmodSync(script, 0o775);
  assert.throws(() => networkManagerDispatcher(script, { iface: 'eth1' }), /writable by group or others/);
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
