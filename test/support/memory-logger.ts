// A logger that records lines in memory, labelled as the real one labels them ("WARNING: ...").
import type { Level, Logger } from '../../agents/core/log';

const LABEL: Record<Level, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', err: 'ERROR', crit: 'CRIT' };

export function memoryLogger(lines: string[] = [], debug = true): Logger & { lines: string[] } {
  const push = (level: Level) => (message: string) => {
    if (level !== 'debug' || debug) lines.push(`${LABEL[level]}: ${message}`);
  };
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), err: push('err'), crit: push('crit'), flush: () => undefined };
}
