// The VirtualMachine agent's parameters: one declaration drives meta-data, parsing and defaults.
import type { ParameterSpecs } from '../ocf/spec';

export const vmParameters = {
  config: { type: 'string', unique: true, shortdesc: 'Guest configuration file', longdesc: 'libvirt domain XML (backend=libvirt) or xl configuration file (backend=xl). Needed to start the guest; monitor and stop only need it when neither name nor uuid is set.' },
  name: { type: 'string', shortdesc: 'Guest name', longdesc: 'Domain name. When set (or uuid), monitor and stop work even when the config file cannot be read. Default: the name in the config file.' },
  uuid: { type: 'string', shortdesc: 'Guest UUID', longdesc: 'Domain UUID, matched before the name everywhere (local state and peers). Default: the UUID in the config file.' },
  backend: { type: 'string', default: 'libvirt', allowed: ['libvirt', 'xl'] as const, shortdesc: 'Toolstack', longdesc: 'libvirt (virsh, any hypervisor URI) or xl (the Xen toolstack).' },
  hypervisor: { type: 'string', default: 'qemu:///system', shortdesc: 'libvirt URI', longdesc: 'The local libvirt connection URI, e.g. qemu:///system or xen:///system.' },
  force_stop: { type: 'boolean', default: false, shortdesc: 'Destroy instead of shutting down', longdesc: 'Stop pulls the plug at once instead of asking the guest to shut down first.' },
  check_peers: { type: 'boolean', default: true, shortdesc: 'Ask the other nodes first', longdesc: 'Before start and before a migration, ask every other node (in parallel) whether it runs the guest; refuse when one does or cannot be asked, unless Pacemaker reports that node offline and clean.' },
  peers: { type: 'string', shortdesc: 'Other nodes to ask', longdesc: 'Node names separated by spaces or commas. Default: every node in Pacemaker\'s node list (crm_node -l) but this one. "none" declares a single host.' },
  peer_uri: { type: 'string', shortdesc: 'URI template for peers', longdesc: 'libvirt URI used to ask a peer; %n is replaced by the node name. Any libvirt URI works (qemu+tls://%n/system, test:///file.xml). Default: the hypervisor URI over ssh, qemu+ssh://%n/system for qemu:///system; xen+ssh://%n/system for backend=xl.' },
  peer_timeout: { type: 'integer', default: 5, min: 1, max: 120, shortdesc: 'Seconds to wait for a peer', longdesc: 'A peer that does not answer within this time counts as "cannot be asked".' },
  lease_dir: { type: 'string', shortdesc: 'Lease directory on shared storage', longdesc: 'When set, a per-guest lease file there records the holder node and expiry; start refuses while another node holds an unexpired lease; monitor renews it, stop releases it. The directory must hold the marker file .ocfkit-lease-dir, created once by the admin on the shared file system: without it (storage not mounted) start refuses and nothing is written. The agent never creates the directory.' },
  lease_duration: { type: 'integer', default: 120, min: 10, max: 86400, shortdesc: 'Lease validity (s)', longdesc: 'How long a lease stays valid after its last renewal. Must exceed the monitor interval several times.' },
  lease_skew_margin: { type: 'integer', default: 30, min: 0, max: 3600, shortdesc: 'Clock skew allowance (s)', longdesc: 'Another node\'s lease counts as expired only this many seconds after the expiry it recorded (by its clock): the most the nodes\' clocks may differ. Two nodes never hold the lease at once while their clocks differ by less than this.' },
  require_lock_manager: { type: 'boolean', default: false, shortdesc: 'Require virtlockd or sanlock', longdesc: 'Refuse to start unless libvirt has a lock manager (lock_manager in qemu.conf) and its daemon is running.' },
  check_storage: { type: 'boolean', default: true, shortdesc: 'Check DRBD roles', longdesc: 'Disks on /dev/drbdN or /dev/drbd/by-res/... must be Primary on this node before start.' },
  dual_primary: { type: 'string', default: 'handoff-only', allowed: ['handoff-only', 'allowed'] as const, shortdesc: 'Dual-primary DRBD policy', longdesc: 'handoff-only: an ordinary start refuses when the DRBD peer is Primary too (expected only during live migration). allowed: permanently dual-primary storage (a cluster file system).' },
  migration_transport: { type: 'string', default: 'ssh', shortdesc: 'Migration transport', longdesc: 'libvirt transport for the default destination URI (ssh, tls, tcp, ...).' },
  migration_uri: { type: 'string', shortdesc: 'Destination URI template', longdesc: 'libvirt URI of the target; %n is the target node, %h the target node plus migration_network_suffix. Default: the hypervisor URI with the transport and target host, e.g. qemu+ssh://%n/system.' },
  migrateuri: { type: 'string', shortdesc: 'Migration data URI template', longdesc: 'virsh --migrateuri template, e.g. tcp://%h:49152 (%n, %h as above). Default: tcp://%h when migration_network_suffix is set, else libvirt\'s choice.' },
  migration_network_suffix: { type: 'string', shortdesc: 'Migration network host suffix', longdesc: 'Appended to the target node name for the migration data path (e.g. "-mig" gives node2-mig), and for xl migrate.' },
  migration_downtime: { type: 'integer', min: 0, shortdesc: 'Max downtime (ms)', longdesc: 'Maximum tolerable downtime of the live migration in milliseconds (libvirt).' },
  migration_speed: { type: 'integer', min: 0, shortdesc: 'Bandwidth (MiB/s)', longdesc: 'Migration bandwidth limit in MiB/s (libvirt).' },
  autoset_utilization_cpu: { type: 'boolean', default: false, shortdesc: 'Publish vCPUs as utilization', longdesc: 'At start, set the resource utilization "cpu" to the guest\'s vCPU count (crm_resource --utilization).' },
  autoset_utilization_hv_memory: { type: 'boolean', default: false, shortdesc: 'Publish memory as utilization', longdesc: 'At start, set the resource utilization "hv_memory" to the guest memory in MiB.' },
  state_dir: { type: 'string', default: '/run/ocfkit/virtual-machine', shortdesc: 'Local state directory', longdesc: 'Node-local directory where the guest identity is remembered, so a probe can report the truth when the config file is unreadable.' },
} satisfies ParameterSpecs;

export type VmParameters = typeof vmParameters;
