import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import type { ResolvedResource } from '../../../agents/drbd/config-endpoints';
import { AddressBook } from '../../../agents/drbd/interfaces';
import { runInstall } from '../../../agents/cli/commands/hooks-logic';
import { detectStackFor } from '../../../rules/hooks/detect';
import { rootProbe } from '../../../rules/hooks/probe';
import { interfacesOfConfig } from '../../../rules/hooks/replication';
import { fakeRoot, NODES } from './fake-root';

const resource = (name: string, locals: Array<{ address: string; scope?: string } | undefined>): ResolvedResource => ({
  name,
  local: undefined,
  volumes: [],
  peers: locals.map((local, i) => ({
    peer: `peer${i}`,
    peerNodeId: i + 1,
    paths: [{ local: local ? { family: local.address.includes(':') ? 'ipv6' : 'ipv4', port: 7789, ...local } : undefined, remote: undefined }],
  })),
});

test('interfaces holding the configured local addresses, IPv6 scope respected; unplaced addresses noted', () => {
  const book = new AddressBook([
    { ifname: 'lo', addresses: ['127.0.0.1', '::1'] },
    { ifname: 'eth1', addresses: ['10.1.1.31', 'fe80::1'] },
    { ifname: 'eth2', addresses: ['10.2.2.31', 'fe80::1'] },
  ]);
  const found = interfacesOfConfig(
    [resource('r0', [{ address: '10.1.1.31' }]), resource('r1', [{ address: 'fe80::1', scope: 'eth2' }, { address: '10.9.9.9' }, undefined])],
    book,
  );
  assert.equal(found.ifaces, ['eth1', 'eth2']);
  assert.equal(found.notes, ['r1:peer1: local address 10.9.9.9 is on no interface now']);
});

const debianWithNm = {
  ...NODES.debian,
  '/etc/network/interfaces.d/eth2': 'iface eth2 inet static\n',
  ...NODES.rhel9,
  '/etc/NetworkManager/system-connections/repl.nmconnection': '[connection]\ninterface-name=wlan0\n',
};

test('several replication interfaces: one stack when they agree, ambiguous when they do not', () => {
  const root = fakeRoot(debianWithNm);
  try {
    const probe = rootProbe(root);
    const same = detectStackFor(probe, ['eth1', 'eth2']);
    assert.is(same.kind === 'found' && same.stack, 'ifupdown', JSON.stringify(same));
    const mixed = detectStackFor(probe, ['eth1', 'wlan0']);
    assert.is(mixed.kind, 'ambiguous');
    if (mixed.kind !== 'found') assert.match(mixed.message, /different network stacks \(eth1: ifupdown, wlan0: networkmanager\)/);
    assert.is(detectStackFor(probe, ['eth1', 'eth9']).kind, 'ambiguous', 'eth9 is configured by neither');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("hooks install without --stack or --iface: the DRBD configuration's interface picks the stack", async () => {
  const root = fakeRoot(debianWithNm);
  const out: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
  try {
    let failed: unknown;
    try {
      await runInstall(
        {
          root,
          ocfkit: '/usr/sbin/ocfkit',
          version: '0.0.0-test',
          discover: async () => ({ ifaces: [], notes: ['no DRBD resource for this node in the configuration'] }),
        },
        io,
      );
    } catch (error) {
      failed = error;
    }
    assert.match(String(failed), /several active network stacks/);
    const rc = await runInstall({ root, ocfkit: '/usr/sbin/ocfkit', version: '0.0.0-test', discover: async () => ({ ifaces: ['eth1'], notes: [] }) }, io);
    assert.is(rc, 0);
    const text = out.join('');
    assert.match(text, /replication interfaces \(DRBD configuration\): eth1\n/);
    assert.match(text, /network stack: ifupdown \(it configures eth1\)\n/);
    assert.match(text, /installed .*etc\/network\/if-up.d\/ocfkit-drbd-reconnect/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
