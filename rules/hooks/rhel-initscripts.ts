// RHEL/CentOS/Fedora initscripts (network-scripts): ifup-post runs the single file /sbin/ifup-local
// with the device as $1. There is only one such file, so an ifup-local that ocfkit did not write is
// moved aside to /sbin/ifup-local.ocfkit-chained by "hooks install" and called first by ours.
import { findProgram } from './probe';
import { renderHook } from './script';
import { lookup } from './sysconfig-file';
import type { RootProbe, StackModule } from './types';

export const IFUP_LOCAL = '/sbin/ifup-local';
export const CHAINED_SUFFIX = '.ocfkit-chained';
const SCRIPTS = '/etc/sysconfig/network-scripts';

export const rhelInitscripts: StackModule<'rhel-initscripts'> = {
  name: 'rhel-initscripts',
  title: 'RHEL initscripts (/sbin/ifup-local)',
  files: (options) => [
    {
      path: IFUP_LOCAL,
      mode: 0o755,
      content: renderHook(options, {
        protocol: [
          'RHEL initscripts: ifup-post runs it as `/sbin/ifup-local DEVICE` after an interface is up.',
          `An ifup-local that was here before is kept as ifup-local${CHAINED_SUFFIX} next to this file and runs first.`,
        ],
        body: [
          'case "$0" in',
          `*/*) chained="\${0%/*}/ifup-local${CHAINED_SUFFIX}" ;;`,
          `*) chained="/sbin/ifup-local${CHAINED_SUFFIX}" ;;`,
          'esac',
          'status=0',
          'if [ -x "$chained" ]; then',
          '\t"$chained" "$@"',
          '\tstatus=$?',
          'fi',
          "# an alias device (eth0:1) shares its parent's addresses",
          'device=${1:-}',
          'ocfkit_reconnect "${device%%:*}"',
          'exit "$status"',
        ],
      }),
    },
  ],
  notes: () => [`An existing ${IFUP_LOCAL} not written by ocfkit is moved to ${IFUP_LOCAL}${CHAINED_SUFFIX} and still runs first.`],
  detect: (probe, iface) => {
    const post = probe.exists(`${SCRIPTS}/ifup-post`) ? `${SCRIPTS}/ifup-post` : undefined;
    if (!post) return undefined;
    const configured = rhelManagedInterfaces(probe);
    return {
      strength: configured.length > 0 ? 'active' : 'installed',
      reasons: [post, ...(configured.length ? [`ifcfg files not managed by NetworkManager: ${configured.join(', ')}`] : [])],
      ...(iface ? { configuresIface: configured.includes(iface) } : {}),
    };
  },
};

/**
 * Interfaces initscripts bring up themselves: an ifcfg-IF in network-scripts, and when
 * NetworkManager is installed, only those with NM_CONTROLLED=no.
 */
function rhelManagedInterfaces(probe: RootProbe): string[] {
  const nm = findProgram(probe, 'NetworkManager') !== undefined;
  return probe
    .list(SCRIPTS)
    .filter((name) => name.startsWith('ifcfg-') && !/(~|\.(bak|orig|rpmnew|rpmsave|old))$/.test(name))
    .filter((name) => {
      if (!nm) return true;
      const text = probe.read(`${SCRIPTS}/${name}`) ?? '';
      return /^(no|false|0)$/i.test(lookup(text, 'NM_CONTROLLED')?.value ?? '');
    })
    .map((name) => name.slice('ifcfg-'.length))
    .filter((name) => name !== 'lo');
}
