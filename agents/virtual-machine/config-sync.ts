// save_config_on_stop: a device hot-plugged into a running guest lives only in libvirt's running
// definition; the next start from the config file would lose it. Before stop the running
// definition (virsh dumpxml --migratable: without runtime-only ids, aliases and ports) is written
// back to the config file, atomically (temp file, same owner and mode, fsync, rename). While the
// guest runs, monitor logs once when the definitions differ. A definition that cannot be saved is
// logged, never a failed stop: a failed stop gets the node fenced.
import {
  accessSync,
  constants,
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  fchownSync,
  fchmodSync,
  mkdirSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { lastLine, type Executor } from '../core/executor';
import { ConfigurationError } from '../core/errors';
import type { DomainRef } from './backend';
import { parseLibvirtXml } from './libvirt-xml';

/** Whitespace between elements and at line ends does not count as a difference. Pure. */
export function sameDefinition(a: string, b: string): boolean {
  const norm = (t: string) =>
    t
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/>\s+</g, '><')
      .trim();
  return norm(a) === norm(b);
}

export type SaveDecision = { kind: 'unchanged' } | { kind: 'write' } | { kind: 'refuse'; reason: string };

/**
 * Whether the running definition may replace the file: it must be a domain with the file's UUID
 * (never write another guest's definition over this one). Pure.
 */
export function decideSave(fileText: string, running: string, file: string): SaveDecision {
  let fileUuid: string | undefined;
  let runningUuid: string | undefined;
  try {
    fileUuid = parseLibvirtXml(fileText).uuid;
  } catch (error) {
    return { kind: 'refuse', reason: `${file} is not a domain definition (${(error as Error).message}); not overwriting it` };
  }
  try {
    runningUuid = parseLibvirtXml(running).uuid;
  } catch (error) {
    return { kind: 'refuse', reason: `the running definition is not a domain (${(error as Error).message}); ${file} left as it is` };
  }
  if (!runningUuid || (fileUuid && fileUuid !== runningUuid)) {
    return { kind: 'refuse', reason: `the running definition has UUID ${runningUuid ?? '(none)'}, ${file} has ${fileUuid ?? '(none)'}; not overwriting it` };
  }
  return sameDefinition(fileText, running) ? { kind: 'unchanged' } : { kind: 'write' };
}

/** Replaces file with text: a temp file beside it with the same owner and mode, fsync, rename, fsync of the directory. */
function writeAtomically(file: string, text: string): void {
  const st = statSync(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.ocfkit-${process.pid}`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    fchownSync(fd, st.uid, st.gid);
    fchmodSync(fd, st.mode & 0o7777);
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, file);
  const dir = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

async function runningDefinition(exec: Executor, hypervisor: string, ref: DomainRef): Promise<string> {
  const key = ref.uuid ?? ref.name ?? '';
  const result = await exec.run('virsh', ['-c', hypervisor, 'dumpxml', '--migratable', key], { timeoutMs: 10000 });
  if (result.exitCode !== 0) throw new Error(`virsh dumpxml --migratable ${key}: ${lastLine(result.stderr) ?? `exit ${result.exitCode}`}`);
  return result.stdout;
}

type Log = { info(m: string): void; warn(m: string): void };

/** stop, before the guest goes down. */
export async function saveRunningConfig(exec: Executor, params: { hypervisor: string; config?: string | undefined }, ref: DomainRef, log: Log): Promise<void> {
  const file = params.config;
  if (!file) return;
  try {
    const running = await runningDefinition(exec, params.hypervisor, ref);
    const decision = decideSave(readFileSync(file, 'utf8'), running, file);
    if (decision.kind === 'refuse') return log.warn(`save_config_on_stop: ${decision.reason}`);
    if (decision.kind === 'unchanged') return;
    writeAtomically(file, running);
    log.info(`save_config_on_stop: wrote the running definition back to ${file}`);
  } catch (error) {
    log.warn(`save_config_on_stop: ${file} not updated: ${(error as Error).message}`);
  }
}

/** monitor: logs once per differing running definition (its hash is kept under state_dir). */
export async function noteConfigDrift(
  exec: Executor,
  params: { hypervisor: string; config?: string | undefined; state_dir: string },
  instance: string,
  ref: DomainRef,
  log: Log,
): Promise<void> {
  const file = params.config;
  if (!file) return;
  const mark = path.join(params.state_dir, `${instance}.config-drift`);
  try {
    const running = await runningDefinition(exec, params.hypervisor, ref);
    if (sameDefinition(readFileSync(file, 'utf8'), running)) return rmSync(mark, { force: true });
    // loaded here: node:crypto costs every monitor its load time, and only this path needs it.
    // require, not import(): the single executable has no dynamic-import hook for built-ins.
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const hash = createHash('sha256').update(running).digest('hex');
    let logged = '';
    try {
      logged = readFileSync(mark, 'utf8').trim();
    } catch {
      // not logged yet
    }
    if (logged === hash) return;
    log.info(`the running definition of the guest differs from ${file} (a hot-plug, or defaults libvirt filled in); stop writes it back (save_config_on_stop)`);
    mkdirSync(params.state_dir, { recursive: true });
    writeFileSync(mark, `${hash}\n`);
  } catch (error) {
    log.warn(`cannot compare the running definition with ${file}: ${(error as Error).message}`);
  }
}

export function checkSaveConfigParameters(params: { save_config_on_stop: boolean; backend: string; config?: string | undefined }): void {
  if (!params.save_config_on_stop) return;
  if (params.backend !== 'libvirt') throw new ConfigurationError('parameter save_config_on_stop=true needs backend=libvirt', 'save_config_on_stop');
  if (!params.config)
    throw new ConfigurationError('parameter save_config_on_stop=true needs config: the file to write the running definition to', 'save_config_on_stop');
}

/** validate-all: the temp file and the rename need a writable directory. */
export function saveConfigProblem(params: { save_config_on_stop: boolean; config?: string | undefined }): string | undefined {
  if (!params.save_config_on_stop || !params.config) return undefined;
  const dir = path.dirname(params.config);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    return `save_config_on_stop: the directory ${dir} of config is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
