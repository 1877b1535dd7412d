// The PV test guest inside dom0: its busybox initramfs (packed in dom0 from the image's
// busybox-static, so changing domu-init.sh needs no image rebuild), its xl config files, and
// VirtualMachine run as Pacemaker would run it (the OCF environment, the installed agent).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandResult, Guest } from '../guest';
import { parseXlList, type XlListRow } from '../../../agents/virtual-machine/xl';
import { DOMU_DIR } from './image';

export const GUEST = 'web';
export const GUEST_UUID = '3a0e1b7c-2f4d-4c1e-9b8a-7d6c5b4a3f21';
export const CONFIG = `/etc/xen/${GUEST}.cfg`;
const AGENT = '/usr/lib/ocf/resource.d/ocfkit/VirtualMachine';
const DOMU_INIT = readFileSync(path.join(__dirname, 'domu-init.sh'), 'utf8');

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Packs the guest's initramfs in dom0: busybox, the init script, /sbin/poweroff for xl shutdown. */
export async function packDomuInitrd(dom0: Guest): Promise<void> {
  // xl shutdown makes the guest kernel run /sbin/poweroff; busybox's own poweroff signals an init
  // that is not there (PID 1 is a shell script), so the helper powers off directly
  await dom0.ok(`set -e
t=$(mktemp -d); cd "$t"; mkdir -p bin sbin proc sys dev
cp /bin/busybox bin/busybox
cat >init <<'EOF_INIT'
${DOMU_INIT}EOF_INIT
printf '#!/bin/busybox sh\\nexec /bin/busybox poweroff -f\\n' >sbin/poweroff
printf '#!/bin/busybox sh\\nexec /bin/busybox reboot -f\\n' >sbin/reboot
chmod 755 init sbin/poweroff sbin/reboot
find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >${DOMU_DIR}/initrd.gz
cd /; rm -rf "$t"`);
}

export interface DomuOptions {
  name?: string;
  uuid?: string;
  /** seconds to keep the vCPU busy after boot (xl shows "r") */
  spin?: number;
  onPoweroff?: string;
  onCrash?: string;
  /** raw lines appended (the lint scenario's settings) */
  extra?: string;
}

export function domuConfig(options: DomuOptions = {}): string {
  return [
    `name = "${options.name ?? GUEST}"`,
    `uuid = "${options.uuid ?? GUEST_UUID}"`,
    'type = "pv"',
    `kernel = "${DOMU_DIR}/vmlinuz"`,
    `ramdisk = "${DOMU_DIR}/initrd.gz"`,
    `extra = "console=hvc0 quiet rdinit=/init${options.spin ? ` lab.spin=${options.spin}` : ''}"`,
    'memory = 128',
    'vcpus = 1',
    `on_poweroff = "${options.onPoweroff ?? 'destroy'}"`,
    `on_crash = "${options.onCrash ?? 'preserve'}"`,
    ...(options.extra ? [options.extra] : []),
    '',
  ].join('\n');
}

export async function writeConfig(dom0: Guest, text: string, file = CONFIG): Promise<void> {
  await dom0.ok(`mkdir -p ${path.dirname(file)} && cat >${file} <<'EOF_CFG'\n${text}EOF_CFG`);
}

export interface AgentRun extends CommandResult {
  seconds: number;
}

/** One VirtualMachine action in dom0, with the OCF environment Pacemaker would give it. */
export async function agent(dom0: Guest, action: string, params: Record<string, string>, meta: Record<string, string> = {}): Promise<AgentRun> {
  const env = {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: GUEST,
    OCF_RESOURCE_TYPE: 'VirtualMachine',
    OCF_RESOURCE_PROVIDER: 'ocfkit',
    OCF_RESKEY_CRM_meta_timeout: '90000',
    OCF_RESKEY_CRM_meta_on_node: dom0.name,
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
    ...Object.fromEntries(Object.entries(meta).map(([k, v]) => [`OCF_RESKEY_CRM_meta_${k}`, v])),
  };
  const assignments = Object.entries(env)
    .map(([k, v]) => shellQuote(`${k}=${v}`))
    .join(' ');
  const result = await dom0.sh(
    `s=$(date +%s.%N); env ${assignments} ${AGENT} ${action} 2>&1; rc=$?; echo "@seconds $(echo "$(date +%s.%N) $s" | awk '{printf "%.2f", $1-$2}')"; exit $rc`,
    Number(env.OCF_RESKEY_CRM_meta_timeout) + 60_000,
  );
  const seconds = Number(/@seconds (\S+)/.exec(result.output)?.[1] ?? NaN);
  return { code: result.code, output: result.output.replace(/@seconds \S+\n?/, ''), seconds };
}

/** The guest's row in `xl list` (undefined when xl does not know it). */
export async function xlRow(dom0: Guest, name = GUEST): Promise<XlListRow | undefined> {
  const result = await dom0.sh(`xl list ${shellQuote(name)}`);
  return result.code === 0 ? parseXlList(result.output).find((row) => row.name === name) : undefined;
}

/**
 * Polls `xl list` in dom0 (no channel round trips) until the guest's state flags match
 * `pattern` ("gone": until xl no longer knows it). Resolves with the seconds it took, or
 * undefined after timeoutS.
 */
export async function waitFlags(dom0: Guest, pattern: string, timeoutS: number, name = GUEST): Promise<number | undefined> {
  const test =
    pattern === 'gone' ? `! xl list ${name} >/dev/null 2>&1` : `xl list ${name} 2>/dev/null | awk 'NR>1 {print $5}' | grep -Eq ${shellQuote(pattern)}`;
  const script = `s=$(date +%s.%N); end=$(( $(date +%s) + ${timeoutS} ))
while [ $(date +%s) -lt $end ]; do
  if ${test}; then echo "$(date +%s.%N) $s" | awk '{printf "%.2f", $1-$2}'; exit 0; fi
  sleep 0.2
done
exit 1`;
  const result = await dom0.sh(script, (timeoutS + 30) * 1000);
  return result.code === 0 ? Number(result.output) : undefined;
}

/** Waits until the guest's console (logged by xenconsoled) shows its init ran. */
export async function waitDomuReady(dom0: Guest, timeoutS: number, name = GUEST): Promise<number | undefined> {
  const log = `/var/log/xen/console/guest-${name}.log`;
  const script = `s=$(date +%s.%N); end=$(( $(date +%s) + ${timeoutS} ))
while [ $(date +%s) -lt $end ]; do
  if grep -q DOMU-READY ${log} 2>/dev/null; then echo "$(date +%s.%N) $s" | awk '{printf "%.2f", $1-$2}'; exit 0; fi
  sleep 0.5
done
exit 1`;
  const result = await dom0.sh(script, (timeoutS + 30) * 1000);
  return result.code === 0 ? Number(result.output) : undefined;
}

/** Removes every domain but Domain-0 and the guest's console log: each scenario starts clean. */
export async function cleanDom0(dom0: Guest): Promise<void> {
  await dom0.sh(`for d in $(xl list | awk 'NR>2 {print $1}'); do xl destroy "$d"; done; rm -f /var/log/xen/console/guest-*.log; true`, 120_000);
}
