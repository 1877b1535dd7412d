// ocfkit udev status: for each matched device and tunable, the desired value next to what sysfs
// shows now. Drift means udev did not (or no longer) apply the value: the rules are not installed
// or not reloaded, the kernel refused the value, or it reset it (dm table load, DRBD attach).
import type { Executor } from '../../agents/core/executor';
import { TUNABLES } from '../config/block-tunables';
import { loadSiteConfig, type SiteConfig } from '../config/site';
import type { LineOutput } from './generate';
import { readInventory, type BlockDevice } from './inventory';
import { matchDevices, type MatchResult } from './match';
import { stripeCacheCost } from './render';
import { pageSize } from './udevadm';

type State = 'ok' | 'drift' | 'missing' | 'n/a';

interface TunableStatus {
  device: string;
  tunable: string;
  attribute: string;
  desired: string;
  /** as sysfs shows it (the active scheduler only), undefined when the attribute is absent */
  current: string | undefined;
  state: State;
  entry: string;
  note?: string;
}

export interface StatusReport {
  config: string;
  rows: TunableStatus[];
  unmatched: MatchResult['unmatched'];
  /** rows in state drift or missing */
  drift: number;
}

export function statusReport(config: SiteConfig, devices: BlockDevice[], page: number): StatusReport {
  const match = matchDevices(config, devices);
  const rows: TunableStatus[] = [];
  for (const { device, settings } of match.matched) {
    for (const setting of settings) {
      const raw = device.attributes[setting.attribute];
      const current = raw === undefined ? undefined : TUNABLES[setting.tunable].current(raw);
      const state: State = setting.notApplicable ? 'n/a' : current === undefined ? 'missing' : current === setting.desired ? 'ok' : 'drift';
      const row: TunableStatus = {
        device: device.name,
        tunable: setting.tunable,
        attribute: setting.attribute,
        desired: setting.desired,
        current,
        state,
        entry: setting.entry,
      };
      if (setting.notApplicable) row.note = setting.notApplicable;
      else if (setting.tunable === 'stripe_cache_size') {
        const disks = Number(device.attributes['md/raid_disks']);
        row.note = stripeCacheCost(Number(setting.desired), page, Number.isInteger(disks) && disks > 0 ? disks : undefined);
      }
      rows.push(row);
    }
  }
  return { config: config.file, rows, unmatched: match.unmatched, drift: rows.filter((r) => r.state === 'drift' || r.state === 'missing').length };
}

export function formatStatus(report: StatusReport): string[] {
  const lines: string[] = [];
  if (report.rows.length) {
    const table = [
      ['DEVICE', 'TUNABLE', 'DESIRED', 'CURRENT', 'STATE', 'FROM'],
      ...report.rows.map((r) => [r.device, r.tunable, r.desired, r.current ?? '(absent)', r.state.toUpperCase(), r.entry]),
    ];
    const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
    for (const row of table) lines.push(row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '));
    for (const row of report.rows.filter((r) => r.note)) lines.push(`${row.device} ${row.tunable}: ${row.note}`);
  } else {
    lines.push('no device on this host matches the config');
  }
  for (const u of report.unmatched) lines.push(`unmatched: ${u.entry}${u.name ? ` "${u.name}"` : ''} (${u.selector}) matches no device`);
  const applicable = report.rows.filter((r) => r.state !== 'n/a').length;
  lines.push(report.drift ? `${report.drift} of ${applicable} settings drift` : `no drift (${applicable} settings)`);
  return lines;
}

/** Exit code 0 without drift, 1 with. */
export async function showStatus(exec: Executor, options: { config: string; sysfsRoot: string; json: boolean }, io: LineOutput): Promise<number> {
  const config = loadSiteConfig(options.config);
  const report = statusReport(config, await readInventory(exec, options.sysfsRoot), await pageSize(exec));
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else for (const line of formatStatus(report)) io.out(line);
  return report.drift ? 1 : 0;
}
