// A network restart of the replication interface as an admin does it on Debian (ifdown, ifup), with
// the timing measured inside the guest so the management channel's latency does not count.
import type { Guest } from './guest';

export const REPLICATION_IFACE = 'eth0';

export interface RestartTiming {
  /** seconds from ifdown until minor 0 left Connected for StandAlone (undefined: it did not) */
  toStandAlone?: number;
  /** seconds from the start of ifup until minor 0 matched `until` (undefined: it did not in time) */
  toTarget?: number;
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
t=$(now); ifup ${REPLICATION_IFACE}
poll ${JSON.stringify(until)} ${upS} && echo "target $(elapsed $t)"
true`;
  const result = await guest.ok(script, (downS + upS + 60) * 1000);
  const standalone = /^standalone (\S+)/m.exec(result)?.[1];
  const target = /^target (\S+)/m.exec(result)?.[1];
  return {
    toStandAlone: standalone === undefined ? undefined : Number(standalone),
    toTarget: target === undefined ? undefined : Number(target),
    output: result,
  };
}
