// Scenario 3: autostart at boot. The guest is defined and marked `virsh autostart` on the node that
// does not run it, and that node's libvirtd is restarted as a host reboot would: libvirtd tries to
// autostart the guest behind the cluster's back, virtlockd refuses (the disk lease is held on the
// other node), the guest does not run twice, and ocfkit's validate-all on that node says which guest
// libvirt autostarts there and how to fix it.
import { oneLine } from '../../ocfkit';
import type { ClusterScenario } from '../main';
import { placement, virtLab } from '../setup';
import { GFS_MOUNT } from '../storage';

const GUEST = 'vm1';

export const autostartScenario: ClusterScenario = {
  id: '3',
  title: 'autostart at boot on the other node',
  optional: true,
  async run(lab, report) {
    const virt = await virtLab(lab, report);
    if (!virt) return;
    const { sampler } = virt;
    const { holder, other } = placement(lab, sampler, GUEST);
    await other.ok(`virsh -c qemu:///system define ${GFS_MOUNT}/${GUEST}.xml && virsh -c qemu:///system autostart ${GUEST}`);
    const restart = await other.sh(
      `: >/var/log/libvirt/libvirtd.log; kill $(pidof libvirtd); for i in $(seq 60); do pidof libvirtd >/dev/null || break; sleep 0.5; done
libvirtd -d -l; for i in $(seq 120); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 1; done
sleep 5; grep -i 'autostart' /var/log/libvirt/libvirtd.log | tail -2; virsh -c qemu:///system domstate ${GUEST}`,
      240_000,
    );
    report.check(
      /shut off/.test(restart.output) && /autostart/i.test(restart.output),
      `libvirtd on ${other.name} restarted: its autostart of ${GUEST} refused`,
      oneLine(restart.output, restart.code),
    );
    const validate = await other.sh(`crm_resource --validate -r ${GUEST} 2>&1`, 120_000);
    report.check(
      /autostarts vm1 at boot on this node.*autostart --disable vm1/s.test(validate.output),
      `ocfkit validate-all on ${other.name} names the autostart and the fix`,
      oneLine(validate.output, validate.code),
    );
    await other.ok(`virsh -c qemu:///system autostart --disable ${GUEST}; virsh -c qemu:///system undefine ${GUEST}`);
    const still = await sampler.waitFor(GUEST, holder, 10_000);
    report.check(
      still && sampler.summary(GUEST).doubleRuns === 0,
      'the guest never ran twice',
      `on ${sampler.summary(GUEST).onNodes}; ${sampler.describe(GUEST)}`,
    );
  },
};
