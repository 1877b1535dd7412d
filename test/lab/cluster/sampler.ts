// The sampler: which node's qemu runs each test guest, measured from the process table, not asked
// of libvirt. A loop in each node lists the qemu processes whose command line names a test guest
// (-name guest=NAME) every SAMPLE_MS and prints one line per sample on the serial console, with the
// state libvirt recorded for that process (its status file: running, or paused during a migration's
// switchover and while the target waits for the incoming stream). The host stamps each line when it
// arrives and keeps the latest sample per node. Two nodes with a qemu process for the same guest is
// a handoff when one of them is paused (a live migration by design), a double run otherwise.
import type { Guest } from '../guest';
import { sleep } from '../proc';

const SAMPLE_MS = 300;
/** a node's sample older than this (a stalled vCPU, a console backlog) counts as unknown, not as "nothing runs" */
const STALE_MS = 3000;

export interface Process {
  guest: string;
  pid: number;
  /** libvirt's recorded state for that domain (running, paused, ...) and its reason */
  state: string;
}

/** Parses one sampler line: "@@SAMPLE node1 vm1:1234:running:booted vm2:...". */
export function parseSample(line: string): { node: string; processes: Process[] } | undefined {
  const match = /@@SAMPLE (\S+)((?: [^\s:]+:\d+:[a-z_-]*:[a-z_-]*)*)\s*$/.exec(line);
  if (!match) return undefined;
  const processes = match[2]!
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((item) => {
      const [guest, pid, state, reason] = item.split(':');
      return { guest: guest!, pid: Number(pid), state: `${state}${reason ? `/${reason}` : ''}` };
    });
  return { node: match[1]!, processes };
}

export type Verdict = 'none' | 'single' | 'handoff' | 'double' | 'unknown';

/** One guest across the nodes' latest samples (undefined: no fresh sample from that node). */
export function judge(guest: string, samples: (Process[] | undefined)[]): Verdict {
  if (samples.some((s) => s === undefined)) {
    const running = samples.filter((s) => s?.some((p) => p.guest === guest)).length;
    return running > 1 ? 'double' : 'unknown';
  }
  const holders = samples.map((s) => s!.filter((p) => p.guest === guest)).filter((list) => list.length > 0);
  if (holders.length === 0) return 'none';
  if (holders.length === 1) return 'single';
  const active = holders.filter((list) => list.some((p) => !p.state.startsWith('paused')));
  return active.length > 1 ? 'double' : 'handoff';
}

const LOOP = `while :; do
  out=""
  for pid in $(pgrep -f '^/usr/bin/qemu-system-x86_64 -name guest='); do
    name=$(tr '\\0' ' ' </proc/$pid/cmdline 2>/dev/null | sed -n 's/.*-name guest=\\([^, ]*\\).*/\\1/p')
    [ -n "$name" ] || continue
    st=$(grep -m1 -o "<domstatus state='[a-z]*' reason='[a-z_-]*'" /run/libvirt/qemu/$name.xml 2>/dev/null | sed "s/<domstatus state='\\([a-z]*\\)' reason='\\([a-z_-]*\\)'/\\1:\\2/")
    out="$out $name:$pid:\${st:-unknown:}"
  done
  echo "@@SAMPLE $(hostname)$out" >/dev/ttyS0
  sleep ${SAMPLE_MS / 1000}
done`;

interface Window {
  verdict: Verdict;
  from: number;
  to: number;
}

export class Sampler {
  private latest = new Map<string, { at: number; processes: Process[] }>();
  private offsets: number[];
  private timer?: NodeJS.Timeout;
  private windows = new Map<string, Window[]>();
  samples = 0;

  constructor(
    private readonly nodes: Guest[],
    private readonly guests: string[],
  ) {
    this.offsets = nodes.map((node) => node.consoleLength);
  }

  /** Starts the loop on a node (again after it booted). */
  async startOn(node: Guest): Promise<void> {
    await node.ok(`[ -s /run/sampler.pid ] && kill $(cat /run/sampler.pid) 2>/dev/null
cat >/run/sampler.sh <<'EOF'\n${LOOP}\nEOF
(setsid bash /run/sampler.sh </dev/null >/dev/null 2>&1 & echo $! >/run/sampler.pid)`);
  }

  start(): void {
    const poll = (): void => {
      const now = Date.now();
      this.nodes.forEach((node, index) => {
        const text = node.consoleSince(this.offsets[index]!);
        const end = text.lastIndexOf('\n');
        if (end < 0) return;
        this.offsets[index]! += end + 1;
        for (const line of text.slice(0, end).split('\n')) {
          const sample = parseSample(line.replace(/\r$/, ''));
          if (sample) {
            this.latest.set(sample.node, { at: now, processes: sample.processes });
            this.samples += 1;
          }
        }
      });
      const fresh = this.nodes.map((node) => {
        if (!node.alive) return [];
        const latest = this.latest.get(node.name);
        return latest && now - latest.at <= STALE_MS ? latest.processes : undefined;
      });
      for (const guest of this.guests) this.record(guest, judge(guest, fresh), now);
    };
    this.timer = setInterval(poll, 100);
  }

  private record(guest: string, verdict: Verdict, now: number): void {
    const list = this.windows.get(guest) ?? [];
    const last = list[list.length - 1];
    if (last && last.verdict === verdict) last.to = now;
    else list.push({ verdict, from: now, to: now });
    this.windows.set(guest, list);
  }

  /** Marks the start of a scenario: the summary covers only what is sampled from now on. */
  reset(): void {
    this.windows.clear();
    this.samples = 0;
  }

  /** Double runs, handoff windows (lengths in s) and unknown time since the last reset. */
  summary(guest: string): { doubleRuns: number; handoffs: number[]; unknownS: number; onNodes: string } {
    const list = this.windows.get(guest) ?? [];
    const seconds = (w: Window): number => (w.to - w.from) / 1000;
    return {
      doubleRuns: list.filter((w) => w.verdict === 'double').length,
      handoffs: list.filter((w) => w.verdict === 'handoff').map(seconds),
      unknownS: list.filter((w) => w.verdict === 'unknown').reduce((sum, w) => sum + seconds(w), 0),
      onNodes:
        this.nodes
          .filter((node) => this.latest.get(node.name)?.processes.some((p) => p.guest === guest))
          .map((n) => n.name)
          .join(',') || 'none',
    };
  }

  describe(guest: string): string {
    const s = this.summary(guest);
    const handoff = s.handoffs.length ? `handoff windows ${s.handoffs.map((h) => h.toFixed(1)).join('/')} s` : 'no handoff window';
    return `double runs: ${s.doubleRuns} (${this.samples} samples, ${handoff}, unknown ${s.unknownS.toFixed(1)} s)`;
  }

  /** Waits until the sampler sees `guest` on exactly `node` (or nowhere with undefined). */
  async waitFor(guest: string, node: string | undefined, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.summary(guest).onNodes === (node ?? 'none')) return true;
      await sleep(200);
    }
    return false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
