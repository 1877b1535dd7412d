// Logging that lands where resource-agents' ocf_log does: HA_LOGFILE (and HA_DEBUGLOG for debug)
// when set, syslog when HA_LOGFACILITY/LOGFACILITY names a facility, and always stderr, which
// pacemaker-execd records. Lines are prefixed with the agent and resource instance.
// Syslog lines are batched and handed to logger(1) at flush, one call per run of lines of the same
// level (logger takes one priority per call): a monitor that logs nothing spawns nothing.
import { appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { debugRequested, traceRequested } from './booleans';

export type Level = 'debug' | 'info' | 'warn' | 'err' | 'crit';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  err(message: string): void;
  /** something is wrong that an admin must act on now (a guest running outside the cluster) */
  crit(message: string): void;
  /** delivers buffered syslog lines; the entry point calls it once before exiting */
  flush(): void;
}

export interface LogSettings {
  tag: string;
  debug: boolean;
  logFile?: string | undefined;
  debugFile?: string | undefined;
  facility?: string | undefined;
  traceFile?: string | undefined;
  stderr: (line: string) => void;
}

const SYSLOG_PRIORITY: Record<Level, string> = { debug: 'debug', info: 'info', warn: 'warning', err: 'err', crit: 'crit' };
const LABEL: Record<Level, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', err: 'ERROR', crit: 'CRIT' };

export function logSettingsFromEnv(env: NodeJS.ProcessEnv, tag: string, stderr: (line: string) => void): LogSettings {
  const facility = env.HA_LOGFACILITY || env.LOGFACILITY;
  return {
    tag,
    debug: debugRequested(env),
    logFile: env.HA_LOGFILE || undefined,
    debugFile: env.HA_DEBUGLOG || undefined,
    facility: facility && facility !== 'none' ? facility : undefined,
    traceFile: traceRequested(env) ? env.OCF_TRACE_FILE || undefined : undefined,
    stderr,
  };
}

export function createLogger(settings: LogSettings): Logger {
  const syslogBatch: Array<{ level: Level; line: string }> = [];
  const write = (level: Level, message: string) => {
    if (level === 'debug' && !settings.debug) return;
    const line = `${settings.tag}: ${LABEL[level]}: ${message}`;
    const stamped = `${new Date().toISOString()} ${line}\n`;
    if (settings.traceFile) tryAppend(settings.traceFile, stamped);
    if (level === 'debug') {
      if (settings.debugFile) tryAppend(settings.debugFile, stamped);
    } else if (settings.logFile) {
      tryAppend(settings.logFile, stamped);
    }
    if (settings.facility) syslogBatch.push({ level, line: `${LABEL[level]}: ${message}` });
    settings.stderr(line);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    err: (m) => write('err', m),
    crit: (m) => write('crit', m),
    flush: () => {
      if (!settings.facility || syslogBatch.length === 0) return;
      // logger(1) takes one priority per call; group consecutive lines of the same level.
      const batch = syslogBatch.splice(0);
      let start = 0;
      while (start < batch.length) {
        const level = batch[start]!.level;
        let end = start;
        while (end < batch.length && batch[end]!.level === level) end++;
        const input = batch.slice(start, end).map((entry) => entry.line).join('\n') + '\n';
        spawnSync('logger', ['-t', settings.tag.split(' ')[0]!, '-p', `${settings.facility}.${SYSLOG_PRIORITY[level]}`], { input, stdio: ['pipe', 'ignore', 'ignore'], timeout: 2000 });
        start = end;
      }
    },
  };
}

function tryAppend(file: string, text: string): void {
  try {
    appendFileSync(file, text);
  } catch {
    // A log file we cannot write must never fail the action itself.
  }
}
