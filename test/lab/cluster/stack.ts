// The cluster stack on both lab nodes, started by hand as the guests run no systemd (same order as
// the units): syslog (busybox; sbd, dlm_controld, lvmlockd log only there), sbd with the watchdog,
// Corosync on its own link (eth1, two_node), Pacemaker; then fence_sbd as the stonith device and
// stonith-enabled=true. Timeouts are scaled for TCG emulation, where a node's only vCPU may stall
// for seconds under load: printed at start so a reader can weigh the failover figures.
import type { Guest } from '../guest';
import { NODES } from '../lab';
import type { ClusterLab } from './lab';
import { SBD_DEVICE } from './lab';

export const TIMEOUTS = {
  /** Corosync token (ms); its default 3000 under TCG splits the membership when a vCPU stalls */
  tokenMs: 10_000,
  /** SBD: the watchdog fires this long after sbd stops feeding it; the kernel default is 5 s */
  watchdogS: 15,
  /** SBD: a fencing message counts as delivered after msgwait (twice the watchdog timeout) */
  msgwaitS: 30,
  /** Pacemaker: how long one fencing action may take; must exceed msgwait */
  stonithTimeoutS: 90,
};

function describeTimeouts(): string {
  const t = TIMEOUTS;
  return `corosync token ${t.tokenMs / 1000} s, sbd watchdog ${t.watchdogS} s, sbd msgwait ${t.msgwaitS} s, stonith-timeout ${t.stonithTimeoutS} s`;
}

const COROSYNC = `totem {
  version: 2
  cluster_name: lab
  transport: knet
  crypto_cipher: none
  crypto_hash: none
  token: ${TIMEOUTS.tokenMs}
}
nodelist {
${NODES.map((node, i) => `  node {\n    ring0_addr: ${node.clusterAddress}\n    name: ${node.name}\n    nodeid: ${i + 1}\n  }`).join('\n')}
}
quorum {
  provider: corosync_votequorum
  two_node: 1
}
logging {
  to_logfile: yes
  logfile: /var/log/corosync.log
  to_syslog: no
  to_stderr: no
  timestamp: on
}
`;

const SBD_DEFAULTS = `SBD_DEVICE=${SBD_DEVICE}
SBD_WATCHDOG_DEV=/dev/watchdog
SBD_WATCHDOG_TIMEOUT=${TIMEOUTS.watchdogS}
SBD_PACEMAKER=yes
SBD_STARTMODE=always
SBD_DELAY_START=no
SBD_TIMEOUT_ACTION=flush,reboot
`;

/**
 * Configures a freshly booted node: syslog, the watchdog device (i6300esb, softdog only when the
 * emulated device is missing), corosync.conf, /etc/default/sbd. Returns the watchdog driver in use.
 */
export async function prepareNode(guest: Guest): Promise<string> {
  return (
    await guest.ok(`mkdir -p /var/log/pacemaker /etc/corosync
busybox syslogd -O /var/log/messages
modprobe i6300esb 2>/dev/null; udevadm settle
[ -c /dev/watchdog ] || modprobe softdog
for i in $(seq 50); do [ -c /dev/watchdog ] && break; sleep 0.1; done
cat >/etc/corosync/corosync.conf <<'EOF'
${COROSYNC}EOF
cat >/etc/default/sbd <<'EOF'
${SBD_DEFAULTS}EOF
cat /sys/class/watchdog/watchdog0/identity`)
  ).trim();
}

/** Writes the SBD header (slots, timeouts) on the shared disk; once, from one node. */
async function createSbd(guest: Guest): Promise<string> {
  return guest.ok(`sbd -d ${SBD_DEVICE} -1 ${TIMEOUTS.watchdogS} -4 ${TIMEOUTS.msgwaitS} create >/dev/null && sbd -d ${SBD_DEVICE} dump`);
}

