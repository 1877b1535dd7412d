// Scenario 4 (stretch, opt-in): ocf:ocfkit:DrbdReconnect as a clone under Corosync + Pacemaker in
// both guests (Corosync on eth1, so the replication link's restart does not split the cluster). With
// no if-up hook installed, the clone's monitor reconnects r0 after a network restart and publishes
// the connection state as a node attribute.
import { cstate, freshResource, procLine } from '../drbd';
import type { Guest } from '../guest';
import { NODES } from '../lab';
import { networkRestart } from '../net';
import { oneLine } from '../ocfkit';
import type { Scenario } from '../report';
import { PACEMAKER_PACKAGES } from '../image';

const COROSYNC = `totem {
  version: 2
  cluster_name: lab
  transport: knet
  crypto_cipher: none
  crypto_hash: none
  token: 10000
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
}
`;
const MONITOR_S = 10;
const CLONE = `<clone id="drbd-reconnect-clone"><primitive id="drbd-reconnect" class="ocf" provider="ocfkit" type="DrbdReconnect">
<instance_attributes id="drbd-reconnect-ia"><nvpair id="drbd-reconnect-ia-backoff" name="backoff_base" value="5"/></instance_attributes>
<operations><op id="drbd-reconnect-monitor" name="monitor" interval="${MONITOR_S}s" timeout="60s"/><op id="drbd-reconnect-start" name="start" interval="0" timeout="60s"/></operations>
</primitive></clone>`;

async function startCluster(guest: Guest): Promise<void> {
  await guest.ok(`mkdir -p /etc/corosync /var/log/pacemaker && cat >/etc/corosync/corosync.conf <<'EOF'\n${COROSYNC}EOF
corosync && (setsid pacemakerd </dev/null >/var/log/pacemakerd.out 2>&1 &) && sleep 1`);
}

export const pacemakerScenario: Scenario = {
  id: '4',
  title: 'DrbdReconnect clone under Pacemaker (stretch)',
  optional: true,
  extraPackages: PACEMAKER_PACKAGES,
  async run(lab, report) {
    const agent = await lab.node1.sh('ls -l /usr/lib/ocf/resource.d/ocfkit/DrbdReconnect && /usr/lib/ocf/resource.d/ocfkit/DrbdReconnect meta-data | head -3');
    if (!report.check(agent.code === 0, 'ocfkit install put the DrbdReconnect agent in place', oneLine(agent.output, agent.code))) return;
    await freshResource(lab);
    // only the agent may reconnect in this scenario
    for (const guest of lab.guests) await guest.ok('rm -f /etc/network/if-up.d/ocfkit-drbd-reconnect');

    const started = Date.now();
    for (const guest of lab.guests) await startCluster(guest);
    const online = await lab.node1.sh(
      `for i in $(seq 240); do crm_mon -1 2>/dev/null | grep -Eq 'Online: \\[ ?node1 node2 ?\\]' && crmadmin -D >/dev/null 2>&1 && exit 0; sleep 1; done; crm_mon -1; exit 1`,
      300_000,
    );
    if (
      !report.check(
        online.code === 0,
        'Corosync + Pacemaker: both nodes online',
        `${((Date.now() - started) / 1000).toFixed(0)} s; ${oneLine(online.output, online.code)}`,
      )
    )
      return;

    await lab.node1.ok(`crm_attribute -t crm_config -n stonith-enabled -v false && cibadmin -C -o resources -X '${CLONE}'`);
    const running = await lab.node1.sh(
      `for i in $(seq 180); do [ "$(crm_resource --locate -r drbd-reconnect-clone 2>/dev/null | grep -c 'is running on')" = 2 ] && exit 0; sleep 1; done; crm_mon -1; exit 1`,
      240_000,
    );
    if (!report.check(running.code === 0, 'the clone runs on both nodes', oneLine(running.output, running.code))) return;

    const restart = await networkRestart(lab.node1, 'cs:Connected', 30, 120);
    report.check(
      restart.toTarget !== undefined,
      'after a network restart without the hook, the monitor reconnects r0',
      restart.toTarget === undefined
        ? `still ${await procLine(lab.node1)} 120 s after ifup`
        : `Connected ${restart.toTarget.toFixed(1)} s after ifup (monitor interval ${MONITOR_S} s); node2 ${await cstate(lab.node2)}`,
    );
    const attribute = await lab.node1.sh(`sleep ${MONITOR_S + 5}; attrd_updater -Q -A -n drbd-r0-connection`);
    report.check(
      /(?:node|host)="?node1"?[^\n]*value="?Connected/.test(attribute.output),
      'the node attribute shows it',
      oneLine(attribute.output, attribute.code),
    );
    for (const guest of lab.guests) await guest.sh('crm_attribute -t crm_config -n maintenance-mode -v true; true');
  },
};
