// The SAN part, first step: a shared VG on the LUN both guests see (qemu share-rw standing for the
// SAN), with Debian's real lvmlockd over the running dlm. What lvs and vgs print for a shared VG
// with active (shared and exclusive) and open LVs, and how lvchange refuses an exclusive activation
// held by the other node, is compared with the fixtures the fake LVM tools are tested against
// (test/fixtures/lvm/lab-*): they were captured here, and a change in lvm2 shows up as a FAIL.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Guest } from '../../guest';
import { oneLine } from '../../ocfkit';
import type { ClusterScenario } from '../main';
import { LUN_DEVICE } from '../lab';
import { virtLab } from '../setup';

const VG = 'vgsan';
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'lvm');
const SOURCE = 'test/lab/cluster/scenarios/san-capture.ts';

/** lvm.conf: lvmlockd on, and lvm looks at the LUN only (not the DRBD backing disk or /dev/drbd0). */
async function enableLvmlockd(guest: Guest): Promise<void> {
  await guest.ok(
    `sed -i 's/^[[:space:]]*#[[:space:]]*use_lvmlockd = 0/\\tuse_lvmlockd = 1/' /etc/lvm/lvm.conf
sed -i 's|^devices {|devices {\\n\\tglobal_filter = [ "a\\|^${LUN_DEVICE}$\\|", "r\\|.*\\|" ]|' /etc/lvm/lvm.conf
lvmconfig global/use_lvmlockd | grep -q use_lvmlockd=1
pgrep -x lvmlockd >/dev/null || lvmlockd -g dlm
for i in $(seq 100); do lvmlockctl --info >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1`,
    60_000,
  );
}

interface Capture {
  file: string;
  node: Guest;
  command: string;
  /** also keep the exit code and the last stderr lines (a refusal) */
  failure?: boolean;
}

async function capture(item: Capture): Promise<{ text: string; rc: number }> {
  const result = await item.node.sh(`${item.command} 2>/run/capture.err; rc=$?; echo "@@RC $rc"; tail -n 2 /run/capture.err | sed 's/^/@@ERR /'`, 60_000);
  const rc = Number(/^@@RC (\d+)$/m.exec(result.output)?.[1] ?? -1);
  const out = result.output.replace(/^@@(RC|ERR) .*\n?/gm, '');
  const err = [...result.output.matchAll(/^@@ERR (.*)$/gm)].map((m) => m[1]).join('\n');
  return { text: item.failure ? `${err}\n` : out, rc };
}

export const sanCaptureScenario: ClusterScenario = {
  id: 'san',
  title: 'shared VG on the shared LUN with lvmlockd + dlm: what lvs, vgs and lvchange print',
  optional: true,
  async run(lab, report) {
    const virt = await virtLab(lab, report);
    if (!virt) return;
    const { node1, node2 } = lab;
    const started = Date.now();
    await Promise.all([enableLvmlockd(node1), enableLvmlockd(node2)]);
    await node1.ok(`pvcreate -q ${LUN_DEVICE} && vgcreate -q --shared ${VG} ${LUN_DEVICE}`, 120_000);
    await Promise.all([node1, node2].map((node) => node.ok(`vgchange --lock-start ${VG}`, 120_000)));
    await node1.ok(`lvcreate -q -an -Zn -L 8m -n vm1 ${VG} && lvcreate -q -an -Zn -L 8m -n vm2 ${VG}`, 120_000);
    await Promise.all([node1, node2].map((node) => node.ok(`lvchange -asy ${VG}/vm1`, 120_000)));
    await node1.ok(`lvchange -aey ${VG}/vm2`, 120_000);
    report.check(
      true,
      'vgcreate --shared, lock-start on both, vm1 active shared on both, vm2 exclusive on node1',
      `${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const version = (await node1.ok(`lvm version | sed -n 's/^ *LVM version: *\\([^ ]*\\).*/\\1/p'`)).trim();
    const fields = 'vg_name,lv_name,lv_attr,vg_lock_type';
    const items: Capture[] = [
      { file: 'lab-lvs-shared-node1.json', node: node1, command: `lvs --reportformat json -o ${fields} ${VG}` },
      { file: 'lab-lvs-shared-node2.json', node: node2, command: `lvs --reportformat json -o ${fields} ${VG}` },
      { file: 'lab-vgs-shared.json', node: node1, command: `vgs --reportformat json -o vg_name,vg_attr,vg_lock_type ${VG}` },
      {
        file: 'lab-lvs-shared-open.json',
        node: node1,
        command: `sleep 30 </dev/${VG}/vm1 & s=$!; sleep 1; lvs --reportformat json -o ${fields} ${VG}; kill $s`,
      },
      { file: 'lab-lvchange-exclusive-held.stderr', node: node2, command: `lvchange -aey ${VG}/vm2`, failure: true },
    ];
    const outDir = path.join(lab.workDir, 'lvm-fixtures');
    mkdirSync(outDir, { recursive: true });
    for (const item of items) {
      const { text, rc } = await capture(item);
      const what = item.failure ? `the last stderr lines of ${item.command} (exit ${rc})` : `stdout of ${item.command}`;
      const header = `# lvm2 ${version}: ${what} (the cluster lab's ${item.node.name}: VG ${VG} --shared on the LUN both guests share, lvmlockd -g dlm; ${SOURCE})\n`;
      writeFileSync(path.join(outDir, item.file), header + text);
      const committed = path.join(FIXTURES, item.file);
      const matches = existsSync(committed) && readFileSync(committed, 'utf8').replace(/^#.*\n/, '') === text;
      if (item.failure) report.check(rc !== 0, `${item.node.name}: ${item.command} refused while node1 holds it`, oneLine(text, rc));
      report.check(matches, `${item.file} matches what lvm prints here`, matches ? 'identical' : `differs or missing; captured in ${outDir}`);
    }
  },
};
