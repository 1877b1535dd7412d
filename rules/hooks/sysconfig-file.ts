// SUSE/RHEL sysconfig files (ifcfg-IF, /etc/sysconfig/network/config): shell-style KEY=value lines
// with single, double or no quotes; '#' starts a comment line. Pure: parse, look up, set one key.

export interface Assignment {
  key: string;
  value: string;
  /** 1-based line number */
  line: number;
}

const ASSIGNMENT = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

export function parseSysconfig(text: string): Assignment[] {
  const out: Assignment[] = [];
  text.split('\n').forEach((raw, index) => {
    if (/^\s*#/.test(raw)) return;
    const match = ASSIGNMENT.exec(raw);
    if (!match) return;
    out.push({ key: match[1]!, value: unquote(match[2]!.trim()), line: index + 1 });
  });
  return out;
}

/** The last assignment of `key` (the shell's view when the file is sourced). */
export function lookup(text: string, key: string): Assignment | undefined {
  return parseSysconfig(text)
    .filter((a) => a.key === key)
    .pop();
}

/**
 * Text with `key` set to `value` (single-quoted): the last assignment is replaced in place,
 * or a line is appended.
 */
export function setKey(text: string, key: string, value: string): string {
  if (/['\n]/.test(value)) throw new Error(`cannot write ${key}=${JSON.stringify(value)}: quote or newline in value`);
  const current = lookup(text, key);
  const line = `${key}='${value}'`;
  if (!current) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
  const lines = text.split('\n');
  lines[current.line - 1] = line;
  return lines.join('\n');
}

function unquote(raw: string): string {
  const single = /^'([^']*)'/.exec(raw);
  if (single) return single[1]!;
  const double = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
  if (double) return double[1]!.replace(/\\(.)/g, '$1');
  return raw.replace(/\s+#.*$/, '').trim();
}
