// Environment checks. Before every action: the programs the configuration needs are on PATH
// (a lookup, nothing run). Before start and in validate-all: lvmlockd answers. validate-all also
// checks that every listed VG exists and its lock type fits the backend.
import { lastLine } from '../core/executor';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, GenericError, NotInstalledError } from '../core/errors';
import { targetVgs, type VolumesContext } from './config';
import { parseVgsReport, ReportFormatError } from './lvm-report';
import { lockTypeProblems } from './plan';
import { findOnPath } from '../core/path';
import { requiredTools } from './tools';

/** Where to look when the agent was started without PATH. */
const DEFAULT_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

export async function validate(ctx: VolumesContext): Promise<void> {
  const config = ctx.config;
  // the agent's environment; the tools run with this process's, the same one when Pacemaker starts it
  const searchPath = ctx.env.raw.PATH ?? process.env.PATH ?? DEFAULT_PATH;
  const missing = requiredTools(config).filter((tool) => !findOnPath(tool, searchPath));
  if (missing.length) {
    throw new NotInstalledError(
      `${missing.join(', ')} not found on PATH (needed by backend=${config.backend.kind}, discovery=${config.discovery.join(' ') || 'none'})`,
      missing[0],
    );
  }
  if (config.discovery.includes('scsi') && !existsSync(path.join(config.sysfsRoot, 'class', 'scsi_host'))) {
    throw new NotInstalledError(`${path.join(config.sysfsRoot, 'class', 'scsi_host')} does not exist: no SCSI hosts to scan (discovery=scsi)`);
  }
  if (ctx.action !== 'start' && ctx.action !== 'validate-all') return;
  const backend = config.backend;
  if (backend.kind === 'lvmlockd') {
    const result = await ctx.exec.run('lvmlockctl', ['--info']);
    if (result.exitCode !== 0) {
      throw new GenericError(
        `lvmlockd is not running (lvmlockctl --info exited ${result.exitCode}${lastLine(result.stderr) ? `: ${lastLine(result.stderr)}` : ''}); start it (the lvmlockd clone) before the shared volumes`,
      );
    }
  }
  if (ctx.action !== 'validate-all') return;
  if (backend.kind === 'lvmlockd' || backend.kind === 'clvmd') {
    const vgs = targetVgs(backend.targets);
    const result = await ctx.exec.run('vgs', ['--reportformat', 'json', '-o', 'vg_name,vg_attr,vg_lock_type', ...vgs]);
    let rows;
    try {
      rows = parseVgsReport(result.stdout);
    } catch (error) {
      throw new GenericError(`${result.argv.join(' ')} (exit ${result.exitCode}): ${error instanceof ReportFormatError ? error.message : String(error)}`);
    }
    const problems = lockTypeProblems(backend.kind, vgs, rows);
    if (problems.length) {
      const parameter = problems.every((p) => p.endsWith('not found')) ? 'volumes' : 'backend';
      throw new ConfigurationError(`parameter ${parameter}: ${problems.join('; ')}`, parameter);
    }
  }
}
