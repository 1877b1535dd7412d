// Where the DRBD code finds things. Defaults are the real paths; environment variables point them
// at a fake userland in tests (and let an admin move the state directory).
import os from 'node:os';

export interface DrbdSettings {
  drbdadm: string;
  drbdsetup: string;
  /** /proc/drbd (OCFKIT_PROC_DRBD) */
  procDrbd: string;
  /** markers, baseline and backoff records (OCFKIT_DRBD_STATE_DIR) */
  stateDir: string;
  /** ocfkit's block-tuning rules; without them re-applying tuning is a no-op (OCFKIT_UDEV_RULES) */
  udevRules: string;
  /** this node's name as drbd.conf's `on` sections use it (OCFKIT_DRBD_HOSTNAME, else uname -n) */
  hostname: string;
  /** a file to read the kernel log from instead of the journal and dmesg (OCFKIT_KERNEL_LOG) */
  kernelLogFile: string | undefined;
  /** where to read the kernel log, all of them (OCFKIT_KERNEL_LOG_SOURCES, default "journal,dmesg"):
   *  the journal survives ring-buffer wraps and `dmesg -C`; dmesg has the newest lines at once */
  kernelLogSources: KernelLogSource[];
  /** /proc/uptime: the boot time that turns dmesg's "[  811.2]" stamps into times (OCFKIT_PROC_UPTIME) */
  procUptime: string;
}

export type KernelLogSource = 'journal' | 'dmesg';

export const DEFAULT_STATE_DIR = '/var/lib/ocfkit/drbd';
const DEFAULT_UDEV_RULES = '/etc/udev/rules.d/83-ocfkit-block.rules';

export function drbdSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<DrbdSettings> = {}): DrbdSettings {
  const bin = env.OCFKIT_DRBD_BIN_DIR;
  return {
    drbdadm: bin ? `${bin}/drbdadm` : 'drbdadm',
    drbdsetup: bin ? `${bin}/drbdsetup` : 'drbdsetup',
    procDrbd: env.OCFKIT_PROC_DRBD || '/proc/drbd',
    stateDir: env.OCFKIT_DRBD_STATE_DIR || DEFAULT_STATE_DIR,
    udevRules: env.OCFKIT_UDEV_RULES || DEFAULT_UDEV_RULES,
    hostname: env.OCFKIT_DRBD_HOSTNAME || os.hostname(),
    kernelLogFile: env.OCFKIT_KERNEL_LOG || undefined,
    kernelLogSources: (env.OCFKIT_KERNEL_LOG_SOURCES ?? 'journal,dmesg').split(',').filter((x): x is KernelLogSource => x === 'journal' || x === 'dmesg'),
    procUptime: env.OCFKIT_PROC_UPTIME || '/proc/uptime',
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}
