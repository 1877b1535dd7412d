// The discovery step: make new paths, maps and PVs visible before activation. Each step's failure
// is logged and does not stop the others (a missing iSCSI session must not hide a multipath map);
// activation and verification decide whether the attempt worked.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lastLine, type Executor } from '../core/executor';
import { NotInstalledError, describeError } from '../core/errors';
import type { Logger } from '../core/log';
import { assertNever } from '../core/assert';
import type { DiscoveryStep } from './config';

// iscsiadm's exit status when there is no session to rescan (ISCSI_ERR_NO_OBJS_FOUND)
const ISCSI_NO_SESSIONS = 21;

export interface DiscoveryOutcome {
  step: DiscoveryStep;
  ok: boolean;
  detail: string;
}

export async function runDiscovery(steps: DiscoveryStep[], io: { exec: Executor; log: Logger; sysfsRoot: string }): Promise<DiscoveryOutcome[]> {
  const outcomes: DiscoveryOutcome[] = [];
  for (const step of steps) {
    try {
      const detail = await runStep(step, io);
      outcomes.push({ step, ok: true, detail });
      io.log.debug(`discovery ${step}: ${detail}`);
    } catch (error) {
      if (error instanceof NotInstalledError) throw error;
      outcomes.push({ step, ok: false, detail: describeError(error) });
      io.log.warn(`discovery ${step} failed: ${describeError(error)}`);
    }
  }
  return outcomes;
}

async function runStep(step: DiscoveryStep, io: { exec: Executor; sysfsRoot: string }): Promise<string> {
  switch (step) {
    case 'iscsi': {
      const result = await io.exec.run('iscsiadm', ['-m', 'session', '--rescan']);
      if (result.exitCode === ISCSI_NO_SESSIONS) return 'no iSCSI sessions to rescan';
      if (result.exitCode !== 0) throw new Error(`iscsiadm -m session --rescan exited ${result.exitCode}: ${tail(result.stderr || result.stdout)}`);
      return 'iSCSI sessions rescanned';
    }
    case 'scsi':
      return scanScsiHosts(io.sysfsRoot);
    case 'multipath': {
      const result = await io.exec.run('multipath', ['-r']);
      if (result.exitCode !== 0) throw new Error(`multipath -r exited ${result.exitCode}: ${tail(result.stderr || result.stdout)}`);
      return 'multipath maps reloaded';
    }
    case 'pvscan': {
      const result = await io.exec.run('pvscan', ['--cache']);
      if (result.exitCode !== 0) throw new Error(`pvscan --cache exited ${result.exitCode}: ${tail(result.stderr || result.stdout)}`);
      return 'PVs rescanned';
    }
    default:
      return assertNever(step);
  }
}

/** Writes "- - -" (every channel, target and LUN) to each SCSI host's scan file. */
function scanScsiHosts(sysfsRoot: string): string {
  const dir = path.join(sysfsRoot, 'class', 'scsi_host');
  const hosts = readdirSync(dir)
    .filter((name) => name.startsWith('host'))
    .sort();
  const failed: string[] = [];
  for (const host of hosts) {
    try {
      writeFileSync(path.join(dir, host, 'scan'), '- - -');
    } catch (error) {
      failed.push(`${host}: ${(error as NodeJS.ErrnoException).code ?? describeError(error)}`);
    }
  }
  if (failed.length) throw new Error(`SCSI scan failed for ${failed.join(', ')} (${dir})`);
  return `scanned ${hosts.length} SCSI host(s)`;
}

function tail(text: string): string {
  return (lastLine(text) ?? '').slice(0, 300);
}
