// DrbdReconnect's parameters, declared once: meta-data, parsing, defaults and the man page.
import { DEFAULT_STATE_DIR } from '../drbd/settings';
import type { ParameterSpecs } from '../ocf/spec';

export const reconnectParameters = {
  resources: {
    type: 'string',
    default: '',
    shortdesc: 'DRBD resources to watch',
    longdesc: 'Space-separated DRBD resource names to watch and reconnect. Empty: every resource configured for this node.',
  },
  reconnect: {
    type: 'boolean',
    default: true,
    shortdesc: 'Reconnect',
    longdesc: 'Reconnect connections that are StandAlone for a network reason. false: only observe, publish node attributes and report degraded.',
  },
  attribute_prefix: {
    type: 'string',
    default: 'drbd',
    shortdesc: 'Node attribute prefix',
    longdesc: 'Node attributes are named <prefix>-<resource>-connection and hold the connection state (Connected, StandAlone, WFConnection, ...).',
  },
  backoff_base: {
    type: 'integer',
    default: 10,
    min: 0,
    shortdesc: 'First reconnect backoff (s)',
    longdesc:
      'After a reconnect attempt, the next one for the same connection waits this long, doubling with each further attempt up to backoff_max, so a flapping link or a persistent failure does not loop.',
  },
  backoff_max: {
    type: 'integer',
    default: 600,
    min: 1,
    shortdesc: 'Longest reconnect backoff (s)',
    longdesc: 'Upper bound of the doubling backoff between reconnect attempts of one connection.',
  },
  drbdadm: {
    type: 'string',
    default: 'drbdadm',
    shortdesc: 'drbdadm program',
    longdesc: 'The drbdadm to run: a name looked up on PATH, or a full path for a non-standard installation.',
  },
  drbdsetup: {
    type: 'string',
    default: 'drbdsetup',
    shortdesc: 'drbdsetup program',
    longdesc: 'The drbdsetup to run (DRBD 9 status): a name looked up on PATH, or a full path.',
  },
  proc_drbd: {
    type: 'string',
    default: '/proc/drbd',
    shortdesc: 'DRBD status file',
    longdesc: 'Where the kernel module reports its version and, on DRBD 8, the state of every device. Only changed for tests and chroots.',
    testOnly: true,
  },
  state_dir: {
    type: 'string',
    default: DEFAULT_STATE_DIR,
    shortdesc: 'State directory',
    longdesc:
      'Where the baseline, backoff records and split-brain markers live; the same directory as `ocfkit drbd split-brain-handler --state-dir` (default /var/lib/ocfkit/drbd).',
  },
} as const satisfies ParameterSpecs;
