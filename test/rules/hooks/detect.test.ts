import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { chooseStack, detectStack } from '../../../rules/hooks/detect';
import { rootProbe } from '../../../rules/hooks/probe';
import { fakeRoot, NODES, program } from './fake-root';

const roots: string[] = [];
const detect = (entries: Parameters<typeof fakeRoot>[0], iface?: string) => {
  const root = fakeRoot(entries);
  roots.push(root);
  return detectStack(rootProbe(root), iface);
};
const s = suite('network stack detection');
s.after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const cases: Array<[keyof typeof NODES, string]> = [
  ['debian', 'ifupdown'],
  ['sles11', 'suse-sysconfig'],
  ['sles15', 'wicked'],
  ['rhel7', 'rhel-initscripts'],
  ['rhel9', 'networkmanager'],
  ['ubuntu', 'networkd-dispatcher'],
];
for (const [node, stack] of cases) {
  s(`${node}: ${stack}`, () => {
    const found = detect(NODES[node]);
    assert.is(found.kind, 'found', JSON.stringify(found));
    if (found.kind === 'found') assert.is(found.stack, stack);
    const byIface = detect(NODES[node], 'eth1');
    assert.is(byIface.kind === 'found' && byIface.stack, stack, JSON.stringify(byIface));
  });
}

s('an empty root: none, with a message that names --stack', () => {
  const found = detect({});
  assert.is(found.kind, 'none');
  if (found.kind !== 'found') assert.match(found.message, /--stack/);
});

s('wicked hides SUSE sysconfig (both read ifcfg files; wicked runs)', () => {
  const found = detect(NODES.sles15);
  assert.equal(
    found.candidates.map((c) => c.stack),
    ['wicked'],
  );
});

s('Debian with ifupdown and an enabled NetworkManager: ambiguous until --iface says which configures the interface', () => {
  const node = { ...NODES.debian, ...NODES.rhel9, '/etc/NetworkManager/system-connections/repl.nmconnection': '[connection]\ninterface-name=wlan0\n' };
  const plain = detect(node);
  assert.is(plain.kind, 'ambiguous');
  if (plain.kind !== 'found') assert.match(plain.message, /ifupdown .*networkmanager|networkmanager .*ifupdown/);
  const eth1 = detect(node, 'eth1');
  assert.is(eth1.kind === 'found' && eth1.stack, 'ifupdown');
  const wlan0 = detect(node, 'wlan0');
  assert.is(wlan0.kind === 'found' && wlan0.stack, 'networkmanager');
});

s('RHEL 7 with NetworkManager managing the interface: NetworkManager, not ifup-local', () => {
  const node = {
    ...NODES.rhel7,
    '/etc/sysconfig/network-scripts/ifcfg-eth1': 'DEVICE=eth1\nIPADDR=10.1.1.31\n',
    '/etc/systemd/system/multi-user.target.wants/NetworkManager.service': { link: '/usr/lib/systemd/system/NetworkManager.service' },
  };
  const found = detect(node, 'eth1');
  assert.is(found.kind === 'found' && found.stack, 'networkmanager', JSON.stringify(found));
});

s('installed-only stacks count when nothing is active; several installed ones are ambiguous', () => {
  const found = detect({ '/usr/bin/networkd-dispatcher': program });
  assert.is(found.kind === 'found' && found.stack, 'networkd-dispatcher');
  assert.is(detect({ '/usr/bin/networkd-dispatcher': program, '/usr/sbin/NetworkManager': program }).kind, 'ambiguous');
});

s('chooseStack is pure: active beats installed', () => {
  const found = chooseStack([
    { stack: 'networkmanager', evidence: { strength: 'installed', reasons: ['x'] } },
    { stack: 'ifupdown', evidence: { strength: 'active', reasons: ['y'] } },
  ]);
  assert.is(found.kind === 'found' && found.stack, 'ifupdown');
});

s.run();
