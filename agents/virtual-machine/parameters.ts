// The VirtualMachine agent's parameters: one declaration drives meta-data, parsing and defaults.
import type { ParameterSpecs } from '../ocf/spec';

export const vmParameters = {
  config: {
    type: 'string',
    unique: true,
    shortdesc: 'Guest configuration file',
    longdesc:
      'libvirt domain XML (backend=libvirt) or xl configuration file (backend=xl). Needed to start the guest; monitor and stop only need it when neither name nor uuid is set.',
  },
  name: {
    type: 'string',
    shortdesc: 'Guest name',
    longdesc: 'Domain name. When set (or uuid), monitor and stop work even when the config file cannot be read. Default: the name in the config file.',
  },
  uuid: {
    type: 'string',
    shortdesc: 'Guest UUID',
    longdesc: 'Domain UUID, matched before the name everywhere (local state and peers). Default: the UUID in the config file.',
  },
  backend: {
    type: 'string',
    default: 'libvirt',
    allowed: ['libvirt', 'xl'] as const,
    shortdesc: 'Toolstack',
    longdesc: 'libvirt (virsh, any hypervisor URI) or xl (the Xen toolstack).',
  },
  hypervisor: {
    type: 'string',
    default: 'qemu:///system',
    shortdesc: 'libvirt URI',
    longdesc: 'The local libvirt connection URI, e.g. qemu:///system or xen:///system.',
  },
  force_stop: {
    type: 'boolean',
    default: false,
    shortdesc: 'Destroy instead of shutting down',
    longdesc: 'Stop pulls the plug at once instead of asking the guest to shut down first.',
  },
  check_peers: {
    type: 'boolean',
    default: true,
    shortdesc: 'Ask the other nodes first',
    longdesc:
      'Before start and before a migration, ask every other node (in parallel) whether it runs the guest; refuse when one does or cannot be asked, unless Pacemaker reports that node offline and clean.',
  },
  peers: {
    type: 'string',
    shortdesc: 'Other nodes to ask',
    longdesc:
      'Node names separated by spaces or commas. Default: every node in Pacemaker\'s node list (crm_node -l) but this one. "none" declares a single host.',
  },
  peer_uri: {
    type: 'string',
    shortdesc: 'URI template for peers',
    longdesc:
      'libvirt URI used to ask a peer; %n is replaced by the node name. Any libvirt URI works (qemu+tls://%n/system, test:///file.xml). Default: the hypervisor URI over ssh, qemu+ssh://%n/system for qemu:///system; xen+ssh://%n/system for backend=xl.',
  },
  peer_timeout: {
    type: 'integer',
    default: 5,
    min: 1,
    max: 120,
    shortdesc: 'Seconds to wait for a peer',
    longdesc: 'A peer that does not answer within this time counts as "cannot be asked".',
  },
  census_attribute: {
    type: 'string',
    default: 'guest-census',
    shortdesc: 'Guest census attribute',
    longdesc:
      "Node attribute where ocf:ocfkit:GuestCensus publishes each node's running guests. Before a start or migration (with check_peers), a fresh entry of another node that lists this guest refuses at once, naming the census as the evidence; a stale one only logs. Nothing is refused when no census is published.",
  },
  census_max_age: {
    type: 'integer',
    default: 90,
    min: 10,
    max: 3600,
    shortdesc: 'Freshness of a census entry (s)',
    longdesc:
      "A census entry counts as fresh while it is at most this old by this node's clock (and at most lease_skew_margin in the future). The default, 90 s, is three GuestCensus monitors at its 30 s interval: give at least twice the census monitor interval.",
  },
  trust_census: {
    type: 'boolean',
    default: false,
    shortdesc: 'Accept the census for an unreachable peer',
    longdesc:
      'When a peer cannot be asked, accept its fresh census entry that does not list the guest as proof that the peer does not run it, instead of refusing. Off by default (fail-closed): a census older than census_max_age, or none, still refuses. The log names which evidence decided.',
  },
  lease_dir: {
    type: 'string',
    shortdesc: 'Lease directory on shared storage',
    longdesc:
      'When set, a per-guest lease file there records the holder node and expiry; start refuses while another node holds an unexpired lease; monitor renews it, stop releases it. The directory must hold the marker file .ocfkit-lease-dir, created once by the admin on the shared file system: without it (storage not mounted) start refuses and nothing is written. The agent never creates the directory.',
  },
  lease_duration: {
    type: 'integer',
    default: 120,
    min: 10,
    max: 86400,
    shortdesc: 'Lease validity (s)',
    longdesc: 'How long a lease stays valid after its last renewal. Must exceed the monitor interval several times.',
  },
  lease_skew_margin: {
    type: 'integer',
    default: 30,
    min: 0,
    max: 3600,
    shortdesc: 'Clock skew allowance (s)',
    longdesc:
      "Another node's lease counts as expired only this many seconds after the expiry it recorded (by its clock): the most the nodes' clocks may differ. Two nodes never hold the lease at once while their clocks differ by less than this.",
  },
  require_lock_manager: {
    type: 'boolean',
    default: false,
    shortdesc: 'Require virtlockd or sanlock',
    longdesc:
      "Refuse to start unless libvirt has a lock manager (lock_manager in qemu.conf), its daemon is running, and its locks reach the other nodes: virtlockd's file_lockspace_dir, lvm_lockspace_dir or scsi_lockspace_dir (qemu-lockd.conf) set and on a shared file system (nfs, gfs2, ocfs2, cephfs, glusterfs, ...); sanlock's auto_disk_leases = 1, host_id set and disk_lease_dir on a shared file system (qemu-sanlock.conf), and host_id used by no other node: each start publishes this node's host_id as the permanent node attribute ocfkit-sanlock-host-id and compares it with the other nodes' (libvirt tells nobody its host_id). The refusal names the setting to change.",
  },
  check_storage: {
    type: 'boolean',
    default: true,
    shortdesc: 'Check DRBD roles',
    longdesc:
      'Every disk of the guest is resolved (symlinks, drbd: specs, pool volumes, LVs and other devices stacked on DRBD); disks on DRBD must be Primary on this node before start, and a disk that cannot be resolved refuses the start.',
  },
  dual_primary: {
    type: 'string',
    default: 'handoff-only',
    allowed: ['handoff-only', 'allowed'] as const,
    shortdesc: 'Dual-primary DRBD policy',
    longdesc:
      'handoff-only: an ordinary start refuses when the DRBD peer is Primary too (expected only during live migration), or cannot be proven not Primary (not connected, and its disk not Outdated by fencing). allowed: permanently dual-primary storage (a cluster file system).',
  },
  migration_transport: {
    type: 'string',
    default: 'ssh',
    shortdesc: 'Migration transport',
    longdesc: 'libvirt transport for the default destination URI (ssh, tls, tcp, ...).',
  },
  migration_uri: {
    type: 'string',
    shortdesc: 'Destination URI template',
    longdesc:
      'libvirt URI of the target; %n is the target node, %h the target node plus migration_network_suffix. Default: the hypervisor URI with the transport and target host, e.g. qemu+ssh://%n/system.',
  },
  migrateuri: {
    type: 'string',
    shortdesc: 'Migration data URI template',
    longdesc:
      "virsh --migrateuri template, e.g. tcp://%h:49152 (%n, %h as above). Default: tcp://%h when migration_network_suffix is set, else libvirt's choice.",
  },
  migration_network_suffix: {
    type: 'string',
    shortdesc: 'Migration network host suffix',
    longdesc:
      'Added to the target node name for the migration data path, and for xl migrate: "-mig" gives node2-mig, and node2-mig.example.com for node2.example.com (before the first dot, as VirtualDomain does).',
  },
  migration_downtime: {
    type: 'integer',
    min: 0,
    shortdesc: 'Max downtime (ms)',
    longdesc: 'Maximum tolerable downtime of the live migration in milliseconds (libvirt).',
  },
  migration_speed: { type: 'integer', min: 0, shortdesc: 'Bandwidth (MiB/s)', longdesc: 'Migration bandwidth limit in MiB/s (libvirt).' },
  autoset_utilization_cpu: {
    type: 'boolean',
    default: false,
    shortdesc: 'Publish vCPUs as utilization',
    longdesc: 'At start, set the resource utilization "cpu" to the guest\'s vCPU count (crm_resource --utilization).',
  },
  autoset_utilization_hv_memory: {
    type: 'boolean',
    default: false,
    shortdesc: 'Publish memory as utilization',
    longdesc: 'At start, set the resource utilization "hv_memory" to the guest memory in MiB.',
  },
  // migration and stop tuning (issue: everyday operation)
  migrate_options: {
    type: 'string',
    shortdesc: 'Extra virsh migrate options',
    longdesc:
      'Extra options for virsh migrate, separated by spaces, e.g. "--auto-converge --compressed", "--postcopy --postcopy-after-precopy", "--tls", "--persistent --undefinesource", "--parallel --parallel-connections 4". Split into words, never given to a shell; each option must be one this node\'s virsh knows (virsh help migrate). Options the agent sets itself (--live, --migrateuri, --bandwidth, --timeout...) are refused. A migration that has not finished when the migrate_to timeout is nearly spent is aborted (virsh domjobabort) and the guest keeps running on the source. backend=libvirt only.',
  },
  shutdown_mode: {
    type: 'string',
    shortdesc: 'How the guest is asked to shut down',
    longdesc:
      "backend=libvirt: virsh shutdown --mode, one or more of acpi, agent, initctl, signal, paravirt (comma separated; libvirt tries them in its own order). backend=xl: paravirt (xl shutdown) and/or acpi (xl trigger <domain> power, the ACPI power button, for HVM guests that ignore or cannot receive the PV request), tried in the order given until xl accepts one. Default: the toolstack's default (virsh shutdown, xl shutdown).",
  },
  shutdown_timeout: {
    type: 'integer',
    min: 1,
    shortdesc: 'Seconds for the graceful stop',
    longdesc:
      'How long stop waits for the guest to shut down before destroying it. Default: the stop timeout minus a reserve for destroy (a fifth of it, at least 5 s); a larger value is cut to that, with a warning.',
  },
  node_ip_attribute: {
    type: 'string',
    shortdesc: 'Node attribute with the migration address',
    longdesc:
      'Name of a node attribute (crm_attribute --type nodes) whose value on the target node is the address the migration data goes to: the xl migrate host, and %h in migrateuri (default tcp://%h) for libvirt. Takes precedence over migration_network_suffix; migrate_to refuses when the target has no value, so Pacemaker falls back to stop and start.',
  },
  migration_ssh_command: {
    type: 'string',
    shortdesc: 'ssh command for xl migrate',
    longdesc:
      'backend=xl: the command xl migrate -s runs instead of plain ssh to reach the target, e.g. "ssh -i /root/.ssh/xen_migration -o BatchMode=yes". Passed to xl as one argument; xl hands it to sh.',
  },
  shutdown_ordering: {
    type: 'boolean',
    default: true,
    shortdesc: 'Order host shutdown after Pacemaker',
    longdesc:
      'On start and migrate_from, write a transient systemd drop-in for resource-agents-deps.target (file 50-ocfkit-virtual-machine-<backend>.conf under /run/systemd/system) so that at a host shutdown Pacemaker stops, and migrates the guests away, before libvirtd/virtqemud, virtlockd, machined and libvirt-guests (xl: xenstored, xenconsoled, xendomains) stop. systemd is reloaded only when the file changed; nothing the admin wrote is touched.',
  },
  host_root: {
    type: 'string',
    default: '/',
    shortdesc: 'Root of the host files',
    longdesc:
      "Where /run/systemd, /etc/default/libvirt-guests, libvirt's lock manager settings (/etc/libvirt) and its lock daemon's socket (/run) are looked up (a container or a test tree). Default: /.",
  },
  state_dir: {
    type: 'string',
    default: '/run/ocfkit/virtual-machine',
    shortdesc: 'Local state directory',
    longdesc: 'Node-local directory where the guest identity is remembered, so a probe can report the truth when the config file is unreadable.',
  },
  // ---- guest health: I/O error pauses (the block below is appended as one) ----
  on_io_error: {
    type: 'string',
    default: 'report',
    allowed: ['report', 'resume', 'recover'] as const,
    shortdesc: 'Guest paused on an I/O error',
    longdesc:
      'What monitor does about a guest libvirt paused on an I/O error (virsh domstate: "paused (I/O error)", e.g. DRBD suspended I/O or a lost SAN path). report: DEGRADED, nothing else. resume: resume it (virsh resume) once every disk of its running definition is Primary here when on DRBD and answers a direct read. recover: fail the monitor once it has stayed paused longer than io_error_grace, so Pacemaker stops it and starts it again (the start guards run first). backend=libvirt only.',
  },
  io_error_grace: {
    type: 'integer',
    default: 60,
    min: 0,
    max: 86400,
    shortdesc: 'Seconds paused before recovery',
    longdesc:
      'With on_io_error=recover: how long (from the first monitor that saw the pause) a guest may stay paused on an I/O error before the monitor fails.',
  },
  monitor_scripts: {
    type: 'string',
    shortdesc: 'Checks of the service in the guest',
    longdesc:
      "Absolute paths of executables, separated by spaces, run one after the other once the hypervisor says the guest runs (on monitor, not on probes), each bounded by the action timeout; they inherit the OCF_RESKEY_* environment. A script that exits non-zero fails the monitor with its last output line as the reason. start and migrate_from wait (trying every 2 s, within their timeout) until every script passes: give them a timeout that covers the guest's boot.",
  },
  start_resources: {
    type: 'boolean',
    default: false,
    shortdesc: "Start the guest's networks and pools",
    longdesc:
      'Before start (on this node) and before migrate_to (on the target, through the migration\'s destination URI, since the target needs them when the memory arrives), the libvirt networks (<interface type="network">) and storage pools (<disk type="volume">) the guest\'s config file uses are started (virsh net-start, pool-start) when they are defined but inactive. One that is not defined there, or in a state other than active/inactive, refuses the start or migration by name. backend=libvirt, with config set.',
  },
  save_config_on_stop: {
    type: 'boolean',
    default: false,
    shortdesc: 'Write the running definition back at stop',
    longdesc:
      "Before stop, the guest's running definition (virsh dumpxml --migratable) replaces the config file when it differs, so hot-plugged devices survive the next start: atomically, keeping the file's owner and mode, and only when its UUID is the file's. A definition that cannot be saved is logged; the stop goes on. While the guest runs, monitor logs once when the definitions differ. backend=libvirt, with config set.",
  },
} satisfies ParameterSpecs;

export type VmParameters = typeof vmParameters;
