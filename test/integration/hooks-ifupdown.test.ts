// The Debian hook run by the real ifup/ifdown (ifupdown's run-parts of /etc/network/if-up.d) for a
// veth interface in a network namespace with a private /etc/network (test/harness/netns.ts):
// first with a recording stand-in for ocfkit (the exact argv), then end to end with the built
// dist/ocfkit against the fake DRBD userland: after ifdown/ifup the resource that went StandAlone
// is reconnected; a split-brained one and an admin-disconnected one are not.
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { installHooks } from '../../rules/hooks/install';
import * as needs from '../harness/needs';
import { networkNamespace, type NetNamespace } from '../harness/netns';
import { freshDir } from '../harness/tmp';
import { ocfkitBinary } from '../support/binaries';
import { fakeDrbd, fakeDrbdBin, type FakeDrbd } from '../support/fake-drbd';
import { integrationSuite } from '../support/integration';
import { file } from '../harness/needs';
import { ocfkitWithFakeDrbd, reconnectCalls, recordedCalls, recordingOcfkit } from './hook-events';

const INTERFACES = ['auto lo', 'iface lo inet loopback', '', 'auto veth1', 'iface veth1 inet static', '\taddress 10.99.0.1/24', ''].join('\n');

/** Installs the ifupdown hook (calling `ocfkit`) into the namespace's private /etc/network. */
function installInto(ns: NetNamespace, ocfkit: string): void {
  const root = freshDir('hooks-root');
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  symlinkSync(ns.etcNetwork, path.join(root, 'etc/network'));
  installHooks({ root, stack: 'ifupdown', ocfkit, version: '0.0.0-test' });
}

async function freshNode(): Promise<NetNamespace> {
  const ns = await networkNamespace({ interfaces: INTERFACES });
  const up = await ns.exec(['ip', 'link', 'set', 'veth0', 'up']);
  assert.is(up.code, 0, up.stderr);
  return ns;
}

const s = integrationSuite<{ ns?: NetNamespace; fake?: FakeDrbd }>(
  'hooks: Debian hook run by real ifup/ifdown in a network namespace',
  [...needs.ifupdown, ...needs.binaries({ timeout: 'coreutils' }), file(ocfkitBinary)],
  {},
);
s.after.each(async (ctx) => {
  await ctx.ns?.destroy();
  ctx.fake?.cleanup();
  ctx.ns = undefined;
  ctx.fake = undefined;
});

s('recording stand-in: ifup -a, ifdown + ifup call "ocfkit drbd reconnect --iface veth1" each time, never for lo or --all', async (ctx) => {
  const ns = (ctx.ns = await freshNode());
  const bin = path.join(freshDir('hooks-bin'), 'bin');
  installInto(ns, recordingOcfkit(bin));

  // each ifup returns here once every process it started (the hooks' reconnects) has exited, so
  // the recorded calls are complete: a stray call for lo or --all would be among them
  const ifupAndWait = (...args: string[]) => ns.exec(['ifup', `--state-dir=${ns.stateDir}`, ...args], { waitForDescendants: true });
  let r = await ifupAndWait('-a');
  assert.is(r.code, 0, r.stderr);
  assert.equal(recordedCalls(bin), { finished: [['drbd', 'reconnect', '--iface', 'veth1']], running: 0 });
  assert.match((await ns.exec(['ip', '-br', 'addr', 'show', 'veth1'])).stdout, /10\.99\.0\.1\/24/);

  r = await ns.ifdown('veth1');
  assert.is(r.code, 0, r.stderr);
  r = await ifupAndWait('veth1');
  assert.is(r.code, 0, r.stderr);
  assert.is(recordedCalls(bin).running, 0);
  assert.equal(recordedCalls(bin).finished, [
    ['drbd', 'reconnect', '--iface', 'veth1'],
    ['drbd', 'reconnect', '--iface', 'veth1'],
  ]);
});

