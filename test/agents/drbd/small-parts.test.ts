import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalIp, formatAddress, parseAddressText, sameIp } from '../../../agents/drbd/address';
import { AddressBook, parseIpJsonAddr } from '../../../agents/drbd/interfaces';
import { retuneDevices } from '../../../agents/drbd/retune';
import { fakeExecutor } from '../../support/fake-executor';
import { classifyConnection } from '../../../agents/drbd/types';

test('addresses: events2 forms, brackets, scopes, IPv6 spellings compare equal', () => {
  assert.equal(parseAddressText('ipv4:10.1.1.31:7000'), { family: 'ipv4', address: '10.1.1.31', port: 7000 });
  assert.equal(parseAddressText('ipv6:[fe80::1%veth0]:7001'), { family: 'ipv6', address: 'fe80::1', port: 7001, scope: 'veth0' });
  assert.is(parseAddressText('nonsense'), undefined);
  assert.ok(sameIp('fd01:0:0::1', 'FD01::1'));
  assert.ok(sameIp('::ffff:10.0.0.1', '::ffff:a00:1'));
  assert.not.ok(sameIp('fd01::1', 'fd01::2'));
  assert.is(canonicalIp('10.1.1.31'), '10.1.1.31');
  assert.is(formatAddress({ family: 'ipv6', address: 'fe80::1', port: 7, scope: 'eth1' }), '[fe80::1%eth1]:7');
});

test('ip -j addr: interfaces by address; a scope narrows to that interface', () => {
  const book = new AddressBook(
    parseIpJsonAddr(
      JSON.stringify([
        { ifname: 'eth1', addr_info: [{ local: '10.1.1.31' }, { local: 'fe80::1' }] },
        { ifname: 'eth2', addr_info: [{ local: 'fe80::1' }] },
        { ifname: 'dummy0' },
      ]),
    ),
  );
  assert.equal(book.interfacesOf('10.1.1.31'), ['eth1']);
  assert.equal(book.interfacesOf('fe80::1'), ['eth1', 'eth2']);
  assert.equal(book.interfacesOf('fe80::1', 'eth2'), ['eth2']);
  assert.not.ok(book.has('10.9.9.9'));
  assert.throws(() => parseIpJsonAddr('not json'), /ip -j addr/);
});

test('udev retune command: one trigger for all devices, deduplicated and sorted', async () => {
  // a dry run with a rules file present (this file stands in for it) says what it would run
  const { command } = await retuneDevices(fakeExecutor([]), __filename, [3, 1, 3], true);
  assert.equal(command, ['udevadm', 'trigger', '--action=change', '--subsystem-match=block', '--sysname-match=drbd1', '--sysname-match=drbd3']);
});

test('connection classes cover both vocabularies', () => {
  assert.equal(['Connected', 'SyncTarget', 'Ahead', 'WFConnection', 'Connecting', 'NetworkFailure', 'StandAlone', 'Unconfigured'].map(classifyConnection), [
    'connected',
    'connected',
    'connected',
    'retrying',
    'retrying',
    'retrying',
    'standalone',
    'down',
  ]);
});

test.run();
