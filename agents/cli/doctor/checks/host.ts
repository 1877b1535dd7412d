// Checks of the nodes' hosts: libvirt's own idea of the cluster's guests (autostart, persistent
// definitions) on every node, libvirt-guests, the lock manager, the lease directory, clocks,
// reachable peers, and this node's hooks, udev tuning and xl configs.
import type { Facts, GuestFact } from '../facts';
import { finding, type Finding } from '../findings';
import { decideLockManager } from '../../../virtual-machine/guards';
import { decideLockspace, SHARED_FS } from '../../../virtual-machine/lock-manager';
import { formatFinding } from '../../../virtual-machine/xl-lint';

export function checkLibvirtDomains(facts: Facts): Finding[] {
  const out: Finding[] = [];
  const guests = facts.guests.filter((g) => g.backend === 'libvirt' && (g.uuid || g.name));
  for (const node of facts.domains) {
    if (!node.listing.ok && node.node === facts.self) {
      out.push(
        finding(
          'warning',
          'libvirt',
          node.node,
          `libvirt does not answer on this node (${node.listing.error}): autostart and persistent definitions not checked here`,
          node.listing.what,
          ['systemctl start libvirtd (or virtqemud)'],
        ),
      );
      continue;
    }
    if (!node.listing.ok) {
      out.push(
        finding(
          'error',
          'peers',
          node.node,
          `cannot be asked (${node.listing.error}): VirtualMachine's peer guard refuses every start while this node is online and unreachable`,
          node.listing.what,
          [
            `ssh-copy-id root@${node.node} and accept its host key once (ssh root@${node.node} true), or set peer_uri to a transport that reaches it (qemu+tls://%n/system)`,
          ],
        ),
      );
      continue;
    }
    const match = (list: { uuid: string; name: string }[], g: GuestFact) => list.find((d) => (g.uuid && d.uuid === g.uuid) || (g.name && d.name === g.name));
    for (const g of guests) {
      const auto = match(node.listing.value.autostart, g);
      if (auto) {
        out.push(
          finding(
            'error',
            'autostart',
            `${g.resource} on ${node.node}`,
            `libvirt on ${node.node} autostarts ${auto.name} at boot, behind the cluster's back: after a reboot it can run on two nodes at once`,
            `virsh -c ${node.uri} list --all --autostart: ${auto.uuid} ${auto.name}`,
            [`virsh -c ${node.uri} autostart --disable ${auto.name}`],
          ),
        );
      } else {
        const persistent = match(node.listing.value.persistent, g);
        if (persistent) {
          out.push(
            finding(
              'warning',
              'persistent',
              `${g.resource} on ${node.node}`,
              `${persistent.name} is defined persistently on ${node.node}: libvirt-guests, autostart or an admin's virsh start can start it outside the cluster`,
              `virsh -c ${node.uri} list --all --persistent: ${persistent.uuid} ${persistent.name}`,
              [`virsh -c ${node.uri} undefine ${persistent.name} (keeps the disks; add --nvram for UEFI guests)`],
            ),
          );
        }
      }
    }
  }
  return out;
}

export function checkLibvirtGuests(facts: Facts): Finding[] {
  const lg = facts.libvirtGuests;
  if (!lg || !lg.enabled || !facts.guests.some((g) => g.backend === 'libvirt')) return [];
  const out: Finding[] = [];
  // libvirt-guests' own defaults: ON_BOOT=start, ON_SHUTDOWN=suspend
  const onBoot = lg.settings.ON_BOOT ?? 'start';
  const onShutdown = lg.settings.ON_SHUTDOWN ?? 'suspend';
  if (onBoot !== 'ignore')
    out.push(
      finding(
        'warning',
        'libvirt-guests',
        facts.self,
        `libvirt-guests is enabled with ON_BOOT=${onBoot}: at boot it starts guests that ran before, whether or not the cluster has them elsewhere`,
        `${lg.file}: ON_BOOT${lg.settings.ON_BOOT ? `=${onBoot}` : ' not set (default start)'}; systemctl is-enabled libvirt-guests: enabled`,
        [`ON_BOOT=ignore in ${lg.file}`],
      ),
    );
  if (onShutdown === 'suspend')
    out.push(
      finding(
        'warning',
        'libvirt-guests',
        facts.self,
        'libvirt-guests saves running guests at host shutdown (ON_SHUTDOWN=suspend) and restores them at boot, outside the cluster',
        `${lg.file}: ON_SHUTDOWN${lg.settings.ON_SHUTDOWN ? `=${onShutdown}` : ' not set (default suspend)'}`,
        [`ON_SHUTDOWN=shutdown in ${lg.file}`],
      ),
    );
  return out;
}

