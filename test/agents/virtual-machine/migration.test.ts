import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { migrationHost, migrationRequest } from '../../../agents/virtual-machine/migration';
import { virshMigrateArgs } from '../../../agents/virtual-machine/libvirt';
import { migrationLeftoverNames, xlMigrateArgs } from '../../../agents/virtual-machine/xl';
import { utilizationArgs } from '../../../agents/virtual-machine/utilization';
import { defaultPeerUri } from '../../../agents/virtual-machine/config';

const base = { hypervisor: 'qemu:///system', migration_transport: 'ssh' };

test('destination URI derived from the hypervisor URI and transport', () => {
  assert.is(migrationRequest(base, 'node2', 1000).destinationUri, 'qemu+ssh://node2/system');
  assert.is(migrationRequest({ ...base, hypervisor: 'xen:///system', migration_transport: 'tls' }, 'node2', 1000).destinationUri, 'xen+tls://node2/system');
  assert.is(migrationRequest({ ...base, hypervisor: 'qemu+ssh://localhost/session' }, 'node2', 1000).destinationUri, 'qemu+ssh://node2/session');
  assert.throws(() => migrationRequest({ ...base, hypervisor: 'bogus' }, 'node2', 1000), /migration_uri/);
});

test('templates: %n target, %h target plus the migration network suffix', () => {
  const r = migrationRequest(
    { ...base, migration_uri: 'qemu+tls://%n.example.net/system', migrateuri: 'tcp://%h:49152', migration_network_suffix: '-mig' },
    'node2',
    1000,
  );
  assert.is(r.destinationUri, 'qemu+tls://node2.example.net/system');
  assert.is(r.migrateUri, 'tcp://node2-mig:49152');
  assert.is(r.targetHost, 'node2-mig');
  assert.is(migrationRequest({ ...base, migration_network_suffix: '.mig' }, 'node2', 1000).migrateUri, 'tcp://node2.mig');
  assert.is(migrationRequest(base, 'node2', 1000).migrateUri, undefined);
});

test('migration_network_suffix goes before the first dot of an FQDN node name', () => {
  const table: Array<[string, string | undefined, string]> = [
    ['node2', '-mig', 'node2-mig'],
    ['node2', '.mig', 'node2.mig'],
    ['node2.example.com', '-mig', 'node2-mig.example.com'],
    ['node2.example.com', '.mig', 'node2.mig.example.com'],
    ['node2.example.com', undefined, 'node2.example.com'],
    ['node2.example.com', '', 'node2.example.com'],
  ];
  for (const [node, suffix, expected] of table) assert.is(migrationHost(node, suffix), expected, `${node} + ${suffix}`);
  const r = migrationRequest({ ...base, migration_network_suffix: '-mig', migrateuri: 'tcp://%h:49152' }, 'node2.example.com', 1000);
  assert.is(r.migrateUri, 'tcp://node2-mig.example.com:49152');
  assert.is(r.targetHost, 'node2-mig.example.com');
  assert.is(r.destinationUri, 'qemu+ssh://node2.example.com/system');
});

test('node_ip_attribute: the target address replaces the suffixed name on the data path', () => {
  // [suffix, address] -> [xl host, default migrateuri]
  const table: Array<[string | undefined, string | undefined, string, string | undefined]> = [
    [undefined, undefined, 'node2', undefined],
    ['-mig', undefined, 'node2-mig', 'tcp://node2-mig'],
    [undefined, '192.168.2.2', '192.168.2.2', 'tcp://192.168.2.2'],
    ['-mig', '192.168.2.2', '192.168.2.2', 'tcp://192.168.2.2'],
    [undefined, 'fd00::2', 'fd00::2', 'tcp://[fd00::2]'],
  ];
  for (const [suffix, address, host, migrateUri] of table) {
    const r = migrationRequest({ ...base, migration_network_suffix: suffix }, 'node2', 1000, address);
    assert.equal([r.targetHost, r.migrateUri, r.destinationUri], [host, migrateUri, 'qemu+ssh://node2/system'], `${suffix} ${address}`);
  }
  assert.is(migrationRequest({ ...base, migrateuri: 'tcp://%h:49152' }, 'node2', 1000, '192.168.2.2').migrateUri, 'tcp://192.168.2.2:49152');
});

test('xl: migration_ssh_command becomes xl migrate -s; the names a failed migration leaves', () => {
  const r = migrationRequest({ ...base, migration_ssh_command: 'ssh -i /root/.ssh/xen_migration -o BatchMode=yes' }, 'node2', 1000);
  assert.equal(xlMigrateArgs('web', r), ['migrate', '-s', 'ssh -i /root/.ssh/xen_migration -o BatchMode=yes', 'web', 'node2']);
  assert.equal(migrationLeftoverNames('web'), ['migrating-web', 'web--incoming', 'web--migratedaway']);
});

test('virsh and xl argv', () => {
  const r = migrationRequest({ ...base, migration_network_suffix: '-mig', migration_speed: 500, migration_downtime: 200 }, 'node2', 1000);
  assert.equal(virshMigrateArgs('uuid-1', r), [
    'migrate',
    '--live',
    'uuid-1',
    'qemu+ssh://node2/system',
    '--migrateuri',
    'tcp://node2-mig',
    '--bandwidth',
    '500',
  ]);
  assert.is(r.maxDowntimeMs, 200);
  assert.equal(xlMigrateArgs('web', r), ['migrate', 'web', 'node2-mig']);
  assert.equal(xlMigrateArgs('web', { ...r, sshCommand: 'ssh -p 2222' }), ['migrate', '-s', 'ssh -p 2222', 'web', 'node2-mig']);
});

test('utilization argv (crm_resource)', () => {
  assert.equal(utilizationArgs('vm1', 'hv_memory', 2048), ['--resource', 'vm1', '--utilization', '--set-parameter', 'hv_memory', '--parameter-value', '2048']);
});

test('default peer URI follows the hypervisor and the backend', () => {
  assert.is(defaultPeerUri('libvirt', 'qemu:///system'), 'qemu+ssh://%n/system');
  assert.is(defaultPeerUri('libvirt', 'xen:///system'), 'xen+ssh://%n/system');
  assert.is(defaultPeerUri('libvirt', 'qemu+tls://localhost/system'), 'qemu+ssh://%n/system');
  assert.is(defaultPeerUri('xl', 'qemu:///system'), 'xen+ssh://%n/system');
});

test.run();
