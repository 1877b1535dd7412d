// wicked (SLES 12 and later, openSUSE Leap): hooks are named per interface in ifcfg-IF with
// POST_UP_SCRIPT="compat:suse:PATH"; wicked runs it as `SCRIPT IF IF -o post-up` with INTERFACE and
// CONFIG in the environment. `ocfkit hooks install --iface IF` sets that line in ifcfg-IF.
import { findProgram, unitEnabled } from './probe';
import { HOOK_NAME, renderHook } from './script';
import { IFCFG_DIR, ifcfgInterfaces } from './suse-sysconfig';
import type { StackModule } from './types';

const WICKED_HOOK = `/etc/sysconfig/network/scripts/${HOOK_NAME}`;
export const WICKED_POST_UP = `compat:suse:${WICKED_HOOK}`;

export const wicked: StackModule<'wicked'> = {
  name: 'wicked',
  title: 'wicked (POST_UP_SCRIPT in ifcfg-IF)',
  files: (options) => [
    {
      path: WICKED_HOOK,
      mode: 0o755,
      content: renderHook(options, {
        protocol: [
          `wicked: POST_UP_SCRIPT='${WICKED_POST_UP}' in ifcfg-IF names it; wicked runs it`,
          'as `SCRIPT IF IF -o post-up` with INTERFACE and CONFIG in the environment.',
        ],
        body: [
          '# the phase follows -o; act on post-up only (the same script could be named as a pre-down script)',
          'phase=',
          'previous=',
          'for arg in "$@"; do',
          '\tif [ "$previous" = -o ]; then phase=$arg; fi',
          '\tprevious=$arg',
          'done',
          'case ",$phase," in',
          "',,' | *,post-up,*) ;;",
          '*) exit 0 ;;',
          'esac',
          'ocfkit_reconnect "${INTERFACE:-${2:-${1:-}}}"',
          'exit 0',
        ],
      }),
    },
  ],
  notes: (options) => [
    `Each replication interface needs POST_UP_SCRIPT='${WICKED_POST_UP}' in ${IFCFG_DIR}/ifcfg-${options.iface ?? 'IF'} ("ocfkit hooks install --iface IF" sets it), then "wicked ifreload IF".`,
    `STARTMODE='nfsroot' in ifcfg-${options.iface ?? 'IF'} keeps the interface up across network restarts; then no hook runs and the DrbdReconnect agent should watch DRBD.`,
  ],
  detect: (probe, iface) => {
    const program = findProgram(probe, 'wicked');
    if (!program) return undefined;
    const enabled = unitEnabled(probe, 'wicked.service');
    const configured = ifcfgInterfaces(probe, IFCFG_DIR);
    return {
      strength: enabled || configured.length > 0 ? 'active' : 'installed',
      reasons: [program, ...(enabled ? [enabled] : []), ...(configured.length ? [`ifcfg files for ${configured.join(', ')}`] : [])],
      ...(iface ? { configuresIface: configured.includes(iface) } : {}),
    };
  },
};
