// How a lab guest boots Xen under qemu TCG: qemu's multiboot loader takes the unpacked hypervisor
// as -kernel and the dom0 kernel (with its command line) and the lab root as modules in -initrd,
// comma separated (a comma inside a module's command line is written ",,"). Without SMAP offered
// (-smap) dom0 does not survive its first seconds; -rdtscp spares PVH/HVM guests RDTSCP emulation.
import type { GuestBoot } from '../guest';
import type { LabOptions } from '../lab';
import type { XenImage } from './image';

/**
 * Xen's own command line: its console on the first serial port (the lab's console log); dom0
 * with one vCPU pinned so that the second physical CPU is free for the test guest (xl shows a
 * guest "r" only while it is on a CPU, which with one CPU is never while dom0 runs xl); memory
 * fixed, so domUs get the rest.
 */
const XEN_CMDLINE = 'console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all dom0_mem=1280M,max:1280M dom0_max_vcpus=1 dom0_vcpus_pin noreboot';
const XEN_MEMORY_MIB = 2048;

function xenBoot(image: XenImage): GuestBoot {
  return (append) => {
    const dom0 = `${append.replace('console=ttyS0', 'console=hvc0')} lab.console=hvc0`;
    return {
      kernel: image.hypervisor,
      initrd: `${image.kernel} ${dom0.replace(/,/g, ',,')},${image.initrd}`,
      append: XEN_CMDLINE,
      cpus: 2,
      qemuArgs: ['-machine', 'pc', '-cpu', 'max,-smap,-rdtscp'],
    };
  };
}

export function xenLabOptions(image: XenImage): LabOptions {
  return { boot: xenBoot(image), memoryMiB: XEN_MEMORY_MIB, bootTimeoutMs: 600_000 };
}
