// resource-agents #546: libvirtd down. virsh cannot answer, but the process table can.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { libvirtBackend } from '../../../agents/virtual-machine/libvirt';
import type { ProcessEntry } from '../../../agents/core/qemu-processes';
import { findQemuProcess } from '../../../agents/virtual-machine/qemu-process';
import { fakeExecutor } from '../../support/fake-executor';

const UUID = '8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a55';
// argv as libvirt 9 starts qemu (abridged, captured from /proc/PID/cmdline)
const qemu: ProcessEntry = {
  pid: 4242,
  argv: ['/usr/bin/qemu-system-x86_64', '-name', 'guest=vm1,debug-threads=on', '-S', '-machine', 'pc-i440fx-7.2,usb=off', '-uuid', UUID, '-no-user-config'],
};
const other: ProcessEntry = { pid: 7, argv: ['/usr/bin/vim', '-name', 'guest=vm1', '-uuid', UUID] };

test('qemu process matched by UUID, then by guest name; other programs ignored', () => {
  assert.is(findQemuProcess([other, qemu], { uuid: UUID })?.pid, 4242);
  assert.is(findQemuProcess([qemu], { uuid: '00000000-0000-0000-0000-000000000000', name: 'vm1' })?.pid, 4242);
  assert.is(findQemuProcess([qemu], { name: 'vm' }), undefined);
  assert.is(findQemuProcess([other], { uuid: UUID, name: 'vm1' }), undefined);
  assert.is(findQemuProcess([{ pid: 9, argv: ['qemu-system-x86_64', '-name', 'guest=a,,b,debug-threads=on'] }], { name: 'a,b' })?.pid, 9);
});

const down = {
  exitCode: 1,
  stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n",
};

test('libvirtd down: the process table decides, for the local QEMU driver only', async () => {
  const exec = fakeExecutor([{ match: ['virsh'], answer: down }]);
  const running = await libvirtBackend(exec, 'qemu:///system', 1000, () => ({ pid: 4242 })).state({ uuid: UUID });
  assert.equal([running.state, running.fromProcessTable], ['running', true]);
  assert.match(running.reason ?? '', /libvirt unreachable \(Failed to connect socket.*\); qemu process 4242 runs it/);
  const absent = await libvirtBackend(exec, 'qemu:///system', 1000, () => undefined).state({ uuid: UUID, name: 'vm1' });
  assert.is(absent.state, 'absent');
  try {
    await libvirtBackend(exec, 'xen:///system', 1000, () => undefined).state({ uuid: UUID });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /cannot reach libvirt at xen:\/\/\/system/);
  }
});

test.run();
