// The agent's parameters, declared once: meta-data, parsing and defaults all come from here.
import type { ParameterSpecs } from '../ocf/spec';

export const BACKENDS = ['lvmlockd', 'clvmd', 'evms', 'rescan'] as const;

export const volumeParameters = {
  backend: {
    type: 'string',
    default: 'lvmlockd',
    allowed: BACKENDS,
    shortdesc: 'How volumes are activated',
    longdesc:
      'lvmlockd: shared LVM volume groups (lock type dlm or sanlock); start joins each VG lockspace (vgchange --lock-start) and activates shared (-asy); stop deactivates and leaves the lockspace when no LV of the VG is active. ' +
      'clvmd: clustered volume groups, shared activation with vgchange/lvchange -asy. ' +
      'evms: runs evms_activate (EVMS Cluster Segment Manager, as the heartbeat EvmsSCC clone did); EVMS has no per-node deactivation. ' +
      'rescan: only the discovery step, then checks that the listed devices exist.',
  },
  volumes: {
    type: 'string',
    required: true,
    shortdesc: 'Volumes expected on every node',
    longdesc:
      'Space or comma separated. lvmlockd/clvmd: VG (every LV of the volume group) or VG/LV. evms: EVMS volume names below /dev/evms (san2/vm2). rescan: device paths (/dev/mapper/mpath1). ' +
      'Monitor fails, naming them, when any is not active here or its device node is missing.',
  },
  discovery: {
    type: 'string',
    default: 'auto',
    shortdesc: 'Discovery steps before activation',
    longdesc:
      'Space separated steps, always run in this order: iscsi (iscsiadm -m session --rescan), scsi (write "- - -" to every /sys/class/scsi_host/host*/scan), multipath (multipath -r), pvscan (pvscan --cache). ' +
      '"none" runs none; "auto" means pvscan for lvmlockd and clvmd, nothing for evms (evms_activate discovers itself), scsi for rescan. Discovery runs again when another node starts the clone.',
  },
  deactivate_on_stop: {
    type: 'boolean',
    default: true,
    shortdesc: 'Deactivate on stop',
    longdesc:
      'When true, stop deactivates the volumes (refusing while any is open, for instance by a running guest). When false, stop leaves them active and only records that the clone instance stopped.',
  },
  retry_delay_ms: {
    type: 'integer',
    default: 1000,
    min: 10,
    max: 60000,
    shortdesc: 'Base retry delay (ms)',
    longdesc:
      'Start retries discovery and activation with exponential backoff and jitter from this delay (up to 16 times it) until the start timeout is nearly spent. Nodes starting together are also spread by this delay.',
  },
  state_dir: {
    type: 'string',
    default: '/run/ocfkit/SharedVolumes',
    shortdesc: 'State directory',
    longdesc: 'Where the agent records that the clone instance is started here. Keep it on a tmpfs such as /run.',
  },
  dev_root: {
    type: 'string',
    default: '/dev',
    shortdesc: 'Device directory',
    longdesc: 'Root of device nodes (/dev). Only tests change it.',
    testOnly: true,
  },
  sysfs_root: {
    type: 'string',
    default: '/sys',
    shortdesc: 'sysfs mount point',
    longdesc: 'Where sysfs is mounted (/sys). Only tests change it.',
    testOnly: true,
  },
} as const satisfies ParameterSpecs;
