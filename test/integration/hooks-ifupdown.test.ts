// The Debian hook run by the real ifup/ifdown (ifupdown's run-parts of /etc/network/if-up.d) for a
// veth interface in a network namespace, with a private /etc/network.
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { installHooks } from '../../rules/hooks/install';
import { integrationSuite } from '../support/integration';
import { binary, root } from '../support/needs';
import { recordedCalls, recordingOcfkit, waitForCalls } from './hook-invokers';
import { canMakeNamespaces, ifupdownNode, type IfupdownNode } from './ifupdown-netns';

const INTERFACES = ['auto lo', 'iface lo inet loopback', '', 'auto veth1', 'iface veth1 inet static', '\taddress 10.99.0.1/24', ''].join('\n');

const s = integrationSuite<{ node?: IfupdownNode }>(
  'hooks: Debian hook run by real ifup/ifdown in a network namespace',
  [root, binary('ifup'), binary('ifdown'), binary('ip'), binary('unshare'), { what: 'network and mount namespaces', check: canMakeNamespaces }],
  {},
);
s.after.each((ctx) => {
  ctx.node?.cleanup();
  ctx.node = undefined;
});

s('ifup, then ifdown + ifup: the hook calls ocfkit drbd reconnect --iface veth1 each time, never for lo or --all', async (ctx) => {
  const node = (ctx.node = ifupdownNode(INTERFACES));
  const bin = path.join(node.dir, 'bin');
  const ocfkit = recordingOcfkit(bin);
  // install below a private root whose etc/network is the node's /etc/network
  const rootDir = path.join(node.dir, 'root');
  mkdirSync(path.join(rootDir, 'etc'), { recursive: true });
  const { symlinkSync } = await import('node:fs');
  symlinkSync(node.etcNetwork, path.join(rootDir, 'etc/network'));
  installHooks({ root: rootDir, stack: 'ifupdown', ocfkit, version: '0.0.0-test' });

  let r = node.run(['ifup', '--state-dir', path.join(node.dir, 'state'), '-a']);
  assert.is(r.status, 0, r.stderr);
  assert.equal(await waitForCalls(bin, 1), [['drbd', 'reconnect', '--iface', 'veth1']]);
  assert.match(node.run(['ip', '-br', 'addr', 'show', 'veth1']).stdout, /10\.99\.0\.1\/24/);

  r = node.ifdown('veth1');
  assert.is(r.status, 0, r.stderr);
  r = node.ifup('veth1');
  assert.is(r.status, 0, r.stderr);
  const calls = await waitForCalls(bin, 2);
  await new Promise((resolve) => setTimeout(resolve, 500)); // a stray third call (lo, --all) would show up by now
  assert.equal(recordedCalls(bin).finished, calls);
  assert.equal(calls, [
    ['drbd', 'reconnect', '--iface', 'veth1'],
    ['drbd', 'reconnect', '--iface', 'veth1'],
  ]);
});

s.run();
