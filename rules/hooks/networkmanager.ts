// NetworkManager: NetworkManager-dispatcher runs every script in /etc/NetworkManager/dispatcher.d as
// `NAME IFACE ACTION`, one event at a time, and only files that are root-owned, not group- or
// world-writable and not setuid. The device's IP interface is in DEVICE_IP_IFACE.
import { findProgram, unitEnabled } from './probe';
import { HOOK_NAME, renderHook } from './script';
import { lookup } from './sysconfig-file';
import type { RootProbe, StackModule } from './types';

const CONNECTIONS = '/etc/NetworkManager/system-connections';

export const networkmanager: StackModule<'networkmanager'> = {
  name: 'networkmanager',
  title: 'NetworkManager (/etc/NetworkManager/dispatcher.d)',
  files: (options) => [
    {
      path: `/etc/NetworkManager/dispatcher.d/${HOOK_NAME}`,
      mode: 0o755,
      content: renderHook(options, {
        protocol: [
          'NetworkManager-dispatcher runs it as `NAME IFACE ACTION` with DEVICE_IFACE and DEVICE_IP_IFACE in the',
          'environment; it acts on up, and on dhcp4-change, dhcp6-change and reapply, which can move addresses.',
        ],
        body: [
          'case "${2:-}" in',
          'up | dhcp4-change | dhcp6-change | reapply) ;;',
          '*) exit 0 ;;',
          'esac',
          'ocfkit_reconnect "${DEVICE_IP_IFACE:-${1:-}}"',
          'exit 0',
        ],
      }),
    },
  ],
  notes: () => [],
  detect: (probe, iface) => {
    const program = findProgram(probe, 'NetworkManager');
    if (!program) return undefined;
    const enabled = unitEnabled(probe, 'NetworkManager.service');
    return {
      strength: enabled ? 'active' : 'installed',
      reasons: [program, ...(enabled ? [enabled] : [])],
      ...(iface ? { configuresIface: Boolean(enabled) && nmConfigures(probe, iface) } : {}),
    };
  },
};

/** A keyfile connection bound to `iface`, or (RHEL) an ifcfg-IF NetworkManager is allowed to manage. */
function nmConfigures(probe: RootProbe, iface: string): boolean {
  const keyfile = probe
    .list(CONNECTIONS)
    .some((name) => new RegExp(`^interface-name=${escape(iface)}\\s*$`, 'm').test(probe.read(`${CONNECTIONS}/${name}`) ?? ''));
  if (keyfile) return true;
  const ifcfg = probe.read(`/etc/sysconfig/network-scripts/ifcfg-${iface}`);
  return ifcfg !== undefined && !/^(no|false|0)$/i.test(lookup(ifcfg, 'NM_CONTROLLED')?.value ?? '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
