// A network restart of the replication interface as an admin does it on Debian (ifdown, ifup), with
// the timing measured inside the guest so the management channel's latency does not count.
import type { Guest } from './guest';

const REPLICATION_IFACE = 'eth0';

export interface RestartTiming {
  /** seconds from ifdown until minor 0 left Connected for StandAlone (undefined: it did not) */
  toStandAlone?: number;
  /** seconds from the start of ifup until minor 0 matched `until` (undefined: it did not in time) */
  toTarget?: number;
  /** from the kernel log: seconds from the start of ifup to `drbdadm connect` taking effect, and from there to Connected */
  ifupToConnect?: number;
  connectToConnected?: number;
  /** the if-up.d scripts ifup ran (from ifup -v) */
  hooksRun: string[];
  output: string;
}

/**
 * ifdown; wait until DRBD notices (StandAlone, at most `downS`); ifup; then poll /proc/drbd for
 * `until` for at most `upS` seconds.
 */
export async function networkRestart(guest: Guest, until: string, downS = 30, upS = 30): Promise<RestartTiming> {
  const script = `now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
poll() { end=$(( $(date +%s) + $2 )); while [ $(date +%s) -lt $end ]; do grep -Eq "$1" /proc/drbd && return 0; sleep 0.1; done; return 1; }
t=$(now); ifdown ${REPLICATION_IFACE}
poll 'cs:StandAlone' ${downS} && echo "standalone $(elapsed $t)"
echo "lab: ifup ${REPLICATION_IFACE}" >/dev/kmsg
t=$(now); ifup -v ${REPLICATION_IFACE} 2>&1 | grep -E '^run-parts: executing' | sed 's/^/hook: /'
poll ${JSON.stringify(until)} ${upS} && echo "target $(elapsed $t)"
# the kernel log from the last marker on
dmesg | awk '/lab: ifup/ { buf = "" } { buf = buf $0 "\\n" } END { printf "%s", buf }'
true`;
  const result = await guest.ok(script, (downS + upS + 60) * 1000);
  const standalone = /^standalone (\S+)/m.exec(result)?.[1];
  const target = /^target (\S+)/m.exec(result)?.[1];
  return {
    toStandAlone: standalone === undefined ? undefined : Number(standalone),
    toTarget: target === undefined ? undefined : Number(target),
    ...kernelTimeline(result),
    hooksRun: [...result.matchAll(/^hook: run-parts: executing (\S+)/gm)].map((m) => m[1]!),
    output: result,
  };
}

/** Kernel timestamps after the "lab: ifup" marker: when DRBD left StandAlone (connect) and reached Connected. */
function kernelTimeline(dmesg: string): { ifupToConnect?: number; connectToConnected?: number } {
  const stamp = (pattern: RegExp): number | undefined => {
    const line = dmesg.split('\n').find((l) => pattern.test(l));
    const match = line ? /^\[\s*([\d.]+)\]/.exec(line) : null;
    return match ? Number(match[1]) : undefined;
  };
  const marker = stamp(/lab: ifup/);
  const connect = stamp(/conn\( StandAlone -> Unconnected \)/);
  const connected = stamp(/conn\( WFReportParams -> Connected \)/);
  if (marker === undefined || connect === undefined) return {};
  return {
    ifupToConnect: Number((connect - marker).toFixed(2)),
    ...(connected === undefined ? {} : { connectToConnected: Number((connected - connect).toFixed(2)) }),
  };
}
