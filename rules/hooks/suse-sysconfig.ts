// SUSE sysconfig (the ifup scripts before wicked): with GLOBAL_POST_UP_EXEC=yes in
// /etc/sysconfig/network/config, ifup runs every script in /etc/sysconfig/network/if-up.d as
// `SCRIPT CONFIG INTERFACE -o OPTIONS`. The seed's older location, /etc/sysconfig/network/scripts/ifup.d,
// gets the same hook; both calls are harmless because a reconnect of connected resources is a no-op.
import { findProgram } from './probe';
import { HOOK_NAME, renderHook } from './script';
import { lookup } from './sysconfig-file';
import type { HookScriptOptions, RootProbe, StackModule } from './types';

export const SUSE_CONFIG = '/etc/sysconfig/network/config';
export const IFCFG_DIR = '/etc/sysconfig/network';

const body = ['# $1 is the configuration name, $2 the interface; OPTIONS after -o are not needed here', 'ocfkit_reconnect "${2:-${1:-}}"', 'exit 0'];

function hook(options: HookScriptOptions, where: string) {
  return renderHook(options, {
    protocol: [
      `SUSE sysconfig: ifup runs it from ${where} after an interface is up, as`,
      '`SCRIPT CONFIG INTERFACE -o OPTIONS` (cwd /etc/sysconfig/network), if GLOBAL_POST_UP_EXEC=yes.',
    ],
    body,
  });
}

export const suseSysconfig: StackModule<'suse-sysconfig'> = {
  name: 'suse-sysconfig',
  title: 'SUSE sysconfig ifup (/etc/sysconfig/network/if-up.d)',
  files: (options) => [
    { path: `/etc/sysconfig/network/if-up.d/${HOOK_NAME}`, mode: 0o755, content: hook(options, '/etc/sysconfig/network/if-up.d') },
    { path: `/etc/sysconfig/network/scripts/ifup.d/${HOOK_NAME}`, mode: 0o755, content: hook(options, '/etc/sysconfig/network/scripts/ifup.d') },
  ],
  notes: (options) => [
    `ifup runs /etc/sysconfig/network/if-up.d only with GLOBAL_POST_UP_EXEC='yes' in ${SUSE_CONFIG}.`,
    `Per interface instead: POST_UP_SCRIPT='/etc/sysconfig/network/if-up.d/${HOOK_NAME}' in ${IFCFG_DIR}/ifcfg-${options.iface ?? 'IF'}.`,
    `STARTMODE='nfsroot' in ifcfg-${options.iface ?? 'IF'} keeps the interface up across "rcnetwork restart"; then no hook runs and the DrbdReconnect agent should watch DRBD.`,
  ],
  detect: (probe, iface) => {
    if (findProgram(probe, 'wicked')) return undefined; // wicked reads the same ifcfg files and runs instead
    const ifup = findProgram(probe, 'ifup');
    if (!ifup || !probe.isDir('/etc/sysconfig/network/scripts')) return undefined;
    const configured = ifcfgInterfaces(probe, IFCFG_DIR);
    return {
      strength: configured.length > 0 ? 'active' : 'installed',
      reasons: [ifup, '/etc/sysconfig/network/scripts', ...(configured.length ? [`ifcfg files for ${configured.join(', ')}`] : [])],
      ...(iface ? { configuresIface: configured.includes(iface) } : {}),
    };
  },
};

/** Interfaces with an ifcfg-IF file in `dir`, loopback and backups left out. */
export function ifcfgInterfaces(probe: RootProbe, dir: string): string[] {
  return probe
    .list(dir)
    .filter((name) => name.startsWith('ifcfg-') && !/(~|\.(bak|orig|rpmnew|rpmsave|old))$/.test(name))
    .map((name) => name.slice('ifcfg-'.length))
    .filter((name) => name !== 'lo');
}

/** GLOBAL_POST_UP_EXEC from /etc/sysconfig/network/config, or undefined when unset/unreadable. */
export function globalPostUpExec(probe: RootProbe): string | undefined {
  const text = probe.read(SUSE_CONFIG);
  return text === undefined ? undefined : lookup(text, 'GLOBAL_POST_UP_EXEC')?.value;
}
