// ocfkit udev apply: install the rules file, make udev reload it, send change events to the devices
// the config matches (and no others), then check that every value landed in sysfs.
import { lastLine, type Executor } from '../../agents/core/executor';
import { readIfExists } from '../../agents/core/files';
import { loadSiteConfig } from '../config/site';
import { buildRules, installRules, UdevError, type LineOutput } from './generate';
import { readInventory } from './inventory';
import { matchDevices } from './match';
import { retriggerDevices } from './retrigger';
import { statusReport } from './status';
import { pageSize } from './udevadm';

export interface ApplyOptions {
  config: string;
  rulesFile: string;
  sysfsRoot: string;
  version: string;
}

/** Exit code 0 when every value landed, 1 when some device did not take it. */
export async function applyRules(exec: Executor, options: ApplyOptions, io: LineOutput): Promise<number> {
  const config = loadSiteConfig(options.config);
  const page = await pageSize(exec); // for the rules' stripe cache notes and the final report
  const content = buildRules(config, options.version, page, io);
  await installRules(exec, options.rulesFile, content, readIfExists(options.rulesFile), io);

  const reload = await exec.run('udevadm', ['control', '--reload'], { timeoutMs: 30_000 });
  if (reload.exitCode !== 0) {
    const why = lastLine(reload.stderr || reload.stdout) ?? '';
    throw new UdevError(
      `udevadm control --reload failed (exit ${reload.exitCode}${why ? `: ${why}` : ''}); is systemd-udevd running? ${options.rulesFile} is installed and takes effect at the next device event`,
    );
  }

  const match = matchDevices(config, await readInventory(exec, options.sysfsRoot));
  for (const u of match.unmatched) io.out(`unmatched: ${u.entry} (${u.selector}) matches no device`);
  const names = match.matched.map((m) => m.device.name);
  if (!names.length) {
    io.out('no device matches the config: nothing to trigger');
    return 0;
  }
  const { triggered } = await retriggerDevices(exec, names, { sysfsRoot: options.sysfsRoot });
  io.out(`triggered change events for ${triggered.join(' ')}`);

  // read again after udev processed the events: properties and values may both have changed
  const report = statusReport(config, await readInventory(exec, options.sysfsRoot, names), page);
  const failed = report.rows.filter((row) => row.state === 'drift' || row.state === 'missing');
  for (const row of report.rows.filter((r) => r.state === 'ok')) io.out(`${row.device}: ${row.tunable} = ${row.desired}${row.note ? ` (${row.note})` : ''}`);
  for (const row of report.rows.filter((r) => r.state === 'n/a')) io.out(`${row.device}: ${row.tunable} not applied: ${row.note}`);
  for (const row of failed) {
    io.err(
      `${row.device}: ${row.tunable} did not land: wanted ${row.desired}, ${row.current === undefined ? `${row.attribute} does not exist` : `sysfs shows ${row.current}`} (${row.entry})`,
    );
  }
  if (failed.length) {
    io.err(
      `${failed.length} setting(s) did not land on ${[...new Set(failed.map((r) => r.device))].join(' ')} (the kernel may have refused the value; see the udev log)`,
    );
    return 1;
  }
  return 0;
}