/** sbd (it must feed the watchdog before the cluster runs), Corosync, Pacemaker. */
export async function startStack(guest: Guest): Promise<void> {
  await guest.ok(
    `set -a; . /etc/default/sbd; set +a
sbd -p /run/sbd.pid watch
for i in $(seq 100); do [ -s /run/sbd.pid ] && break; sleep 0.1; done
corosync
(setsid pacemakerd </dev/null >/var/log/pacemakerd.out 2>&1 &)`,
    120_000,
  );
}

/** Waits (inside node) until crm_mon shows `nodes` online and a DC is elected; seconds, or undefined. */
export async function waitOnline(guest: Guest, nodes: string[], timeoutS: number): Promise<number | undefined> {
  const want = `Online: \\[ ?${nodes.join(' ')} ?\\]`;
  const result = await guest.sh(
    `s=$(date +%s)
for i in $(seq ${timeoutS}); do crm_mon -1 2>/dev/null | grep -Eq '${want}' && crmadmin -D >/dev/null 2>&1 && { echo $(( $(date +%s) - s )); exit 0; }; sleep 1; done
exit 1`,
    (timeoutS + 30) * 1000,
  );
  return result.code === 0 ? Number(result.output.trim()) : undefined;
}

const FENCE_DEVICE = `<primitive id="fence-sbd" class="stonith" type="fence_sbd">
<instance_attributes id="fence-sbd-ia"><nvpair id="fence-sbd-devices" name="devices" value="${SBD_DEVICE}"/>
<nvpair id="fence-sbd-reboot-timeout" name="pcmk_reboot_timeout" value="${TIMEOUTS.stonithTimeoutS}s"/></instance_attributes>
<operations><op id="fence-sbd-monitor" name="monitor" interval="60s" timeout="60s"/></operations></primitive>`;

/** stonith:fence_sbd on the shared disk, stonith-enabled=true (and the timeouts that go with it). */
async function configureFencing(guest: Guest): Promise<void> {
  await guest.ok(`crm_attribute -t crm_config -n stonith-enabled -v true
crm_attribute -t crm_config -n stonith-timeout -v ${TIMEOUTS.stonithTimeoutS}s
cibadmin -C -o resources -X '${FENCE_DEVICE.replace(/\n/g, '')}'`);
}

/** Brings the whole stack up on both nodes from freshly booted guests. */
export async function startCluster(lab: ClusterLab, log: (line: string) => void): Promise<{ watchdog: string; onlineS: number }> {
  const drivers = await Promise.all(lab.guests.map(prepareNode));
  await createSbd(lab.node1);
  const started = Date.now();
  await Promise.all(lab.guests.map(startStack));
  const online = await waitOnline(
    lab.node1,
    lab.guests.map((g) => g.name),
    300,
  );
  if (online === undefined) throw new Error(`the cluster did not come online: ${await lab.node1.sh('crm_mon -1 2>&1 | head -20').then((r) => r.output)}`);
  await configureFencing(lab.node1);
  const onlineS = (Date.now() - started) / 1000;
  log(`cluster: corosync + pacemaker + sbd online on both nodes in ${onlineS.toFixed(0)} s; watchdog driver ${drivers.join('/')}; ${describeTimeouts()}`);
  return { watchdog: drivers[0]!, onlineS };
}

/** The logs a failing scenario shows for one node: pacemaker, sbd/dlm/lvmlockd (syslog), corosync, libvirt, kernel. */
export async function nodeLogs(guest: Guest, lines = 30): Promise<string> {
  if (!guest.alive) return `${guest.name}: powered off`;
  const result = await guest
    .sh(
      `t() { [ -s "$1" ] && { echo "--- $1"; grep -Ev "$2" "$1" | tail -n ${lines}; }; true; }
t /var/log/pacemaker/pacemaker.log '(debug|trace):'
t /var/log/messages '^$'
t /var/log/corosync.log '^$'
t /var/log/libvirt/libvirtd.log ' debug : '
echo '--- kernel'; dmesg | tail -n ${lines}
echo '--- crm_mon'; crm_mon -1 -r 2>&1 | head -40`,
      60_000,
    )
    .catch((error: Error) => ({ code: -1, output: error.message }));
  return result.output;
}