for (const version of ['8.4.11', '9.0.15']) {
  s(
    `end to end (DRBD ${version} fake, dist/ocfkit): ifdown/ifup reconnects the StandAlone resource, never the split-brained or admin-disconnected one`,
    async (ctx) => {
      const ns = (ctx.ns = await freshNode());
      const dir = freshDir('hooks-e2e');
      // the split-brain handler is ocfkit's own, so it records the marker the policy reads
      const fake = (ctx.fake = fakeDrbd(['--version', version, '--check-ip', '--split-brain-handler', `${path.join(dir, 'ocfkit')} drbd split-brain-handler`]));
      const wrapper = ocfkitWithFakeDrbd(dir, fake);
      const inNs = (argv: string[]) => ns.exec(argv, { env: { ...process.env, ...fake.env } });
      const ctl = async (...args: string[]) => {
        const r = await inNs([path.join(fakeDrbdBin, 'fake-drbd'), ...args]);
        assert.is(r.code, 0, `fake-drbd ${args.join(' ')}: ${r.stderr}`);
        return r.stdout.trim();
      };
      const states = async () => Promise.all(['r0', 'r1', 'r2', 'r9'].map((res) => ctl('state', res)));
      const connects = () =>
        fake
          .read('calls.log')
          .split('\n')
          .filter((l) => l.startsWith('drbdadm connect'));

      for (const [i, res] of ['r0', 'r1', 'r2'].entries()) {
        await ctl('add', res, '--minor', String(i), '--local', `10.99.0.1:${7790 + i}`, '--peer', 'bob', '--remote', `10.99.0.2:${7790 + i}`);
      }
      // a resource replicating over another interface: not the hook's business
      await ctl('add', 'r9', '--minor', '9', '--local', '10.98.0.1:7799', '--peer', 'bob', '--remote', '10.98.0.2:7799', '--state', 'StandAlone');
      installInto(ns, wrapper);

      // boot: the interface comes up, the hook runs; everything on veth1 is connected (the baseline)
      assert.is((await ns.ifup('veth1')).code, 0);
      let calls = await reconnectCalls(dir, 1);
      assert.equal(
        calls.map((c) => c.argv),
        [['drbd', 'reconnect', '--iface', 'veth1']],
      );
      assert.is(calls[0]!.rc, 0, calls[0]!.out);
      assert.equal(await states(), ['Connected', 'Connected', 'Connected', 'StandAlone']);

      // before the network event: the admin disconnects r2 on purpose, and r1 has met a split brain
      // (an admin's reconnect handshook, DRBD called ocfkit's split-brain handler and dropped it again)
      assert.is((await inNs(['drbdadm', 'disconnect', 'r2'])).code, 0);
      await ctl('set', 'r1', 'split-brain', 'yes');
      assert.is((await inNs(['drbdadm', 'disconnect', 'r1'])).code, 0);
      assert.is((await inNs(['drbdadm', 'connect', 'r1'])).code, 0);
      await ctl('tick');
      assert.match(fake.read('handler-calls.log'), /split-brain r1 bob/, 'r1 met its split brain (handler called)');
      assert.equal(await states(), ['Connected', 'StandAlone', 'StandAlone', 'StandAlone']);
      const before = connects().length;

      // network restart of the replication interface: its address goes away, r0 drops to StandAlone
      assert.is((await ns.ifdown('veth1')).code, 0);
      await ctl('tick');
      assert.equal(await states(), ['StandAlone', 'StandAlone', 'StandAlone', 'StandAlone']);
      assert.is((await ns.ifup('veth1')).code, 0);
      calls = await reconnectCalls(dir, 2);
      assert.equal(
        calls.map((c) => c.argv),
        [
          ['drbd', 'reconnect', '--iface', 'veth1'],
          ['drbd', 'reconnect', '--iface', 'veth1'],
        ],
      );
      const out = calls[1]!.out;
      assert.match(out, /r0:bob: StandAlone, reconnected \(connect r0(:bob)?\), now (WFConnection|Connecting|Connected)\b/, out);
      assert.match(out, /r1:bob: StandAlone, leave \(split-brain\)/, out);
      assert.match(out, /r2:bob: StandAlone, leave \(admin-disconnect\)/, out);
      assert.not.match(out, /r9/, 'r9 replicates over another interface');
      assert.is(calls[1]!.rc, 1, 'not everything on veth1 is connected (r1, r2)');
      await ctl('tick'); // DRBD completes the handshake it started
      assert.equal(await states(), ['Connected', 'StandAlone', 'StandAlone', 'StandAlone']);
      assert.equal(connects().slice(before), [version.startsWith('9') ? 'drbdadm connect r0:bob' : 'drbdadm connect r0'], 'only r0 was reconnected');
      assert.is(fake.read('forbidden.log'), '', 'never adjust, --discard-my-data or a role change');
    },
  );
}

s.run();
