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
  /** a file to read the kernel log from instead of running dmesg (OCFKIT_KERNEL_LOG) */
  kernelLogFile: string | undefined;
}

export const DEFAULT_STATE_DIR = '/var/lib/ocfkit/drbd';
export const DEFAULT_UDEV_RULES = '/etc/udev/rules.d/83-ocfkit-block.rules';

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
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}
