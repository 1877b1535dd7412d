// DRBD on the two guests: one resource r0 (8.4 syntax, the kernel's DRBD 8.4.11) on vda, over the
// replication link. Freshly created for each scenario, so no scenario depends on another's leftovers.
import type { Guest } from './guest';
import type { Lab } from './lab';
import { NODES } from './lab';

export const RESOURCE = 'r0';
/** where the guests' init copies dist/ocfkit (the path the generated hooks call by default) */
export const OCFKIT = '/usr/sbin/ocfkit';

export interface DrbdOptions {
  /** a command configured as DRBD's split-brain handler */
  splitBrainHandler?: string;
  /** runs after node1 attached (drbdadm up) and before node2 comes up to connect */
  beforePeerUp?: () => Promise<void>;
}

function resourceConfig(options: DrbdOptions): string {
  const handlers = options.splitBrainHandler ? `  handlers {\n    split-brain "${options.splitBrainHandler}";\n  }\n` : '';
  const hosts = NODES.map((node) => `  on ${node.name} {\n    address ${node.address}:7789;\n  }\n`).join('');
  return `global {\n  usage-count no;\n}\nresource ${RESOURCE} {\n  protocol C;\n  net {\n    ping-int 3;\n  }\n  device /dev/drbd0;\n  disk /dev/vda;\n  meta-disk internal;\n${handlers}${hosts}}\n`;
}

/** Connection state of minor 0 from /proc/drbd ("Unconfigured" when there is none). */
export async function cstate(guest: Guest): Promise<string> {
  const proc = await guest.ok('cat /proc/drbd');
  return /^\s*0: cs:(\S+)/m.exec(proc)?.[1] ?? 'Unconfigured';
}

export async function procLine(guest: Guest): Promise<string> {
  const proc = await guest.ok('cat /proc/drbd');
  return /^\s*0: .*$/m.exec(proc)?.[0].trim() ?? 'minor 0 unconfigured';
}

/**
 * Polls /proc/drbd inside the guest (no channel round trips) until minor 0 matches `pattern`.
 * Resolves with the seconds it took, or undefined after timeoutS.
 */
async function waitProc(guest: Guest, pattern: string, timeoutS: number): Promise<number | undefined> {
  const script = `s=$(date +%s.%N); end=$(( $(date +%s) + ${timeoutS} ))
while [ $(date +%s) -lt $end ]; do
  if grep -Eq ${JSON.stringify(pattern)} /proc/drbd; then echo "$(date +%s.%N) $s" | awk '{printf "%.2f", $1-$2}'; exit 0; fi
  sleep 0.1
done
exit 1`;
  const result = await guest.sh(script, (timeoutS + 30) * 1000);
  return result.code === 0 ? Number(result.output) : undefined;
}

/** Tears down any previous r0 and creates it fresh on both nodes: Connected, Secondary/Secondary, UpToDate. */
export async function freshResource(lab: Lab, options: DrbdOptions = {}): Promise<void> {
  const config = resourceConfig(options);
  await Promise.all(
    lab.guests.map(async (guest) => {
      await guest.sh(`drbdadm down ${RESOURCE} 2>/dev/null; true`);
      await guest.ok(
        `rm -f /etc/drbd.d/*.res; cat >/etc/drbd.conf <<'EOF'\n${config}EOF\nwipefs -qa /dev/vda || true; dd if=/dev/zero of=/dev/vda bs=1M count=1 status=none
yes yes | drbdadm create-md --force ${RESOURCE} >/dev/null`,
        120_000,
      );
    }),
  );
  await lab.node1.ok(`drbdadm up ${RESOURCE}`);
  await options.beforePeerUp?.();
  await lab.node2.ok(`drbdadm up ${RESOURCE}`);
  if ((await waitProc(lab.node1, 'cs:Connected', 60)) === undefined) {
    throw new Error(`r0 did not connect: node1 ${await procLine(lab.node1)}; node2 ${await procLine(lab.node2)}`);
  }
  // both sides are blank: skip the initial full sync
  await lab.node1.ok(`drbdadm -- --clear-bitmap new-current-uuid ${RESOURCE}`);
  for (const guest of lab.guests) {
    if ((await waitProc(guest, 'cs:Connected .*ds:UpToDate/UpToDate', 60)) === undefined) {
      throw new Error(`${guest.name}: r0 not UpToDate/UpToDate: ${await procLine(guest)}`);
    }
  }
}
