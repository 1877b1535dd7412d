// Scenario 3: the rules from `ocfkit udev generate`, run by the guests' real systemd-udevd on real
// kernel devices: an md RAID5 gets its stripe_cache_size when the array starts (and again when it is
// re-assembled), /dev/drbd0 gets its readahead on attach and again after the hook reconnects it.
import { freshResource, procLine } from '../drbd';
import type { Guest } from '../guest';
import { installHooks, oneLine } from '../ocfkit';
import { OCFKIT } from '../drbd';
import type { Scenario } from '../report';

const STRIPE_CACHE = 4096;
const DRBD_READAHEAD_KB = 4100;
const CONFIG = `version: 1
block:
  devices:
    - name: lab raid5
      match:
        md: {name: lab}
      set:
        stripe_cache_size: ${STRIPE_CACHE}
    - name: replicated disk
      match:
        drbd: {resource: r0}
      set:
        read_ahead_kb: ${DRBD_READAHEAD_KB}
`;

async function generateRules(guest: Guest): Promise<{ code: number; output: string }> {
  return guest.sh(
    `mkdir -p /etc/ocfkit && cat >/etc/ocfkit/ocfkit.yaml <<'EOF'\n${CONFIG}EOF\n${OCFKIT} udev generate && udevadm control --reload && grep -c '^ACTION' /etc/udev/rules.d/83-ocfkit-block.rules`,
  );
}

const stripeCache = 'cat /sys/block/$(basename $(readlink -f /dev/md/lab))/md/stripe_cache_size';
const drbdReadahead = 'cat /sys/block/drbd0/queue/read_ahead_kb';

export const udevScenario: Scenario = {
  id: '3',
  title: 'udev rules from ocfkit udev generate, for real',
  async run(lab, report) {
    for (const guest of lab.guests) {
      const generated = await generateRules(guest);
      if (!report.check(generated.code === 0, `${guest.name}: ocfkit udev generate`, oneLine(generated.output, generated.code))) return;
    }
    const node = lab.node1;
    await node.ok('mdadm --stop --scan >/dev/null 2>&1; wipefs -qa /dev/vdb /dev/vdc /dev/vdd; true');
    await node.ok(
      'mdadm --create /dev/md/lab --name=lab --level=5 --raid-devices=3 --assume-clean --run --quiet /dev/vdb /dev/vdc /dev/vdd && udevadm settle',
      120_000,
    );
    const created = (await node.ok(stripeCache)).trim();
    report.check(
      created === String(STRIPE_CACHE),
      'md RAID5 gets stripe_cache_size from the rule when created',
      `stripe_cache_size ${created} (rule ${STRIPE_CACHE}, kernel default 256)`,
    );
    await node.ok(
      'mdadm --stop /dev/md/lab && udevadm settle && mdadm --assemble /dev/md/lab /dev/vdb /dev/vdc /dev/vdd --run --quiet && udevadm settle',
      120_000,
    );
    const assembled = (await node.ok(stripeCache)).trim();
    report.check(assembled === String(STRIPE_CACHE), 'and again when the stopped array is assembled', `stripe_cache_size ${assembled}`);
    await node.ok('mdadm --stop /dev/md/lab');

    if (!(await installHooks(lab, report))) return;
    let attached = '';
    await freshResource(lab, {
      beforePeerUp: async () => {
        attached = (await node.ok(`udevadm settle; ${drbdReadahead}`)).trim();
      },
    });
    report.check(
      attached === String(DRBD_READAHEAD_KB),
      '/dev/drbd0 gets its readahead from the rule when DRBD attaches',
      `read_ahead_kb ${attached} (rule ${DRBD_READAHEAD_KB})`,
    );
    // DRBD 8.4 recomputes readahead when the peer connects, without a uevent (measured here)
    const connected = (await node.ok(`udevadm settle; ${drbdReadahead}`)).trim();
    report.note(`after the peer connected: read_ahead_kb ${connected}; ${await procLine(node)}`);
    const apply = await node.sh(`${OCFKIT} udev apply && udevadm settle`, 120_000);
    const applied = (await node.ok(drbdReadahead)).trim();
    report.check(
      apply.code === 0 && applied === String(DRBD_READAHEAD_KB),
      '`ocfkit udev apply` restores it on the connected device',
      `read_ahead_kb ${connected} -> ${applied}; ${oneLine(apply.output, apply.code)}`,
    );

    // control: an admin's disconnect/connect, no ocfkit involved
    const admin = await node.ok(
      `drbdadm disconnect r0 && drbdadm connect r0
for i in $(seq 300); do grep -q cs:Connected /proc/drbd && break; sleep 0.1; done; udevadm settle; ${drbdReadahead}`,
      120_000,
    );
    const adminValue = admin.trim().split('\n').pop();
    const script = `ifdown eth0; for i in $(seq 300); do grep -q cs:StandAlone /proc/drbd && break; sleep 0.1; done
echo "standalone $(${drbdReadahead})"; ifup eth0
for i in $(seq 300); do grep -q cs:Connected /proc/drbd && break; sleep 0.1; done; udevadm settle
for i in $(seq 50); do [ "$(${drbdReadahead})" = ${DRBD_READAHEAD_KB} ] && break; sleep 0.1; done
echo "connected $(${drbdReadahead})"; grep -o 'cs:[A-Za-z]*' /proc/drbd`;
    const out = await node.ok(script, 120_000);
    const reset = /^standalone (\d+)/m.exec(out)?.[1];
    const again = /^connected (\d+)/m.exec(out)?.[1];
    report.check(
      again === String(DRBD_READAHEAD_KB) && /cs:Connected/.test(out),
      '/dev/drbd0 has its readahead again after the hook reconnected it',
      `read_ahead_kb ${applied}; after an admin's drbdadm disconnect/connect (no ocfkit) ${adminValue}; ` +
        `StandAlone after ifdown ${reset}; after ifup and the hook's reconnect ${again} (${/cs:\w+/.exec(out)?.[0]})`,
    );
  },
};
