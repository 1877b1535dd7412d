// Every non-Debian stack's hook, end to end inside a network namespace: the replication address
// goes away (DRBD 8.4 fake drops to StandAlone), comes back, the stack's invoker calls the hook
// (test/harness/hook-invokers.ts), and the built dist/ocfkit reconnects the resource that dropped
// for a network reason but not the admin-disconnected one.
import * as assert from 'uvu/assert';
import path from 'node:path';
import { installHooks } from '../../rules/hooks/install';
import { STACKS } from '../../rules/hooks/registry';
import type { StackName } from '../../rules/hooks/types';
import * as needs from '../harness/needs';
import { networkNamespace, type NetNamespace } from '../harness/netns';
import { freshDir } from '../harness/tmp';
import { ocfkitBinary } from '../support/binaries';
import { fakeDrbd, fakeDrbdBin, type FakeDrbd } from '../support/fake-drbd';
import { integrationSuite } from '../support/integration';
import { file } from '../harness/needs';
import { fire, ocfkitWithFakeDrbd, reconnectCalls } from './hook-events';

const s = integrationSuite<{ ns?: NetNamespace; fake?: FakeDrbd }>(
  'hooks: every other stack, end to end with dist/ocfkit and the fake DRBD userland',
  [needs.root, needs.networkNamespaces, needs.mountNamespaces, ...needs.binaries({ timeout: 'coreutils' }), file(ocfkitBinary)],
  {},
);
s.after.each(async (ctx) => {
  await ctx.ns?.destroy();
  ctx.fake?.cleanup();
  ctx.ns = undefined;
  ctx.fake = undefined;
});

const stacks: StackName[] = ['suse-sysconfig', 'wicked', 'rhel-initscripts', 'networkmanager', 'networkd-dispatcher'];

for (const stack of stacks) {
  s(`${stack}: address gone and back, the hook reconnects r0 and leaves the admin-disconnected r1`, async (ctx) => {
    const ns = (ctx.ns = await networkNamespace());
    const dir = freshDir(`hooks-${stack}`);
    const fake = (ctx.fake = fakeDrbd(['--version', '8.4.11', '--check-ip']));
    const inNs = async (argv: string[]) => {
      const r = await ns.exec(argv, { env: { ...process.env, ...fake.env } });
      assert.is(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    const ctl = (...args: string[]) => inNs([path.join(fakeDrbdBin, 'fake-drbd'), ...args]);
    await inNs(['ip', 'link', 'set', 'veth0', 'up']);
    await inNs(['ip', 'link', 'set', 'veth1', 'up']);
    await inNs(['ip', 'addr', 'add', '10.99.0.1/24', 'dev', 'veth1']);
    await ctl('add', 'r0', '--minor', '0', '--local', '10.99.0.1:7790', '--peer', 'bob', '--remote', '10.99.0.2:7790');
    await ctl('add', 'r1', '--minor', '1', '--local', '10.99.0.1:7791', '--peer', 'bob', '--remote', '10.99.0.2:7791');
    const wrapper = ocfkitWithFakeDrbd(dir, fake);
    const root = path.join(dir, 'root');
    installHooks({ root, stack, ocfkit: wrapper, version: '0.0.0-test' });
    const hook = path.join(root, STACKS[stack].files({ ocfkit: wrapper, version: '0.0.0-test' })[0]!.path);

    // the interface is up and everything connected: the hook's first run records the baseline
    let ran = await fire(stack, hook, { iface: 'veth1' }, ns);
    assert.is(ran.code, 0, ran.stderr);
    assert.is((await reconnectCalls(dir, 1))[0]!.rc, 0);
    await inNs(['drbdadm', 'disconnect', 'r1']);

    await inNs(['ip', 'addr', 'del', '10.99.0.1/24', 'dev', 'veth1']);
    await ctl('tick');
    assert.equal([await ctl('state', 'r0'), await ctl('state', 'r1')], ['StandAlone', 'StandAlone']);
    await inNs(['ip', 'addr', 'add', '10.99.0.1/24', 'dev', 'veth1']);
    ran = await fire(stack, hook, { iface: 'veth1' }, ns);
    assert.is(ran.code, 0, ran.stderr);
    const calls = await reconnectCalls(dir, 2);
    assert.equal(
      calls.map((c) => c.argv.join(' ')),
      ['drbd reconnect --iface veth1', 'drbd reconnect --iface veth1'],
    );
    assert.match(calls[1]!.out, /r0:bob: StandAlone, reconnected \(connect r0\), now (WFConnection|Connected)\b/, calls[1]!.out);
    assert.match(calls[1]!.out, /r1:bob: StandAlone, leave \(admin-disconnect\)/, calls[1]!.out);
    await ctl('tick'); // DRBD completes the handshake it started
    assert.equal([await ctl('state', 'r0'), await ctl('state', 'r1')], ['Connected', 'StandAlone']);
    assert.equal(
      fake
        .read('calls.log')
        .split('\n')
        .filter((l) => l.startsWith('drbdadm connect')),
      ['drbdadm connect r0'],
    );
  });
}

s.run();