export function checkLockManager(facts: Facts): Finding[] {
  const lm = facts.lockManager;
  if (!lm || !facts.guests.some((g) => g.backend === 'libvirt')) return [];
  const { fact } = lm;
  if (!fact.configured || fact.configured === 'nop') {
    return [
      finding(
        'warning',
        'lock-manager',
        facts.self,
        'libvirt has no lock manager: nothing below the cluster stops a second host from opening the same disks',
        `${fact.configFile}: lock_manager not set`,
        [`lock_manager = "lockd" in ${fact.configFile}, with file_lockspace_dir on a shared file system in /etc/libvirt/qemu-lockd.conf`],
      ),
    ];
  }
  // both are reported: a stopped daemon and a local lockspace are two separate fixes
  const out: Finding[] = [];
  const verdict = decideLockManager(fact, true);
  if (!verdict.ok)
    out.push(
      finding('error', 'lock-manager', facts.self, verdict.reason, `${fact.configFile}: lock_manager = "${fact.configured}"`, [
        `systemctl enable --now ${fact.configured === 'lockd' ? 'virtlockd.socket' : 'sanlock'}`,
      ]),
    );
  if (lm.space) {
    const space = decideLockspace(lm.space);
    if (!space.ok) {
      const fix = /; (set .*)$/.exec(space.reason)?.[1];
      out.push(
        finding(
          'error',
          'lockspace',
          facts.self,
          space.reason,
          `${lm.space.configFile}${lm.space.dirs.length ? `: ${lm.space.dirs.map((d) => `${d.setting}=${d.dir} on ${d.mount?.fstype ?? '?'}`).join(', ')}` : ''}`,
          [fix ?? `put the lockspace on a file system all nodes mount (${lm.space.configFile})`],
        ),
      );
    }
  }
  return out;
}

export function checkLeases(facts: Facts): Finding[] {
  const out: Finding[] = [];
  for (const l of facts.leaseDirs) {
    if (!l.mount)
      out.push(
        finding('error', 'lease', l.resource, `lease_dir ${l.dir}: cannot tell its file system (${l.error ?? 'no mount'})`, `findmnt -T ${l.dir}`, [
          `mount the shared file system on ${l.dir}'s parent, or set lease_dir to a directory on it`,
        ]),
      );
    else if (!SHARED_FS.has(l.mount.fstype))
      out.push(
        finding(
          'error',
          'lease',
          l.resource,
          `lease_dir ${l.dir} is on ${l.mount.fstype} (${l.mount.target}), not a file system the other nodes see: each node would see only its own leases`,
          `findmnt -T ${l.dir}: ${l.mount.fstype} ${l.mount.target}`,
          [
            `pcs resource update ${l.resource} lease_dir=<directory on nfs/gfs2/ocfs2/cephfs>`,
            `crm resource param ${l.resource} set lease_dir <directory on nfs/gfs2/ocfs2/cephfs>`,
          ],
        ),
      );
    else if (!l.marker)
      out.push(
        finding(
          'error',
          'lease',
          l.resource,
          `lease_dir ${l.dir} has no marker .ocfkit-lease-dir: VirtualMachine refuses to start`,
          `${l.dir}/.ocfkit-lease-dir missing`,
          [`touch ${l.dir}/.ocfkit-lease-dir`],
        ),
      );
  }
  return out;
}

export function checkClock(facts: Facts): Finding[] {
  const leases = facts.leaseDirs.length > 0;
  if (!facts.clock.ok)
    return [
      finding('warning', 'clock', facts.self, `cannot tell whether the clock is synchronized (${facts.clock.error})`, facts.clock.what, [
        'apt-get install chrony (or systemctl enable --now systemd-timesyncd)',
      ]),
    ];
  const c = facts.clock.value;
  if (c.synchronized === true) return [];
  return [
    finding(
      leases ? 'error' : 'warning',
      'clock',
      facts.self,
      `the clock is ${c.synchronized === false ? 'not' : 'not known to be'} synchronized${leases ? ': leases compare wall clocks across nodes' : ''}`,
      c.evidence,
      ['systemctl enable --now chrony (or systemd-timesyncd), then timedatectl show -p NTPSynchronized'],
    ),
  ];
}

export function checkHooks(facts: Facts): Finding[] {
  const h = facts.hooks;
  if (!h) return [];
  if (!h.ok) return [finding('warning', 'hooks', facts.self, `cannot check the network hooks: ${h.error}`, h.what, ['ocfkit hooks doctor'])];
  // no replication interface on this node (no DRBD resource here): no hook is needed
  if (!h.value.ifaces.length) return [];
  return h.value.problems.map((p) =>
    finding('warning', 'hooks', facts.self, p, `ocfkit hooks doctor (replication interfaces: ${h.value.ifaces.join(', ') || 'none found'})`, [
      'ocfkit hooks install',
    ]),
  );
}

export function checkUdev(facts: Facts): Finding[] {
  const u = facts.udev;
  if (!u) return [];
  if (!u.ok) return [finding('warning', 'udev', facts.self, `cannot compare the block tuning: ${u.error}`, u.what, ['ocfkit udev status'])];
  return u.value.drift.map((d) =>
    finding(
      'warning',
      'udev',
      `${d.device} ${d.tunable}`,
      `is ${d.current ?? 'absent'}, the config wants ${d.desired} (reset by a table load, an attach, or rules not applied)`,
      `ocfkit udev status --config ${u.value.config}`,
      ['ocfkit udev apply'],
    ),
  );
}

export function checkXlLint(facts: Facts): Finding[] {
  return facts.guests.flatMap((g) =>
    (g.lint ?? []).map((l) => finding(l.severity, 'xl-lint', g.resource, l.message, formatFinding(g.config ?? '?', l), [l.fix])),
  );
}
