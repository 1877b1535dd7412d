// systemd-networkd has no hook directory of its own; networkd-dispatcher runs every script in
// /etc/networkd-dispatcher/routable.d (root:root, executable) with no arguments when an interface
// becomes routable, with IFACE, STATE, ADDR, IP_ADDRS and IP6_ADDRS in the environment.
import { findProgram, unitEnabled } from './probe';
import { HOOK_NAME, renderHook } from './script';
import type { RootProbe, StackModule } from './types';

const NETWORK_DIRS = ['/etc/systemd/network', '/run/systemd/network', '/usr/lib/systemd/network'];

export const networkdDispatcher: StackModule<'networkd-dispatcher'> = {
  name: 'networkd-dispatcher',
  title: 'systemd-networkd with networkd-dispatcher (/etc/networkd-dispatcher/routable.d)',
  files: (options) => [
    {
      path: `/etc/networkd-dispatcher/routable.d/${HOOK_NAME}`,
      mode: 0o755,
      content: renderHook(options, {
        protocol: [
          'networkd-dispatcher runs it with no arguments when systemd-networkd reports an interface routable,',
          'with IFACE, STATE, ADDR, IP_ADDRS and IP6_ADDRS in the environment.',
        ],
        body: ['ocfkit_reconnect "${IFACE:-}"', 'exit 0'],
      }),
    },
  ],
  notes: () => ['networkd-dispatcher.service must be enabled: systemctl enable --now networkd-dispatcher'],
  detect: (probe, iface) => {
    const program = findProgram(probe, 'networkd-dispatcher');
    if (!program) return undefined;
    const networkd = unitEnabled(probe, 'systemd-networkd.service');
    return {
      strength: networkd ? 'active' : 'installed',
      reasons: [program, ...(networkd ? [networkd] : [])],
      ...(iface ? { configuresIface: Boolean(networkd) && networkdConfigures(probe, iface) } : {}),
    };
  },
};

/** A .network file whose [Match] Name= lists `iface` (exact names; globs are not expanded). */
function networkdConfigures(probe: RootProbe, iface: string): boolean {
  return NETWORK_DIRS.some((dir) =>
    probe
      .list(dir)
      .filter((name) => name.endsWith('.network'))
      .some((name) =>
        (probe.read(`${dir}/${name}`) ?? '').split('\n').some((line) => /^\s*Name\s*=/.test(line) && line.split('=')[1]!.trim().split(/\s+/).includes(iface)),
      ),
  );
}
