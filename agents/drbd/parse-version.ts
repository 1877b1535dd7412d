// The DRBD version in use: the kernel module's, from /proc/drbd's first line
// ("version: 8.4.11 (api:1/proto:86-101)"). The userland version does not matter: drbd-utils 9
// drives 8.4.
import type { DrbdVersion } from './types';

export function parseVersionText(text: string): DrbdVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-.~+][\w.~+-]*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { text: text.trim(), major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** The kernel module version from /proc/drbd, or undefined when the text has no version line. */
export function parseProcVersion(procText: string): DrbdVersion | undefined {
  for (const line of procText.split('\n')) {
    const m = /^version:\s*(\S+)/.exec(line);
    if (m) return parseVersionText(m[1]!);
  }
  return undefined;
}
