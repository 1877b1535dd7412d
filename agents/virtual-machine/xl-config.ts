// xl domain configuration files (xl.cfg(5)): `key = value` lines, values are strings ("..." or
// '...'), numbers, or [ lists ] that may span lines; `#` starts a comment. Parsed with line numbers
// so lint findings and errors can name file:line.
import type { GuestFacts } from './libvirt-xml';
import { normalizeUuid } from './libvirt-xml';

type XlValue = string | number | XlValue[];
export interface XlSetting {
  key: string;
  value: XlValue;
  /** how the value was written: a list, a quoted string or a bare number */
  form: 'list' | 'string' | 'number';
  line: number;
}

export class XlSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseXlConfig(text: string): XlSetting[] {
  const settings: XlSetting[] = [];
  let pos = 0;
  let line = 1;
  const peek = () => text[pos];
  const skipSpace = (acrossLines: boolean) => {
    while (pos < text.length) {
      const c = text[pos]!;
      if (c === '#') {
        while (pos < text.length && text[pos] !== '\n') pos++;
      } else if (c === '\n') {
        if (!acrossLines) return;
        line++;
        pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || (acrossLines && c === ';')) {
        pos++;
      } else return;
    }
  };
  const readValue = (): { value: XlValue; form: XlSetting['form'] } => {
    skipSpace(false);
    const c = peek();
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, pos + 1);
      if (end < 0 || text.slice(pos, end).includes('\n')) throw new XlSyntaxError(line, 'unterminated string');
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      return { value, form: 'string' };
    }
    if (c === '[') {
      pos++;
      const items: XlValue[] = [];
      for (;;) {
        skipSpace(true);
        if (peek() === ']') {
          pos++;
          break;
        }
        if (pos >= text.length) throw new XlSyntaxError(line, 'unterminated list');
        items.push(readValue().value);
        skipSpace(true);
        if (peek() === ',') pos++;
        else if (peek() !== ']') throw new XlSyntaxError(line, `expected "," or "]" in a list, found "${peek() ?? 'end of file'}"`);
      }
      return { value: items, form: 'list' };
    }
    const number = /^(0x[0-9a-fA-F]+|-?\d+)/.exec(text.slice(pos));
    if (number) {
      pos += number[0].length;
      return { value: Number(number[0]), form: 'number' };
    }
    throw new XlSyntaxError(line, `expected a string, number or list, found "${(c ?? 'end of file').replace('\n', '\\n')}"`);
  };
  for (;;) {
    skipSpace(true);
    if (pos >= text.length) break;
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos))?.[0];
    if (!key) throw new XlSyntaxError(line, `expected a setting name, found "${text[pos]}"`);
    pos += key.length;
    const startLine = line;
    skipSpace(false);
    if (peek() !== '=') throw new XlSyntaxError(line, `expected "=" after ${key}`);
    pos++;
    const { value, form } = readValue();
    settings.push({ key, value, form, line: startLine });
    skipSpace(false);
    if (pos < text.length && peek() !== '\n' && peek() !== ';') throw new XlSyntaxError(line, `unexpected text after ${key}`);
  }
  return settings;
}

export function xlSetting(settings: XlSetting[], key: string): XlSetting | undefined {
  return settings.filter((s) => s.key === key).at(-1);
}

/**
 * Disk targets from `disk = [ ... ]`: legacy "phy:/dev/x,xvda,w" or "target=/dev/x, vdev=xvda".
 * DRBD through Xen's block-drbd script ("drbd:r0,xvda,w", "script=block-drbd, target=r0") names
 * a resource, not a path: it is returned as "drbd:r0" so the storage guard resolves it. Any other
 * script prefix stays on the target (the guard cannot resolve it and says so).
 */
export function xlDisks(settings: XlSetting[]): string[] {
  const disk = xlSetting(settings, 'disk');
  const specs = Array.isArray(disk?.value) ? disk.value : disk ? [disk.value] : [];
  const out: string[] = [];
  for (const spec of specs) {
    if (typeof spec !== 'string') continue;
    const parts = spec.split(',').map((p) => p.trim());
    const target = parts.find((p) => p.startsWith('target='))?.slice('target='.length) ?? parts.find((p) => !p.includes('='));
    if (!target) continue;
    const script = parts.find((p) => p.startsWith('script='))?.slice('script='.length);
    const plain = target.replace(/^(phy|file|tap:aio|tap2:aio|aio|qcow2|qcow|raw|vhd|qed):/, '');
    if (script !== undefined && /(^|\/)(block-)?drbd$/.test(script) && !plain.startsWith('drbd:')) out.push(`drbd:${plain}`);
    else out.push(plain);
  }
  return out;
}

export function xlGuestFacts(settings: XlSetting[]): GuestFacts {
  const text = (key: string) => {
    const v = xlSetting(settings, key)?.value;
    return typeof v === 'string' ? v : undefined;
  };
  const num = (key: string) => {
    const v = xlSetting(settings, key)?.value;
    return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const facts: GuestFacts = { disks: xlDisks(settings), hasGuestAgent: false, type: 'xen' };
  const name = text('name');
  if (name) facts.name = name;
  const uuid = text('uuid');
  if (uuid) facts.uuid = normalizeUuid(uuid);
  const memory = num('memory');
  if (memory !== undefined) facts.memoryKiB = memory * 1024; // xl memory is in MiB
  const vcpus = num('vcpus');
  if (vcpus !== undefined) facts.vcpus = vcpus;
  return facts;
}
